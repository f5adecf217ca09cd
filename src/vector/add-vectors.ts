import { CancelledError, InvalidArgumentError } from '../core/index.js';
import { BruteForceIndex } from './brute-force-index.js';
import type { Metric } from './distance.js';
import type { IntVectorSet, VectorSet } from './io/vector-set.js';
import type { VectorId, VectorIndex } from './vector-index.js';

export interface BulkOptions {
  /** Called every `progressEvery` vectors and at the end with (done, total). */
  onProgress?: (done: number, total: number) => void;
  /** Checked between vectors: an aborted signal stops the work with a CancelledError. */
  signal?: AbortSignal;
  /** Default 1000. */
  progressEvery?: number;
}

function checkAborted(signal: AbortSignal | undefined, what: string, done: number, total: number): void {
  if (signal?.aborted === true) throw new CancelledError(`${what} interrupted after ${done} of ${total} vectors`);
}

/**
 * Adds every row of `set` to `index`, with ids `set.ids` when the file named them, else the row
 * numbers 0..count-1.
 * @throws InvalidArgumentError when the dimensions differ; CancelledError when `signal` aborts.
 */
export function addVectors(index: VectorIndex, set: VectorSet, options: BulkOptions = {}): void {
  if (set.dim !== index.dim) throw new InvalidArgumentError(`the vectors have ${set.dim} dims, the index expects ${index.dim}`);
  const every = options.progressEvery ?? 1000;
  for (let r = 0; r < set.count; r++) {
    if (r % every === 0) {
      checkAborted(options.signal, 'building the index', r, set.count);
      options.onProgress?.(r, set.count);
    }
    const id: VectorId = set.ids?.[r] ?? r;
    index.add(id, set.data.subarray(r * set.dim, (r + 1) * set.dim));
  }
  options.onProgress?.(set.count, set.count);
}

/**
 * The exact k nearest base rows of every query (row numbers, closest first), by brute force: the
 * ground truth of `quarry eval ann` when none is given, and of `bench/ann.ts`.
 * @throws InvalidArgumentError when the dimensions differ or k exceeds the base size; CancelledError.
 */
export function exactNeighbours(base: VectorSet, queries: VectorSet, k: number, options: BulkOptions & { metric?: Metric } = {}): IntVectorSet {
  if (base.dim !== queries.dim) throw new InvalidArgumentError(`queries have ${queries.dim} dims, the base vectors ${base.dim}`);
  if (!Number.isInteger(k) || k <= 0 || k > base.count) throw new InvalidArgumentError(`k must be an integer in 1..${base.count}, got ${k}`);
  const index = new BruteForceIndex({ dim: base.dim, metric: options.metric ?? 'l2' });
  addVectors(index, { count: base.count, dim: base.dim, data: base.data });
  const data = new Int32Array(queries.count * k);
  const every = options.progressEvery ?? 100;
  for (let q = 0; q < queries.count; q++) {
    if (q % every === 0) {
      checkAborted(options.signal, 'computing the ground truth', q, queries.count);
      options.onProgress?.(q, queries.count);
    }
    const hits = index.search(queries.data.subarray(q * queries.dim, (q + 1) * queries.dim), k);
    for (let j = 0; j < k; j++) data[q * k + j] = hits[j]!.id as number;
  }
  options.onProgress?.(queries.count, queries.count);
  return { count: queries.count, dim: k, data };
}

/**
 * recall@k: the fraction of each query's true k nearest (the first k of its ground-truth row) found
 * among the k returned, averaged over queries. `found[q]` are the returned row numbers.
 * @throws InvalidArgumentError when the ground truth has fewer than k columns or rows.
 */
export function recallAtK(found: readonly (readonly number[])[], truth: IntVectorSet, k: number): number {
  if (truth.dim < k) throw new InvalidArgumentError(`the ground truth has ${truth.dim} neighbours per query, recall@${k} needs ${k}`);
  if (truth.count < found.length) throw new InvalidArgumentError(`the ground truth has ${truth.count} rows for ${found.length} queries`);
  let hits = 0;
  for (let q = 0; q < found.length; q++) {
    const wanted = new Set(truth.data.subarray(q * truth.dim, q * truth.dim + k));
    for (const id of found[q]!.slice(0, k)) if (wanted.has(id)) hits++;
  }
  return found.length === 0 ? 0 : hits / (found.length * k);
}
