/**
 * Readers for the field's sparse text formats, one sample per line:
 *
 *   libffm   label field:feature:value field:feature:value ...     (libffm, xLearn)
 *   libsvm   label feature:value feature:value ...                 (LIBSVM, xLearn, Vowpal-style tools)
 *
 * Labels 1 / +1 are positives, 0 / -1 negatives. Fields are integers >= 0; features are any token without
 * whitespace or ':' (mapped to ids by a `FeatureMap`); values are finite numbers. A `#` starts a comment,
 * blank lines are skipped. A malformed line is never dropped silently: it is reported with its 1-based
 * line number and reason, and the good lines are kept.
 */

import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { CancelledError, QuarryError } from '../core/index.js';
import type { FeatureMap } from './feature-map.js';
import { SparseBatchBuilder, type SparseBatch } from './sparse-batch.js';

export type SparseFormat = 'libffm' | 'libsvm';

export interface SparseRejection {
  line: number;
  message: string;
}

export interface SparseReadOptions {
  /** `auto` (default) decides from the first sample: two colons in an entry → libffm, one → libsvm. */
  format?: SparseFormat | 'auto';
  /** Gives feature ids; freeze it before reading validation or test data. */
  featureMap: FeatureMap;
  /** How many rejections are listed (all are counted); default 1,000. */
  maxReported?: number;
  signal?: AbortSignal;
  /** Called every 65,536 lines. */
  onProgress?: (progress: { lines: number }) => void;
}

export interface SparseReadResult {
  batch: SparseBatch;
  format: SparseFormat;
  /** Lines read, blank and comment lines included. */
  lines: number;
  rejectedCount: number;
  /** The first `maxReported` rejections, in line order. */
  rejected: SparseRejection[];
  /** Entries dropped because a frozen feature map did not know their token. */
  unknownTokens: number;
}

/** Parses libffm/libsvm text already in memory (tests, small inputs). */
export function parseSparseText(text: string, options: SparseReadOptions): SparseReadResult {
  const reader = new SparseLineReader(options);
  for (const line of text.split(/\r?\n/)) reader.read(line);
  return reader.finish();
}

/**
 * Reads a libffm/libsvm file line by line.
 * @throws QuarryError (NOT_FOUND) when the file cannot be opened; CancelledError when `signal` aborts.
 */
export async function readSparseFile(path: string, options: SparseReadOptions): Promise<SparseReadResult> {
  const reader = new SparseLineReader(options);
  const input = createReadStream(path, { encoding: 'utf8' });
  const opened = new Promise<void>((resolve, reject) => {
    input.once('open', () => resolve());
    input.once('error', (error) => reject(new QuarryError('NOT_FOUND', `cannot read ${path}: ${error.message}`, { cause: error })));
  });
  await opened;
  for await (const line of createInterface({ input, crlfDelay: Infinity })) {
    reader.read(line);
    if ((reader.lines & 0xffff) === 0) {
      if (options.signal?.aborted) {
        input.destroy();
        throw new CancelledError(`reading ${path} interrupted at line ${reader.lines}`);
      }
      options.onProgress?.({ lines: reader.lines });
    }
  }
  return reader.finish();
}

/** Parses one line at a time into a batch builder; scratch arrays are reused across lines. */
class SparseLineReader {
  lines = 0;
  private format: SparseFormat | undefined;
  private readonly builder = new SparseBatchBuilder();
  private readonly rejected: SparseRejection[] = [];
  private rejectedCount = 0;
  private readonly maxReported: number;
  private readonly fields: number[] = [];
  private readonly indices: number[] = [];
  private readonly features: string[] = [];
  private readonly values: number[] = [];

  constructor(private readonly options: SparseReadOptions) {
    this.format = options.format === 'auto' || options.format === undefined ? undefined : options.format;
    this.maxReported = options.maxReported ?? 1_000;
  }

