import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { CancelledError, IdSchema, IncompatibleFormatError, InvalidArgumentError, NotFoundError, type FieldIssue } from '../core/index.js';
import { readVectorFile, type Metric } from '../vector/index.js';
import type { ItemVectorSet } from './item-vectors.js';

/** The formats `quarry vectors import` reads. JSONL carries its ids; the others take an ids file. */
export type ItemVectorFormat = 'jsonl' | 'fvecs' | 'npy' | 'text';
export const ITEM_VECTOR_FORMATS: readonly ItemVectorFormat[] = ['jsonl', 'fvecs', 'npy', 'text'];

export interface ReadItemVectorsOptions {
  /** Default: from the file's extension (`.jsonl`, `.fvecs`, `.npy`, `.txt`/`.csv`/`.tsv`). */
  format?: ItemVectorFormat;
  /** One item id per line, line r naming vector r; required for every format but JSONL, refused with it. */
  idsPath?: string;
  /** How the vectors will be compared: under `cos` a zero vector is refused (it has no direction). */
  metric: Metric;
  /** Problems listed in the error (all are counted). Default 20. */
  maxProblems?: number;
  signal?: AbortSignal;
  /** Told how reading goes: bytes for JSONL, vectors checked for the other formats. */
  onProgress?: (progress: { done: number; total: number }) => void;
}

/** What an import found wrong, at most `maxProblems` of them, and how many there were. */
class Problems {
  readonly listed: { where: string; message: string }[] = [];
  count = 0;

  constructor(private readonly max: number) {}

  add(where: string, message: string): void {
    this.count++;
    if (this.listed.length < this.max) this.listed.push({ where, message });
  }

  /** @throws IncompatibleFormatError listing the problems, when there are any. */
  throwIfAny(source: string): void {
    if (this.count === 0) return;
    const more = this.count > this.listed.length ? `\n  … and ${this.count - this.listed.length} more` : '';
    const lines = this.listed.map((p) => `\n  ${p.where}: ${p.message}`).join('');
    const issues: FieldIssue[] = this.listed.map((p) => ({ path: [p.where], message: p.message }));
    throw new IncompatibleFormatError(`${source}: ${this.count} problem${this.count === 1 ? '' : 's'}; nothing was imported:${lines}${more}`, { issues });
  }
}

/**
 * Reads item vectors a user brings, checking everything before anything is kept: JSONL lines
 * `{"id": "sku-1", "vector": [0.1, ...]}` (ids are item ids, strings or integers), or fvecs / npy / text
 * rows with an ids file. Refused, with the line (JSONL, ids file) or vector number: malformed JSON, a
 * missing or bad id, an id given twice, a dimension other than the first vector's, NaN, infinity or a
 * value beyond float32, a zero vector under `cos`, an ids file whose count differs from the vectors'.
 * Lines count from 1; vectors of the binary formats from 0, as the `vector/io` readers count them.
 * @throws NotFoundError for a missing file; IncompatibleFormatError listing the problems;
 *   InvalidArgumentError for a format/ids mismatch; CancelledError when the signal aborts.
 */
export async function readItemVectors(path: string, options: ReadItemVectorsOptions): Promise<ItemVectorSet> {
  const format = options.format ?? itemVectorFormatOf(path);
  const problems = new Problems(options.maxProblems ?? 20);
  if (format === 'jsonl') {
    if (options.idsPath !== undefined) throw new InvalidArgumentError('a JSONL file carries its own ids: --ids is only for fvecs, npy and text files');
    const set = await readJsonl(path, options, problems);
    problems.throwIfAny(path);
    return set;
  }
  if (options.idsPath === undefined) throw new InvalidArgumentError(`a ${format} file carries no item ids: pass an ids file (one item id per line, in the order of the vectors)`);
  const ids = await readIds(options.idsPath, problems);
  const vectors = await readVectorFile(path, format);
  if (ids.length !== vectors.count) problems.add(options.idsPath, `${ids.length} ids for the ${vectors.count} vectors of ${path}`);
  for (let row = 0; row < vectors.count; row++) {
    const problem = vectorProblem(vectors.data.subarray(row * vectors.dim, (row + 1) * vectors.dim), options.metric);
    if (problem !== undefined) problems.add(`vector ${row}${ids[row] === undefined ? '' : ` (id ${JSON.stringify(ids[row])})`}`, problem);
    if (row % 10_000 === 9_999) checkpoint(options, row + 1, vectors.count, 'vectors');
  }
  options.onProgress?.({ done: vectors.count, total: vectors.count });
  problems.throwIfAny(path);
  return { dim: vectors.dim, metric: options.metric, ids, data: vectors.data };
}

