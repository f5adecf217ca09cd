import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { Rng } from '../core/index.js';
import { BruteForceIndex } from './brute-force-index.js';
import { HnswIndex, compactionDue } from './hnsw-index.js';
import { decodeSnapshot } from './snapshot.js';
import { clusteredCase, exactOf, fill, recallAgainstExact, row } from './test-data.js';
import { describeVectorIndexSuite, expectQuarryError } from './vector-index-suite.js';
import type { VectorId } from './vector-index.js';

for (const quantization of ['none', 'int8', 'fp8'] as const) {
  describeVectorIndexSuite(`HnswIndex (quantization ${quantization})`, {
    create: (options) => new HnswIndex({ ...options, quantization }),
    deserialize: (bytes) => HnswIndex.deserialize(bytes),
    load: (path) => HnswIndex.load(path),
  });
}

describe('HnswIndex recall against exact search', () => {
  const { base, queries } = clusteredCase({ count: 2000, queries: 200, dim: 16, seed: 'hnsw-recall' });

  it.each(['l2', 'ip', 'cos'] as const)('reaches recall@10 >= 0.95 at ef 64 on 2,000 seeded clustered vectors (%s)', (metric) => {
    const index = fill(new HnswIndex({ dim: 16, metric }), base);
    expect(recallAgainstExact(index, exactOf(base, metric), queries, 10, { ef: 64 })).toBeGreaterThanOrEqual(0.95);
  });

  it('finds the exact top k on any small set, where ef covers the whole graph (property, against brute force)', () => {
    const arbitrary = fc.record({
      seed: fc.integer(),
      count: fc.integer({ min: 1, max: 60 }),
      dim: fc.integer({ min: 1, max: 9 }),
      k: fc.integer({ min: 1, max: 12 }),
      metric: fc.constantFrom('l2' as const, 'ip' as const, 'cos' as const),
    });
    fc.assert(
      fc.property(arbitrary, ({ seed, count, dim, k, metric }) => {
        const rng = new Rng(seed);
        const vectors = Array.from({ length: count }, () => Array.from({ length: dim }, () => rng.normal()));
        // A sparse graph (M = 4) makes unreachable nodes likely if repair or the heuristic were wrong. Not
        // under ip: 1 - dot is no metric (a vector is not its own nearest), and at M = 4 the heuristic
        // leaves an occasional node unreachable there (4 of 500 cases), as in hnswlib.
        const hnsw = new HnswIndex({ dim, metric, M: metric === 'ip' ? 16 : 4, efConstruction: 16 });
        const exact = new BruteForceIndex({ dim, metric });
        vectors.forEach((v, i) => {
          hnsw.add(i, v);
          exact.add(i, v);
        });
        const query = Array.from({ length: dim }, () => rng.normal());
        const got = hnsw.search(query, k, { ef: 64 }).map((h) => h.distance);
        const want = exact.search(query, k).map((h) => h.distance);
        expect(got).toHaveLength(want.length);
        got.forEach((d, i) => expect(d).toBeCloseTo(want[i]!, 5));
      }),
      { numRuns: 60, seed: 4 },
    );
  });
});

describe('HnswIndex determinism', () => {
  const { base } = clusteredCase({ count: 500, queries: 1, dim: 8, seed: 'hnsw-determinism' });

  it('builds the same graph, byte for byte, from the same seed and insertion order', () => {
    const a = fill(new HnswIndex({ dim: 8, seed: 7 }), base).serialize();
    const b = fill(new HnswIndex({ dim: 8, seed: 7 }), base).serialize();
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    const c = fill(new HnswIndex({ dim: 8, seed: 8 }), base).serialize();
    expect(Buffer.from(a).equals(Buffer.from(c))).toBe(false);
  });

  it('builds the same snapshot with the pure TypeScript kernel as with the default (WebAssembly) one, and refuses an unknown kernel', () => {
    const { base: wide } = clusteredCase({ count: 600, queries: 1, dim: 48, seed: 'hnsw-kernels' });
    const auto = fill(new HnswIndex({ dim: 48, seed: 3 }), wide).serialize();
    const typescript = fill(new HnswIndex({ dim: 48, seed: 3, kernel: 'typescript' }), wide).serialize();
    expect(Buffer.from(auto).equals(Buffer.from(typescript))).toBe(true);
    expect(() => new HnswIndex({ dim: 4, kernel: 'simd' as 'auto' })).toThrow(/HNSW kernel must be auto or typescript, got simd/);
  });

  it('continues after a load exactly as if it had never been saved (the level rng is restored)', () => {
    const half = { count: 250, dim: 8, data: base.data.subarray(0, 250 * 8) };
    const reloaded = HnswIndex.deserialize(fill(new HnswIndex({ dim: 8 }), half).serialize());
    for (let r = 250; r < 500; r++) reloaded.add(r, row(base, r));
    const straight = fill(new HnswIndex({ dim: 8 }), base);
    expect(Buffer.from(reloaded.serialize()).equals(Buffer.from(straight.serialize()))).toBe(true);
  });
});

