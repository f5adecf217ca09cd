import { readFile } from 'node:fs/promises';
import { crc32 } from 'node:zlib';
import { IncompatibleFormatError, writeFileAtomic } from '../core/index.js';
import type { Analyzer } from '../text/analyzer.js';
import type { KeywordFieldConfig, NumericFieldConfig, ScoringParams, SynonymRule, TypoConfig } from './config.js';
import type { KeywordValues } from './field-values.js';
import { InvertedIndex } from './inverted-index.js';
import type { PostingList } from './posting-list.js';
import { ByteReader, ByteSink } from './snapshot-bytes.js';

/**
 * Index snapshots. Layout (little-endian):
 *   "QIDX" magic | u32 format version | u32 header length | header JSON (UTF-8) | sections | u32 CRC-32
 * The header records the configuration, each text field's analyzer name and the counts; sections follow
 * in the order `writeSections` writes them, each a typed array (its length known from the counts or a
 * u32 prefix). The CRC-32 covers everything before it, so a truncated or damaged file is refused.
 */
export const SNAPSHOT_MAGIC = 'QIDX';
export const SNAPSHOT_FORMAT_VERSION = 1;

interface Header {
  fields: { name: string; analyzer: string; weight: number; b: number | null }[];
  keywords: KeywordFieldConfig[];
  numbers: NumericFieldConfig[];
  scoring: ScoringParams;
  typos: TypoConfig;
  synonyms: SynonymRule[];
  synonymFactor: number;
  slots: number;
  liveCount: number;
  docIdEnd: number;
  terms: number;
}

export interface LoadOptions {
  /** The analyzers the snapshot's fields were built with, found by name. */
  analyzers: readonly Analyzer[];
}

/** The index as snapshot bytes. */
export function writeIndex(index: InvertedIndex): Uint8Array {
  const { config, docs, dict } = index.internals;
  const header: Header = {
    fields: config.fields.map((f) => ({ name: f.name, analyzer: f.analyzer.name, weight: f.weight, b: f.b ?? null })),
    keywords: config.keywords,
    numbers: config.numbers,
    scoring: config.scoring,
    typos: config.typos,
    synonyms: config.synonyms,
    synonymFactor: config.synonymFactor,
    slots: docs.slotCount,
    liveCount: docs.liveCount,
    docIdEnd: docs.docIdEnd,
    terms: dict.size,
  };
  const sink = new ByteSink();
  sink.bytes(new TextEncoder().encode(SNAPSHOT_MAGIC));
  sink.u32(SNAPSHOT_FORMAT_VERSION);
  const json = new TextEncoder().encode(JSON.stringify(header));
  sink.u32(json.length);
  sink.bytes(json);
  writeSections(index, sink);
  const body = sink.concat();
  const out = new Uint8Array(body.length + 4);
  out.set(body);
  new DataView(out.buffer).setUint32(body.length, crc32(body), true);
  return out;
}