/**
 * The format a file name implies.
 * @throws InvalidArgumentError when the extension implies none of `ITEM_VECTOR_FORMATS`.
 */
export function itemVectorFormatOf(path: string): ItemVectorFormat {
  const name = path.toLowerCase();
  if (name.endsWith('.jsonl')) return 'jsonl';
  if (name.endsWith('.fvecs')) return 'fvecs';
  if (name.endsWith('.npy')) return 'npy';
  if (/\.(txt|csv|tsv)$/.test(name)) return 'text';
  throw new InvalidArgumentError(`cannot tell the vector format of "${path}" from its extension: pass the format (${ITEM_VECTOR_FORMATS.join(', ')})`);
}

function checkpoint(options: ReadItemVectorsOptions, done: number, total: number, unit: string): void {
  options.onProgress?.({ done, total });
  if (options.signal?.aborted === true) throw new CancelledError(`import stopped after ${done.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} ${unit}; nothing was imported`);
}

/** Why a vector cannot be served, or undefined. */
function vectorProblem(vector: Float32Array, metric: Metric): string | undefined {
  let nonZero = false;
  for (let i = 0; i < vector.length; i++) {
    const x = vector[i]!;
    if (!Number.isFinite(x)) return `value ${i + 1} is ${x}`;
    if (x !== 0) nonZero = true;
  }
  return !nonZero && metric === 'cos' ? 'the vector is all zeros, which has no direction to compare under cos' : undefined;
}

async function readJsonl(path: string, options: ReadItemVectorsOptions, problems: Problems): Promise<ItemVectorSet> {
  const total = (await statOrThrow(path)).size;
  const stream = createReadStream(path, { encoding: 'utf8' });
  const reader = new JsonlVectorReader(options.metric, problems);
  try {
    let lineNo = 0;
    for await (const line of createInterface({ input: stream, crlfDelay: Infinity })) {
      reader.line(line, ++lineNo);
      if (lineNo % 2_000 === 0) checkpoint(options, stream.bytesRead, total, 'bytes');
    }
    options.onProgress?.({ done: total, total });
  } finally {
    stream.destroy();
  }
  if (reader.ids.length === 0 && problems.count === 0) problems.add('line 1', 'no vectors in the file');
  return { dim: reader.dim, metric: options.metric, ids: reader.ids, data: reader.values.toArray() };
}

/** The JSONL lines one by one: the good ones kept, the bad ones counted as problems with their line. */
class JsonlVectorReader {
  readonly ids: string[] = [];
  readonly values = new FloatBuffer();
  dim = 0;
  private dimLine = 0;
  private readonly lineOfId = new Map<string, number>();
  private readonly row: number[] = [];

  constructor(
    private readonly metric: Metric,
    private readonly problems: Problems,
  ) {}

  line(text: string, lineNo: number): void {
    if (text.trim() === '') return;
    const problem = this.parse(text, lineNo);
    if (problem !== undefined) this.problems.add(`line ${lineNo}`, problem);
  }