describe('HnswIndex compaction while growing', () => {
  it('compacts at 4,096 slots and then at each quarter more, sizes that depend on the count alone', () => {
    expect([4095, 4096, 4097, 5119, 5120, 6400, 8000, 10000].map(compactionDue)).toEqual([false, true, false, false, true, true, true, true]);
  });

  it('lays the rows out in graph order at those sizes, and a save and load in between builds the same index', () => {
    const { base, queries } = clusteredCase({ count: 5200, queries: 50, dim: 4, seed: 'hnsw-auto-compact' });
    const options = { dim: 4, M: 4, efConstruction: 16 };
    const straight = new HnswIndex(options);
    for (let r = 0; r < 4095; r++) straight.add(r, row(base, r));
    // Slots in insertion order until the first compaction, in breadth-first graph order after it.
    const inOrder = (index: HnswIndex): boolean => linksOf(index).ids.every((id, slot) => id === slot);
    expect(inOrder(straight)).toBe(true);
    const reloaded = HnswIndex.deserialize(straight.serialize());
    for (const index of [straight, reloaded]) for (let r = 4095; r < base.count; r++) index.add(r, row(base, r));
    expect(inOrder(straight)).toBe(false);
    expect(Buffer.from(reloaded.serialize()).equals(Buffer.from(straight.serialize()))).toBe(true);
    expect(recallAgainstExact(straight, exactOf(base), queries, 10, { ef: 64 })).toBeGreaterThanOrEqual(0.95);
  });

  it('compacts once per size even when updates hover around it (counted by insertions, not by slots)', () => {
    const { base } = clusteredCase({ count: 4200, queries: 1, dim: 4, seed: 'hnsw-update-compact' });
    const index = new HnswIndex({ dim: 4, M: 4, efConstruction: 16 });
    for (let r = 0; r < 4095; r++) index.add(r, row(base, r));
    const compactions = vi.spyOn(index as unknown as { layOutInGraphOrder: () => void }, 'layOutInGraphOrder');
    // 100 replacements of live ids: each removes a slot and appends one, so the slot count stays near 4,096.
    for (let r = 0; r < 100; r++) index.add(r, row(base, 4095 + r));
    expect(compactions).toHaveBeenCalledTimes(1);
    expect(index.size).toBe(4095);
  });

  it('holds the link distances while building, and drops them at compact()', () => {
    const { base } = clusteredCase({ count: 300, queries: 1, dim: 8, seed: 'hnsw-link-distances' });
    const index = fill(new HnswIndex({ dim: 8, M: 8 }), base);
    const building = index.memory();
    // Layer 0: 2M + 1 float64 per node; upper rows add a little more.
    expect(building.buildBytes).toBeGreaterThanOrEqual(8 * 17);
    expect(building.totalBytes).toBeCloseTo(building.vectorBytes + building.graphBytes + building.buildBytes, 6);
    index.compact();
    expect(index.memory()).toMatchObject({ buildBytes: 0, graphBytes: building.graphBytes });
    expect(HnswIndex.deserialize(index.serialize()).memory().buildBytes).toBe(0);
  });
});

/** The live slots' neighbour lists, read from a snapshot, and which slots are tombstones. */
function linksOf(index: HnswIndex): { deleted: Uint8Array; rows: Int32Array[]; entryPoint: number; ids: VectorId[] } {
  const snapshot = decodeSnapshot(index.serialize());
  const M = index.options.M;
  const deleted = snapshot.sections.get('deleted') as Uint8Array;
  const rows: Int32Array[] = [];
  for (const [name, stride] of [['links0', 2 * M + 1], ['upper', M + 1]] as const) {
    const links = snapshot.sections.get(name) as Int32Array;
    for (let i = 0; i < links.length; i += stride) rows.push(links.subarray(i, i + stride));
  }
  const ids = JSON.parse(new TextDecoder().decode(snapshot.sections.get('ids'))) as VectorId[];
  return { deleted, rows, entryPoint: snapshot.header.entryPoint as number, ids };
}