  read(raw: string): void {
    this.lines++;
    const hash = raw.indexOf('#');
    const text = (hash === -1 ? raw : raw.slice(0, hash)).trim();
    if (text === '') return;
    const tokens = text.split(/\s+/);
    this.format ??= detectFormat(tokens[1]);
    const problem = this.parse(tokens, this.format);
    if (problem === undefined) {
      this.builder.push({ label: labelOf(tokens[0] as string), fields: this.fields, indices: this.indices, values: this.values });
      return;
    }
    this.rejectedCount++;
    if (this.rejected.length < this.maxReported) this.rejected.push({ line: this.lines, message: problem });
  }

  finish(): SparseReadResult {
    const map = this.options.featureMap;
    return {
      batch: this.builder.build({ nFeatures: map.nFeatures, nFields: map.nFields }),
      format: this.format ?? 'libffm',
      lines: this.lines,
      rejectedCount: this.rejectedCount,
      rejected: this.rejected,
      unknownTokens: map.unknownTokens,
    };
  }

  /**
   * Fills the scratch arrays from the tokens; returns what is wrong with the line, if anything. Every
   * entry is checked before any is mapped, so a rejected line teaches the feature map nothing.
   */
  private parse(tokens: string[], format: SparseFormat): string | undefined {
    const map = this.options.featureMap;
    if (Number.isNaN(labelOf(tokens[0] as string))) return `label "${tokens[0]}" is not 0, 1, -1 or +1`;
    this.fields.length = 0;
    this.features.length = 0;
    this.values.length = 0;
    const expected = format === 'libffm' ? 3 : 2;
    for (let t = 1; t < tokens.length; t++) {
      const token = tokens[t] as string;
      const parts = token.split(':');
      if (parts.length !== expected) {
        return `entry ${t} "${token}" is not ${format === 'libffm' ? 'field:feature:value' : 'feature:value'} (${format})`;
      }
      const fieldText = format === 'libffm' ? (parts[0] as string) : '0';
      const feature = parts[expected - 2] as string;
      const valueText = parts[expected - 1] as string;
      const field = Number(fieldText);
      const value = Number(valueText);
      if (!/^\d+$/.test(fieldText)) return `entry ${t} "${token}": field "${fieldText}" is not an integer >= 0`;
      if (feature === '') return `entry ${t} "${token}": empty feature`;
      if (valueText === '' || !Number.isFinite(value)) return `entry ${t} "${token}": value "${valueText}" is not a finite number`;
      if (map.frozen && field >= map.nFields) return `entry ${t} "${token}": field ${field} is beyond the ${map.nFields} fields the model was trained with`;
      this.fields.push(field);
      this.features.push(feature);
      this.values.push(value);
    }
    this.indices.length = 0;
    let kept = 0;
    for (let e = 0; e < this.features.length; e++) {
      map.acceptField(this.fields[e] as number);
      const id = map.id(this.features[e] as string);
      if (id < 0) continue; // unknown to a frozen dictionary: no trained weight (counted in unknownTokens)
      this.fields[kept] = this.fields[e] as number;
      this.values[kept] = this.values[e] as number;
      this.indices.push(id);
      kept++;
    }
    this.fields.length = kept;
    this.values.length = kept;
    return undefined;
  }
}

function detectFormat(entry: string | undefined): SparseFormat {
  if (entry === undefined) return 'libffm';
  return entry.split(':').length === 2 ? 'libsvm' : 'libffm';
}

/** 1 for 1/+1, 0 for 0/-1, NaN otherwise (`1.0` and `-1.0` count too). */
function labelOf(token: string): number {
  const y = Number(token);
  if (y === 1) return 1;
  if (y === 0 || y === -1) return 0;
  return Number.NaN;
}

/** Formats rejections the way `quarry ingest` does: `FILE:LINE: rejected: reason`. */
export function formatRejections(path: string, result: Pick<SparseReadResult, 'rejected' | 'rejectedCount'>): string[] {
  const lines = result.rejected.map((r) => `${path}:${r.line}: rejected: ${r.message}`);
  if (result.rejectedCount > result.rejected.length) lines.push(`${path}: ... and ${result.rejectedCount - result.rejected.length} more rejected lines`);
  return lines;
}
