import { Rng, type Seed } from '../core/index.js';
import type { VectorSet } from './io/vector-set.js';

export interface ClusteredOptions {
  count: number;
  dim: number;
  /** Gaussian clusters the points are drawn around (default 100). */
  clusters?: number;
  /** Standard deviation of a point around its cluster centre; centres are N(0, 1) per dimension (default 0.75). */
  spread?: number;
  seed: Seed;
}

/**
 * A seeded clustered data set, the synthetic case of the tests and `bench/ann.ts`: cluster centres
 * drawn N(0, 1) per dimension, each point a random centre plus N(0, spread^2) noise. Clusters overlap
 * at the default spread, so nearest neighbours are not trivially the own cluster's points. The same
 * seed (and label: `fork` the rng for queries) gives the same vectors.
 */
export function generateClustered(options: ClusteredOptions): VectorSet {
  const { count, dim, clusters = 100, spread = 0.75 } = options;
  const rng = new Rng(options.seed);
  const centres = new Float32Array(clusters * dim);
  const centreRng = rng.fork('centres');
  for (let i = 0; i < centres.length; i++) centres[i] = centreRng.normal();
  const pointRng = rng.fork('points');
  const data = new Float32Array(count * dim);
  for (let r = 0; r < count; r++) {
    const c = pointRng.int(clusters);
    for (let i = 0; i < dim; i++) data[r * dim + i] = centres[c * dim + i]! + spread * pointRng.normal();
  }
  return { count, dim, data };
}