function writeSections(index: InvertedIndex, sink: ByteSink): void {
  const { docs, dict, keywords, numbers } = index.internals;
  const slots = docs.slotCount;
  sink.typed(docs.slotToDoc.subarray(0, slots));
  sink.typed(docs.live.subarray(0, slots));
  sink.typed(docs.lengths.subarray(0, slots * docs.fieldCount));
  sink.typed(docs.termsStart.subarray(0, slots + 1));
  sink.typed(docs.terms.subarray(0, docs.termsStart[slots]));
  sink.strings(dict.terms);
  sink.typed(dict.df.subarray(0, dict.size));
  const meta = new Int32Array(dict.size * 4);
  dict.lists.forEach((l, t) => meta.set([l.count, l.lastSlot, l.docsLength, l.positionsLength], t * 4));
  sink.typed(meta);
  sink.typed(concatenate(Uint8Array, dict.lists.map((l) => l.docs.subarray(0, l.docsLength))));
  sink.typed(concatenate(Uint8Array, dict.lists.map((l) => l.positions.subarray(0, l.positionsLength))));
  sink.typed(concatenate(Int32Array, dict.lists.map((l) => l.skips?.subarray(0, (l.blockCount() - 1) * 3) ?? new Int32Array(0))));
  for (const values of keywords.values()) {
    sink.strings(values.values);
    sink.typed(values.parents.subarray(0, values.values.length));
    sink.typed(values.depths.subarray(0, values.values.length));
    const first = new Int32Array(docs.docIdEnd).fill(-1);
    first.set(values.first.subarray(0, Math.min(values.first.length, docs.docIdEnd)));
    sink.typed(first);
    const rest: number[] = [];
    for (const [docId, ids] of values.rest) rest.push(docId, ids.length, ...ids);
    sink.u32(rest.length);
    sink.typed(Int32Array.from(rest));
  }
  for (const values of numbers.values()) {
    const all = new Float64Array(docs.docIdEnd).fill(Number.NaN);
    all.set(values.values.subarray(0, Math.min(values.values.length, docs.docIdEnd)));
    sink.typed(all);
  }
}