describe('HnswIndex deletes and updates', () => {
  const { base, queries } = clusteredCase({ count: 2000, queries: 100, dim: 16, seed: 'hnsw-delete' });

  it('repairs the graph: no list links a tombstone, recall stays >= 0.95 and removed items never come back', () => {
    const index = fill(new HnswIndex({ dim: 16, efConstruction: 100 }), base);
    const exact = exactOf(base);
    const removed = new Set<number>();
    // The entry point first (the hardest node to lose), then every third item.
    removed.add(linksOf(index).ids[linksOf(index).entryPoint] as number);
    for (let r = 0; r < base.count; r += 3) removed.add(r);
    for (const id of removed) {
      index.remove(id);
      exact.remove(id);
    }
    const { deleted, rows } = linksOf(index);
    const linked = rows.flatMap((list) => Array.from(list.subarray(1, 1 + list[0]!)));
    expect(linked.filter((slot) => deleted[slot] === 1)).toEqual([]);
    for (let q = 0; q < queries.count; q++) {
      expect(index.search(row(queries, q), 10).filter((h) => removed.has(h.id as number))).toEqual([]);
    }
    expect(recallAgainstExact(index, exact, queries, 10, { ef: 64 })).toBeGreaterThanOrEqual(0.95);
  });

  it('compacts: drops removed rows, renumbers in graph order, answers the same, and keeps growing', () => {
    const index = fill(new HnswIndex({ dim: 16, efConstruction: 60 }), { ...base, count: 800 });
    for (let r = 0; r < 800; r += 4) index.remove(r);
    const before = Array.from({ length: 20 }, (_, q) => index.search(row(queries, q), 10).map((h) => h.distance));
    const bytesBefore = index.serialize().length;
    index.compact();
    expect(index.size).toBe(600);
    expect(index.serialize().length).toBeLessThan(bytesBefore);
    expect(linksOf(index).deleted.every((d) => d === 0)).toBe(true);
    for (let q = 0; q < 20; q++) expect(index.search(row(queries, q), 10).map((h) => h.distance)).toEqual(before[q]);
    expect(index.has(4)).toBe(false);
    expect(Array.from(index.get(5))).toEqual(Array.from(row(base, 5)));
    // Growing after compaction, with a save and load in between, gives the same graph as without it.
    const reloaded = HnswIndex.deserialize(index.serialize());
    for (const target of [index, reloaded]) for (let r = 800; r < 900; r++) target.add(r, row(base, r));
    expect(Buffer.from(reloaded.serialize()).equals(Buffer.from(index.serialize()))).toBe(true);
    expect(index.search(row(base, 850), 1)[0]).toEqual({ id: 850, distance: 0 });
  });

  it('finds an updated vector at its new place only', () => {
    const index = fill(new HnswIndex({ dim: 16, efConstruction: 100 }), { ...base, count: 500 });
    for (let r = 0; r < 50; r++) index.add(r, row(base, 1000 + r));
    expect(index.size).toBe(500);
    for (let r = 0; r < 50; r++) {
      expect(index.search(row(base, 1000 + r), 1)[0]).toEqual({ id: r, distance: 0 });
      expect(index.search(row(base, r), 1)[0]?.id).not.toBe(r);
    }
  });
});

describe('HnswIndex filtered search', () => {
  const { base, queries } = clusteredCase({ count: 5000, queries: 100, dim: 16, seed: 'hnsw-filter' });
  const index = fill(new HnswIndex({ dim: 16, efConstruction: 100 }), base);
  const exact = exactOf(base);
  /** A filter passing a seeded random `fraction` of ids: unrelated to where the vectors lie. */
  const passing = (fraction: number): ((id: VectorId) => boolean) => {
    const rng = new Rng(`filter/${fraction}`);
    const allowed = new Uint8Array(base.count).map(() => (rng.next() < fraction ? 1 : 0));
    return (id) => allowed[id as number] === 1;
  };

  // Stated threshold: recall@10 >= 0.95 against brute force + the same filter, at every selectivity.
  it.each([0.5, 0.1, 0.02, 0.005])('keeps recall@10 >= 0.95 against brute force + filter when %f of items pass', (fraction) => {
    const filter = passing(fraction);
    expect(recallAgainstExact(index, exact, queries, 10, { filter, ef: 64 })).toBeGreaterThanOrEqual(0.95);
    for (let q = 0; q < 10; q++) expect(index.search(row(queries, q), 10, { filter }).every((h) => filter(h.id))).toBe(true);
  });

  it('keeps recall@10 >= 0.95 walking the graph alone (no exact fallback) down to 2% selectivity', () => {
    const walkOnly = HnswIndex.deserialize(index.serialize());
    walkOnly.configure({ bruteForceSelectivity: 0 });
    for (const fraction of [0.5, 0.1, 0.02]) {
      expect(recallAgainstExact(walkOnly, exact, queries, 10, { filter: passing(fraction), ef: 64 })).toBeGreaterThanOrEqual(0.95);
    }
  });

  it('scans exactly below a selectivity that falls as the index grows and rises with ef (the cost model)', () => {
    const threshold = index.exactScanBelow(64);
    // n = 5,000, ef 64, M 16: the root of 5000 p^2 + 78.1 p - 512 = 0.
    expect(threshold).toBeCloseTo(0.312, 2);
    expect(index.exactScanBelow(256)).toBeGreaterThan(threshold);
    const small = fill(new HnswIndex({ dim: 16 }), { ...base, count: 1000 });
    expect(small.exactScanBelow(64)).toBeGreaterThan(threshold);
    small.configure({ bruteForceSelectivity: 0.01 });
    expect(small.exactScanBelow(64)).toBe(0.01);
  });

  it('estimates selectivity by sampling within 0.05 of the true fraction', () => {
    for (const fraction of [0.5, 0.1, 0.02]) {
      const filter = passing(fraction);
      let truth = 0;
      for (let r = 0; r < base.count; r++) if (filter(r)) truth++;
      expect(Math.abs(index.estimateSelectivity(filter) - truth / base.count)).toBeLessThan(0.05);
    }
  });
});

