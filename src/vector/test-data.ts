/**
 * Seeded data and measures shared by the vector tests. Test-only: not exported from `index.ts`.
 */
import type { Seed } from '../core/index.js';
import { BruteForceIndex } from './brute-force-index.js';
import type { Metric } from './distance.js';
import type { VectorSet } from './io/vector-set.js';
import { generateClustered } from './synthetic.js';
import type { SearchOptions, VectorId, VectorIndex } from './vector-index.js';

export function row(set: VectorSet, r: number): Float32Array {
  return set.data.subarray(r * set.dim, (r + 1) * set.dim);
}

/** A clustered base set and queries drawn around the same cluster centres (one draw, split). */
export function clusteredCase(options: { count: number; queries: number; dim: number; seed: Seed }): { base: VectorSet; queries: VectorSet } {
  const { count, queries, dim } = options;
  const all = generateClustered({ count: count + queries, dim, clusters: 20, seed: options.seed });
  return {
    base: { count, dim, data: all.data.subarray(0, count * dim) },
    queries: { count: queries, dim, data: all.data.subarray(count * dim) },
  };
}

export function fill<T extends VectorIndex>(index: T, set: VectorSet): T {
  for (let r = 0; r < set.count; r++) index.add(r, row(set, r));
  return index;
}

/**
 * Mean recall@k of `index` against exact search over the same vectors, both with `options` (the
 * filter applies to both). A query whose exact answer is shorter than k counts only what exists.
 */
export function recallAgainstExact(
  index: VectorIndex,
  exact: VectorIndex,
  queries: VectorSet,
  k: number,
  options: SearchOptions = {},
): number {
  let found = 0;
  let wanted = 0;
  for (let q = 0; q < queries.count; q++) {
    const truth = new Set<VectorId>(exact.search(row(queries, q), k, { filter: options.filter }).map((h) => h.id));
    wanted += truth.size;
    for (const hit of index.search(row(queries, q), k, options)) if (truth.has(hit.id)) found++;
  }
  return wanted === 0 ? 1 : found / wanted;
}

export function exactOf(set: VectorSet, metric: Metric = 'l2'): BruteForceIndex {
  return fill(new BruteForceIndex({ dim: set.dim, metric }), set);
}