function concatenate<T extends Uint8Array | Int32Array>(Kind: { new (n: number): T }, parts: readonly T[]): T {
  const out = new Kind(parts.reduce((sum, p) => sum + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/**
 * Rebuilds an index from snapshot bytes.
 * @throws IncompatibleFormatError for another format, another version, a damaged file, or fields whose
 *   analyzer is not among `options.analyzers`.
 */
export function readIndex(bytes: Uint8Array, options: LoadOptions): InvertedIndex {
  const reader = openSnapshot(bytes);
  const header = JSON.parse(new TextDecoder().decode(reader.bytes(reader.u32()))) as Header;
  const fields = header.fields.map((f) => {
    const analyzer = options.analyzers.find((a) => a.name === f.analyzer);
    if (analyzer === undefined) {
      throw new IncompatibleFormatError(
        `index field "${f.name}" was built with analyzer "${f.analyzer}", which is not among those given (${options.analyzers.map((a) => a.name).join(', ') || 'none'})`,
      );
    }
    return { name: f.name, analyzer, weight: f.weight, ...(f.b === null ? {} : { b: f.b }) };
  });
  const { keywords, numbers, scoring, typos, synonyms, synonymFactor } = header;
  const index = new InvertedIndex({ fields, keywords, numbers, scoring, typos, synonyms, synonymFactor });
  readSections(index, header, reader);
  if (!reader.done) throw new IncompatibleFormatError(`index snapshot has ${reader.remaining} unexpected bytes after its sections`);
  return index;
}

/** Checks magic, version and checksum; returns a reader positioned after the version. */
function openSnapshot(bytes: Uint8Array): ByteReader {
  const magic = new TextDecoder().decode(bytes.subarray(0, 4));
  if (bytes.length < 16 || magic !== SNAPSHOT_MAGIC) throw new IncompatibleFormatError(`not an index snapshot (magic "${magic}", expected "${SNAPSHOT_MAGIC}")`);
  const body = bytes.subarray(0, bytes.length - 4);
  const stored = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(bytes.length - 4, true);
  const reader = new ByteReader(body);
  reader.bytes(4);
  const version = reader.u32();
  if (version !== SNAPSHOT_FORMAT_VERSION) {
    throw new IncompatibleFormatError(`index snapshot format version ${version} is not supported (this build reads version ${SNAPSHOT_FORMAT_VERSION})`);
  }
  if (crc32(body) !== stored) throw new IncompatibleFormatError('index snapshot is damaged or truncated (checksum mismatch)');
  return reader;
}

function readSections(index: InvertedIndex, header: Header, reader: ByteReader): void {
  const state = index.internals;
  const { docs, dict } = state;
  const slots = header.slots;
  const F = docs.fieldCount;
  docs.slotToDoc = reader.int32(slots, slots + 1);
  docs.live = reader.uint8(slots, slots + 1);
  docs.lengths = reader.uint32(slots * F, (slots + 1) * F);
  docs.termsStart = reader.uint32(slots + 1, slots + 2);
  docs.terms = reader.uint8(docs.termsStart[slots] as number);
  docs.slotCount = slots;
  docs.liveCount = header.liveCount;
  docs.docIdEnd = header.docIdEnd;
  docs.docToSlot = new Int32Array(Math.max(header.docIdEnd, 1)).fill(-1);
  for (let s = 0; s < slots; s++) {
    if (docs.live[s] !== 1) continue;
    docs.docToSlot[docs.slotToDoc[s] as number] = s;
    for (let f = 0; f < F; f++) {
      const length = docs.lengths[s * F + f] as number;
      docs.sumLengths[f] = (docs.sumLengths[f] as number) + length;
      if (length > 0) docs.docsWithField[f] = (docs.docsWithField[f] as number) + 1;
    }
  }
  const terms = reader.strings();
  if (terms.length !== header.terms) throw new IncompatibleFormatError(`index snapshot lists ${terms.length} terms, its header says ${header.terms}`);
  for (const term of terms) dict.intern(term);
  dict.df.set(reader.int32(header.terms));
  readPostings(dict.lists, reader.int32(header.terms * 4), reader);
  for (const values of state.keywords.values()) readKeywordValues(values, header.docIdEnd, reader);
  for (const values of state.numbers.values()) values.values = reader.float64(header.docIdEnd, header.docIdEnd + 1);
}

function readPostings(lists: PostingList[], meta: Int32Array, reader: ByteReader): void {
  lists.forEach((l, t) => {
    l.count = meta[t * 4] as number;
    l.lastSlot = meta[t * 4 + 1] as number;
    l.docsLength = meta[t * 4 + 2] as number;
    l.positionsLength = meta[t * 4 + 3] as number;
  });
  const docs = reader.uint8(lists.reduce((sum, l) => sum + l.docsLength, 0));
  const positions = reader.uint8(lists.reduce((sum, l) => sum + l.positionsLength, 0));
  const skips = reader.int32(lists.reduce((sum, l) => sum + Math.max(0, l.blockCount() - 1) * 3, 0));
  let d = 0;
  let p = 0;
  let s = 0;
  for (const l of lists) {
    l.docs = docs.subarray(d, (d += l.docsLength));
    l.positions = positions.subarray(p, (p += l.positionsLength));
    const n = Math.max(0, l.blockCount() - 1) * 3;
    l.skips = n === 0 ? undefined : skips.subarray(s, (s += n));
  }
}

function readKeywordValues(values: KeywordValues, docIdEnd: number, reader: ByteReader): void {
  const strings = reader.strings();
  const parents = reader.int32(strings.length);
  const depths = reader.int32(strings.length);
  values.restore(strings, parents, depths, reader.int32(docIdEnd, docIdEnd + 1, -1));
  const rest = reader.int32(reader.u32());
  for (let i = 0; i < rest.length; ) {
    const docId = rest[i] as number;
    const n = rest[i + 1] as number;
    values.rest.set(docId, rest.slice(i + 2, i + 2 + n));
    i += 2 + n;
  }
}


/**
 * Writes the index to `path` atomically: a temporary file in the same directory, fsync, rename, fsync
 * of the directory. A reader sees the old snapshot or the new one, never a part.
 */
export async function saveIndex(index: InvertedIndex, path: string): Promise<void> {
  await writeFileAtomic(path, writeIndex(index));
}

/**
 * Reads a snapshot file written by {@link saveIndex}.
 * @throws IncompatibleFormatError as {@link readIndex}; the file system's error when it cannot be read.
 */
export async function loadIndex(path: string, options: LoadOptions): Promise<InvertedIndex> {
  return readIndex(await readFile(path), options);
}
