import { describe, expect, it } from 'vitest';
import { addVectors, exactNeighbours, recallAtK } from './add-vectors.js';
import { BruteForceIndex } from './brute-force-index.js';
import { generateClustered } from './synthetic.js';
import { expectQuarryError } from './vector-index-suite.js';

const base = generateClustered({ count: 300, dim: 5, seed: 'bulk' });

describe('addVectors', () => {
  it('adds every row by row number, reporting progress, and uses the ids a file brings', () => {
    const seen: number[] = [];
    const index = new BruteForceIndex({ dim: 5 });
    addVectors(index, base, { progressEvery: 100, onProgress: (done) => seen.push(done) });
    expect(index.size).toBe(300);
    expect(seen).toEqual([0, 100, 200, 300]);
    const named = new BruteForceIndex({ dim: 2 });
    addVectors(named, { count: 2, dim: 2, data: Float32Array.from([1, 2, 3, 4]), ids: ['x', 'y'] });
    expect(Array.from(named.get('y'))).toEqual([3, 4]);
  });

  it('stops with CANCELLED when the signal aborts, and rejects a dimension mismatch', () => {
    const abort = new AbortController();
    const index = new BruteForceIndex({ dim: 5 });
    expectQuarryError(
      () => addVectors(index, base, { progressEvery: 50, signal: abort.signal, onProgress: (done) => done === 100 && abort.abort() }),
      'CANCELLED',
      /building the index interrupted after 150 of 300 vectors/,
    );
    expectQuarryError(() => addVectors(new BruteForceIndex({ dim: 4 }), base), 'INVALID_ARGUMENT', /the vectors have 5 dims, the index expects 4/);
  });
});

describe('exactNeighbours and recallAtK', () => {
  it('gives each query its own row first when the queries are base rows, so recall against itself is 1', () => {
    const queries = { count: 10, dim: 5, data: base.data.slice(0, 50) };
    const truth = exactNeighbours(base, queries, 4);
    for (let q = 0; q < 10; q++) expect(truth.data[q * 4]).toBe(q);
    const found = Array.from({ length: 10 }, (_, q) => Array.from(truth.data.subarray(q * 4, q * 4 + 4)));
    expect(recallAtK(found, truth, 4)).toBe(1);
    expect(recallAtK(found.map((ids) => [ids[0]!, -1, -2, -3]), truth, 4)).toBe(0.25);
  });

  it('rejects a k beyond the base, and a ground truth too short for k', () => {
    expectQuarryError(() => exactNeighbours(base, base, 301), 'INVALID_ARGUMENT', /k must be an integer in 1\.\.300, got 301/);
    expectQuarryError(() => recallAtK([[1]], { count: 1, dim: 5, data: new Int32Array(5) }, 10), 'INVALID_ARGUMENT', /has 5 neighbours per query, recall@10 needs 10/);
  });
});