  /** Keeps the line's vector, or says what is wrong with it. */
  private parse(text: string, lineNo: number): string | undefined {
    let record: unknown;
    try {
      record = JSON.parse(text);
    } catch (error) {
      if (/\b(NaN|Infinity)\b/.test(text)) return 'the vector holds NaN or Infinity, which is not a number JSON can carry';
      return `not valid JSON (${(error as Error).message})`;
    }
    if (record === null || typeof record !== 'object' || Array.isArray(record)) return 'expected an object {"id": ..., "vector": [...]}';
    const { id: rawId, vector } = record as { id?: unknown; vector?: unknown };
    const id = Number.isSafeInteger(rawId) ? String(rawId) : rawId;
    const idCheck = IdSchema.safeParse(id);
    if (!idCheck.success) return `"id" must be an item id (a non-empty string or an integer): ${idCheck.error.issues[0]?.message ?? 'invalid'}, got ${JSON.stringify(rawId)}`;
    const earlier = this.lineOfId.get(idCheck.data);
    if (earlier !== undefined) return `id ${JSON.stringify(idCheck.data)} was already given on line ${earlier}`;
    if (!Array.isArray(vector) || vector.length === 0) return '"vector" must be a non-empty array of numbers';
    if (this.dimLine !== 0 && vector.length !== this.dim) return `the vector has ${vector.length} dims; the first one (line ${this.dimLine}) has ${this.dim}`;
    const row = this.row;
    row.length = 0;
    let nonZero = false;
    for (let i = 0; i < vector.length; i++) {
      const x: unknown = vector[i];
      if (typeof x !== 'number') return `value ${i + 1} is ${JSON.stringify(x)}, not a number`;
      if (!Number.isFinite(Math.fround(x))) return `value ${i + 1} (${x}) is beyond the float32 range`;
      if (x !== 0) nonZero = true;
      row.push(x);
    }
    if (!nonZero && this.metric === 'cos') return 'the vector is all zeros, which has no direction to compare under cos';
    if (this.dimLine === 0) [this.dim, this.dimLine] = [vector.length, lineNo];
    this.values.push(row);
    this.ids.push(idCheck.data);
    this.lineOfId.set(idCheck.data, lineNo);
    return undefined;
  }
}

/** A Float32Array that grows by doubling, so a large file never sits in memory as JS numbers. */
class FloatBuffer {
  private data = new Float32Array(1_024);
  private length = 0;

  push(values: readonly number[]): void {
    if (this.length + values.length > this.data.length) {
      const grown = new Float32Array(Math.max(this.data.length * 2, this.length + values.length));
      grown.set(this.data.subarray(0, this.length));
      this.data = grown;
    }
    for (let i = 0; i < values.length; i++) this.data[this.length + i] = values[i]!;
    this.length += values.length;
  }

  toArray(): Float32Array {
    return this.data.slice(0, this.length);
  }
}

/** An ids file: one item id per line (surrounding spaces trimmed); a final empty line is allowed. */
async function readIds(path: string, problems: Problems): Promise<string[]> {
  await statOrThrow(path);
  const lines = (await readFile(path, 'utf8')).split(/\r?\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  const lineOfId = new Map<string, number>();
  return lines.map((line, index) => {
    const id = line.trim();
    const where = `${path} line ${index + 1}`;
    const check = IdSchema.safeParse(id);
    if (!check.success) problems.add(where, `not an item id: ${check.error.issues[0]?.message ?? 'invalid'}`);
    const earlier = lineOfId.get(id);
    if (earlier !== undefined) problems.add(where, `id ${JSON.stringify(id)} was already given on line ${earlier}`);
    else lineOfId.set(id, index + 1);
    return id;
  });
}

async function statOrThrow(path: string): Promise<{ size: number }> {
  try {
    return await stat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new NotFoundError(`no such file: ${path}`, { cause: error });
    throw error;
  }
}

/**
 * The ids of `set` that `isKnown` does not accept (items not in the catalog): how many, and the first
 * `examples` of them in file order.
 */
export function unknownItemIds(set: Pick<ItemVectorSet, 'ids'>, isKnown: (id: string) => boolean, examples = 5): { count: number; examples: string[] } {
  const unknown = set.ids.filter((id) => !isKnown(id));
  return { count: unknown.length, examples: unknown.slice(0, examples) };
}
