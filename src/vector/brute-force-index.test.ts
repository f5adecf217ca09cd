import { describe, expect, it } from 'vitest';
import { BruteForceIndex } from './brute-force-index.js';
import { HnswIndex } from './hnsw-index.js';
import { describeVectorIndexSuite, expectQuarryError } from './vector-index-suite.js';

describeVectorIndexSuite('BruteForceIndex', {
  create: (options) => new BruteForceIndex(options),
  deserialize: (bytes) => BruteForceIndex.deserialize(bytes),
  load: (path) => BruteForceIndex.load(path),
});

describe('BruteForceIndex', () => {
  it('rejects a bad shape by naming it', () => {
    expectQuarryError(() => new BruteForceIndex({ dim: 0 }), 'INVALID_ARGUMENT', /dim must be a positive integer, got 0/);
    expectQuarryError(() => new BruteForceIndex({ dim: 2, metric: 'dot' as 'ip' }), 'INVALID_ARGUMENT', /metric must be one of l2, ip, cos, got dot/);
  });

  it('refuses an HNSW snapshot, and HNSW refuses a brute-force one, naming the kind expected', () => {
    const hnsw = new HnswIndex({ dim: 2 });
    hnsw.add('a', [1, 2]);
    expectQuarryError(() => BruteForceIndex.deserialize(hnsw.serialize()), 'INCOMPATIBLE_FORMAT', /not a brute-force index snapshot/);
    expectQuarryError(() => HnswIndex.deserialize(new BruteForceIndex({ dim: 2 }).serialize()), 'INCOMPATIBLE_FORMAT', /not an HNSW index snapshot/);
  });

  it('loads an empty index back as empty', () => {
    expect(BruteForceIndex.deserialize(new BruteForceIndex({ dim: 2 }).serialize()).size).toBe(0);
  });
});