describe('HnswIndex compressed vectors', () => {
  const { base, queries } = clusteredCase({ count: 1000, queries: 100, dim: 64, seed: 'hnsw-codes' });
  const exact = exactOf(base);
  const float32 = recallAgainstExact(fill(new HnswIndex({ dim: 64, efConstruction: 100 }), base), exact, queries, 10, { ef: 64 });

  it.each(['fp8', 'int8'] as const)('%s: recall@10 within 0.01 of float32 after re-ranking 4k candidates', (quantization) => {
    const index = fill(new HnswIndex({ dim: 64, efConstruction: 100, quantization }), base);
    expect(recallAgainstExact(index, exact, queries, 10, { ef: 64 })).toBeGreaterThanOrEqual(float32 - 0.01);
  });

  it.each([
    [784, 784 + 25],
    [64, 64 + 2],
    [8, 8 + 1],
  ])('stores fp8 codes in at most 30%% of the float32 bytes at %i dims (codes + one scale byte per 32 dims)', (dim, bytes) => {
    const memory = new HnswIndex({ dim, quantization: 'fp8' }).memory();
    expect(memory.codeBytes).toBe(bytes);
    expect(memory.searchedBytes / memory.vectorBytes).toBeLessThanOrEqual(0.3);
  });

  it('stores int8 codes with two float32 scale parameters', () => {
    expect(new HnswIndex({ dim: 64, quantization: 'int8' }).memory().codeBytes).toBe(64 + 8);
  });

  it('re-ranks with float32: returned distances are exact', () => {
    const index = fill(new HnswIndex({ dim: 64, quantization: 'fp8' }), { ...base, count: 300 });
    const small = exactOf({ ...base, count: 300 });
    const got = index.search(row(queries, 0), 5);
    expect(got.map((h) => h.distance)).toEqual(small.search(row(queries, 0), 5).map((h) => h.distance));
  });
});

describe('HnswIndex options', () => {
  it.each([
    [{ M: 1 }, /M must be an integer >= 2, got 1/],
    [{ efConstruction: 0 }, /efConstruction must be an integer >= 1, got 0/],
    [{ quantization: 'fp4' as 'fp8' }, /quantization must be one of none, int8, fp8, got fp4/],
    [{ bruteForceSelectivity: 2 }, /bruteForceSelectivity must be in \[0, 1\], got 2/],
    [{ rerankFactor: 0.5 }, /rerankFactor must be >= 1, got 0.5/],
    [{ dim: -1 }, /dim must be a positive integer, got -1/],
  ])('rejects %o by naming it', (options, message) => {
    expectQuarryError(() => new HnswIndex({ dim: 4, ...options }), 'INVALID_ARGUMENT', message);
  });

  it('changes search knobs on a built index, and checks them', () => {
    const index = new HnswIndex({ dim: 2 });
    index.configure({ ef: 10, bruteForceSelectivity: 0.2 });
    expect(index.options).toMatchObject({ ef: 10, bruteForceSelectivity: 0.2, M: 16 });
    expectQuarryError(() => index.configure({ ef: -1 }), 'INVALID_ARGUMENT', /ef must be an integer >= 1, got -1/);
  });

  it('rejects a bad rerank on a search', () => {
    const index = new HnswIndex({ dim: 2, quantization: 'int8' });
    index.add(1, [1, 1]);
    expectQuarryError(() => index.search([1, 1], 1, { rerank: 0 }), 'INVALID_ARGUMENT', /rerank must be a positive integer, got 0/);
  });
});
