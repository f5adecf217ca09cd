import { FailedPreconditionError, InvalidArgumentError } from '../core/index.js';
import type { Metric } from './distance.js';
import { formatId } from './vector-slots.js';

/** An item's id in a vector index: the caller's own (a string, or a safe integer). */
export type VectorId = string | number;

/** A vector as callers pass it: any array of numbers. Indexes copy it; they never keep the caller's array. */
export type VectorLike = ArrayLike<number>;

/** One search result: `distance` under the index's metric (see `distance.ts`), smaller is closer. */
export interface SearchHit {
  id: VectorId;
  distance: number;
}

export interface SearchOptions {
  /** HNSW: the size of the dynamic candidate list at layer 0 (raised to `k` when smaller). Ignored by brute force. */
  ef?: number;
  /** Only items whose id passes are returned (see docs/vector.md, "Filtered search"). */
  filter?: (id: VectorId) => boolean;
  /** HNSW with compressed vectors: how many candidates to re-rank with float32 distances (default 4 * k). */
  rerank?: number;
}

/**
 * A nearest-neighbour index over vectors of one dimension and metric. `BruteForceIndex` (exact) and
 * `HnswIndex` (approximate) implement it and pass the same suite (`vector-index-suite.ts`).
 */
export interface VectorIndex {
  readonly dim: number;
  readonly metric: Metric;
  /** Live vectors (removed ones are not counted). */
  readonly size: number;
  /**
   * Adds a vector, or replaces the vector of an id already present (an update: remove, then add).
   * @throws InvalidArgumentError for a bad id, a wrong dimension, a NaN or infinite value, or a zero
   *   vector under `cos`.
   */
  add(id: VectorId, vector: VectorLike): void;
  /**
   * Removes a vector: it is never returned again.
   * @throws NotFoundError when the id is not in the index.
   */
  remove(id: VectorId): void;
  has(id: VectorId): boolean;
  /**
   * A copy of the stored vector (unit length under `cos`).
   * @throws NotFoundError when the id is not in the index.
   */
  get(id: VectorId): Float32Array;
  /**
   * The `k` nearest live vectors to `query`, closest first (fewer when fewer pass the filter).
   * @throws InvalidArgumentError for a bad query or k; FailedPreconditionError on an empty index.
   */
  search(query: VectorLike, k: number, options?: SearchOptions): SearchHit[];
  /** The index as snapshot bytes (magic number, format version, checksum: see `snapshot.ts`). */
  serialize(): Uint8Array;
  /** Writes the snapshot to `path` atomically (temporary file, fsync, rename). */
  save(path: string): Promise<void>;
}

/**
 * Checks a caller's id.
 * @throws InvalidArgumentError unless it is a non-empty string or a safe integer.
 */
export function checkId(id: VectorId): void {
  const ok = typeof id === 'string' ? id.length > 0 : Number.isSafeInteger(id);
  if (!ok) throw new InvalidArgumentError(`vector id must be a non-empty string or a safe integer, got ${formatId(id)}`);
}

/**
 * Checks a vector's length and values.
 * @throws InvalidArgumentError naming the dimension mismatch or the first non-finite value.
 */
export function checkVector(vector: VectorLike, dim: number, what: string): void {
  if (vector === null || typeof vector !== 'object' || typeof vector.length !== 'number') {
    throw new InvalidArgumentError(`${what} must be an array of numbers, got ${typeof vector}`);
  }
  if (vector.length !== dim) throw new InvalidArgumentError(`${what} has ${vector.length} dims, the index expects ${dim}`);
  for (let i = 0; i < dim; i++) {
    const x = vector[i];
    if (typeof x !== 'number' || !Number.isFinite(x)) {
      throw new InvalidArgumentError(`${what} has a non-finite value at dim ${i}: ${String(x)}`);
    }
  }
}

/**
 * Checks `k` and that there is something to search.
 * @throws InvalidArgumentError when k is not a positive integer; FailedPreconditionError on an empty index.
 */
export function checkSearch(k: number, size: number, options: SearchOptions): void {
  if (!Number.isInteger(k) || k <= 0) throw new InvalidArgumentError(`k must be a positive integer, got ${k}`);
  if (options.ef !== undefined && (!Number.isInteger(options.ef) || options.ef <= 0)) {
    throw new InvalidArgumentError(`ef must be a positive integer, got ${options.ef}`);
  }
  if (options.rerank !== undefined && (!Number.isInteger(options.rerank) || options.rerank <= 0)) {
    throw new InvalidArgumentError(`rerank must be a positive integer, got ${options.rerank}`);
  }
  if (options.filter !== undefined && typeof options.filter !== 'function') {
    throw new InvalidArgumentError(`filter must be a function (id) => boolean, got ${typeof options.filter}`);
  }
  if (size === 0) throw new FailedPreconditionError('cannot search an empty vector index: add vectors first');
}
