/**
 * The contract every `VectorIndex` must pass. A test file calls `describeVectorIndexSuite` with a way
 * to make an empty index and to read one back from bytes or a file; every test makes its own index.
 * The data sets here are small (at most 60 vectors), where HNSW's default ef (64) covers the whole
 * graph, so approximate indexes must give the exact answer too.
 * Test-only: not exported from `index.ts`.
 */

import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QuarryError, Rng } from '../core/index.js';
import type { Metric } from './distance.js';
import type { SearchHit, VectorId, VectorIndex } from './vector-index.js';

export interface VectorIndexFactory {
  create(options: { dim: number; metric: Metric; reorderAfter?: number }): VectorIndex;
  deserialize(bytes: Uint8Array): VectorIndex;
  load(path: string): Promise<VectorIndex>;
}

/** Vectors with small integer values, so distances are exact in float32 and ties are easy to see. */
function randomVectors(rng: Rng, count: number, dim: number): number[][] {
  return Array.from({ length: count }, () => Array.from({ length: dim }, () => rng.intBetween(-8, 8) / 4));
}

/** The reference: every distance computed the textbook way (cos on the unnormalised vectors). */
export function naiveDistance(metric: Metric, a: readonly number[], b: readonly number[]): number {
  let dotAB = 0;
  let normA = 0;
  let normB = 0;
  let l2 = 0;
  for (let i = 0; i < a.length; i++) {
    dotAB += a[i]! * b[i]!;
    normA += a[i]! * a[i]!;
    normB += b[i]! * b[i]!;
    l2 += (a[i]! - b[i]!) ** 2;
  }
  if (metric === 'l2') return l2;
  if (metric === 'ip') return 1 - dotAB;
  return 1 - dotAB / Math.sqrt(normA * normB);
}

/** The exact top-k distances of the reference (ids can legitimately differ on ties, distances cannot). */
function naiveTopDistances(metric: Metric, vectors: number[][], query: number[], k: number, pass: (id: number) => boolean = () => true): number[] {
  return vectors
    .map((v, id) => ({ id, d: naiveDistance(metric, v, query) }))
    .filter(({ id }) => pass(id))
    .sort((a, b) => a.d - b.d)
    .slice(0, k)
    .map(({ d }) => d);
}

function expectDistancesClose(hits: SearchHit[], expected: number[]): void {
  expect(hits.map((h) => h.distance).length).toBe(expected.length);
  hits.forEach((hit, i) => expect(hit.distance).toBeCloseTo(expected[i]!, 4));
}

/** Expects `work` to throw a QuarryError with `code` and a message matching `message`. */
export function expectQuarryError(work: () => unknown, code: string, message: RegExp): void {
  let thrown: unknown;
  try {
    work();
  } catch (error) {
    thrown = error;
  }
  expect(thrown, 'an error is thrown').toBeInstanceOf(QuarryError);
  expect((thrown as QuarryError).code).toBe(code);
  expect((thrown as QuarryError).message).toMatch(message);
}

export function describeVectorIndexSuite(name: string, factory: VectorIndexFactory): void {
  describe(`VectorIndex contract: ${name}`, () => {
    describe.each(['l2', 'ip', 'cos'] as const)('metric %s', (metric) => searchTests(factory, metric));
    describe('contents', () => contentTests(factory));
    describe('filters', () => filterTests(factory));
    describe('snapshots', () => snapshotTests(factory));
    describe('bad input', () => badInputTests(factory));
  });
}

function build(factory: VectorIndexFactory, metric: Metric, vectors: number[][], ids: VectorId[] = vectors.map((_, i) => i)): VectorIndex {
  const index = factory.create({ dim: vectors[0]!.length, metric });
  vectors.forEach((v, i) => index.add(ids[i]!, v));
  return index;
}

function searchTests(factory: VectorIndexFactory, metric: Metric): void {
  it('returns the exact k nearest, closest first, with the metric distance (l2 squared, ip 1 - dot, cos 1 - cos)', () => {
    const rng = new Rng(`suite/${metric}`);
    const vectors = randomVectors(rng, 60, 12);
    const index = build(factory, metric, vectors);
    for (const query of randomVectors(rng, 10, 12)) {
      const hits = index.search(query, 7);
      expectDistancesClose(hits, naiveTopDistances(metric, vectors, query, 7));
      for (const hit of hits) expect(hit.distance).toBeCloseTo(naiveDistance(metric, vectors[hit.id as number]!, query), 4);
    }
  });

  it('returns every vector when k exceeds the size', () => {
    const vectors = randomVectors(new Rng('suite/small'), 5, 4);
    expect(build(factory, metric, vectors).search([1, 0, 0, 0], 50)).toHaveLength(5);
  });
}

function contentTests(factory: VectorIndexFactory): void {
  it('counts, finds and returns vectors by string or number id (1 and "1" are different ids)', () => {
    const index = factory.create({ dim: 3, metric: 'l2' });
    index.add('1', [1, 2, 3]);
    index.add(1, [4, 5, 6]);
    expect(index.size).toBe(2);
    expect(index.has('1') && index.has(1)).toBe(true);
    expect(index.has(2)).toBe(false);
    expect(Array.from(index.get('1'))).toEqual([1, 2, 3]);
    expect(Array.from(index.get(1))).toEqual([4, 5, 6]);
  });

  it('stores cos vectors at unit length', () => {
    const index = factory.create({ dim: 2, metric: 'cos' });
    index.add('a', [3, 4]);
    expect(Array.from(index.get('a'))).toEqual([expect.closeTo(0.6, 6), expect.closeTo(0.8, 6)]);
  });

  it('gives vectors back in the caller dimension order after the storage reorders dimensions by variance', () => {
    const rng = new Rng('suite/reorder');
    const index = factory.create({ dim: 6, metric: 'l2', reorderAfter: 8 });
    const vectors = randomVectors(rng, 20, 6).map((v) => v.map((x, i) => x * (i + 1)));
    vectors.forEach((v, i) => index.add(i, v));
    vectors.forEach((v, i) => expect(Array.from(index.get(i))).toEqual(v));
    expectDistancesClose(index.search(vectors[3]!, 3), naiveTopDistances('l2', vectors, vectors[3]!, 3));
  });

  it('never returns a removed vector, and an update replaces the old vector', () => {
    const rng = new Rng('suite/remove');
    const vectors = randomVectors(rng, 40, 6);
    const index = build(factory, 'l2', vectors);
    const removed = new Set([0, 5, 7, 11, 12, 13, 30, 39]);
    for (const id of removed) index.remove(id);
    expect(index.size).toBe(40 - removed.size);
    expect(index.has(5)).toBe(false);
    for (const query of vectors) {
      const hits = index.search(query, 10);
      expect(hits.some((h) => removed.has(h.id as number))).toBe(false);
      expectDistancesClose(hits, naiveTopDistances('l2', vectors, query, 10, (id) => !removed.has(id)));
    }
    // Update: id 1 moves far away; a query at its old place must not find it there.
    const old = vectors[1]!;
    index.add(1, old.map((x) => x + 100));
    expect(index.size).toBe(40 - removed.size);
    expect(index.search(old, 5).map((h) => h.id)).not.toContain(1);
    expect(index.search(old.map((x) => x + 100), 1)[0]).toEqual({ id: 1, distance: 0 });
  });

  it('can be emptied, saved empty, and filled again', () => {
    const emptied = build(factory, 'l2', [[0, 0], [1, 1], [2, 2]]);
    for (const id of [1, 0, 2]) emptied.remove(id);
    expect(emptied.size).toBe(0);
    const index = factory.deserialize(emptied.serialize());
    expect(index.size).toBe(0);
    index.add('again', [5, 5]);
    expect(index.search([0, 0], 3)).toEqual([{ id: 'again', distance: 50 }]);
  });
}

function filterTests(factory: VectorIndexFactory): void {
  it('returns only vectors whose id passes the filter, exactly the nearest of those', () => {
    const rng = new Rng('suite/filter');
    const vectors = randomVectors(rng, 60, 8);
    const index = build(factory, 'l2', vectors);
    const pass = (id: VectorId): boolean => (id as number) % 7 === 3;
    for (const query of randomVectors(rng, 5, 8)) {
      const hits = index.search(query, 5, { filter: pass });
      expect(hits.every((h) => pass(h.id))).toBe(true);
      expectDistancesClose(hits, naiveTopDistances('l2', vectors, query, 5, pass));
    }
  });

  it('returns fewer than k (possibly none) when few vectors pass', () => {
    const index = build(factory, 'l2', randomVectors(new Rng('suite/few'), 30, 4));
    expect(index.search([0, 0, 0, 0], 10, { filter: (id) => id === 4 || id === 9 }).map((h) => h.id).sort()).toEqual([4, 9]);
    expect(index.search([0, 0, 0, 0], 10, { filter: () => false })).toEqual([]);
  });
}

function snapshotTests(factory: VectorIndexFactory): void {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'quarry-vector-suite-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('answers every query the same after serialize → deserialize, removals and string ids included', () => {
    const rng = new Rng('suite/snapshot');
    const vectors = randomVectors(rng, 50, 5);
    const index = build(factory, 'cos', vectors, vectors.map((_, i) => (i % 2 === 0 ? `s${i}` : i)));
    index.remove('s4');
    index.remove(7);
    const copy = factory.deserialize(index.serialize());
    expect(copy.size).toBe(index.size);
    expect(copy.metric).toBe('cos');
    for (const query of randomVectors(rng, 10, 5)) expect(copy.search(query, 6)).toEqual(index.search(query, 6));
  });

  it('saves atomically (no temporary file left) and loads back from a file', async () => {
    const index = build(factory, 'l2', randomVectors(new Rng('suite/file'), 20, 3));
    const path = join(dir, 'index.qvix');
    await index.save(path);
    await index.save(path);
    expect((await readdir(dir)).filter((f) => f.startsWith('index.qvix'))).toEqual(['index.qvix']);
    const loaded = await factory.load(path);
    expect(loaded.search([0, 0, 0], 20)).toEqual(index.search([0, 0, 0], 20));
  });
}

function badInputTests(factory: VectorIndexFactory): void {
  const index = (): VectorIndex => build(factory, 'l2', [[0, 0, 0], [1, 1, 1]]);

  it.each([
    ['a vector of the wrong dimension', (i: VectorIndex) => i.add('x', [1, 2]), /vector x has 2 dims, the index expects 3/],
    ['a NaN in a vector', (i: VectorIndex) => i.add('x', [1, Number.NaN, 0]), /vector x has a non-finite value at dim 1: NaN/],
    ['an infinite query value', (i: VectorIndex) => i.search([0, Infinity, 0], 1), /query has a non-finite value at dim 1: Infinity/],
    ['a query of the wrong dimension', (i: VectorIndex) => i.search([0, 0, 0, 0], 1), /query has 4 dims, the index expects 3/],
    ['k = 0', (i: VectorIndex) => i.search([0, 0, 0], 0), /k must be a positive integer, got 0/],
    ['k = -3', (i: VectorIndex) => i.search([0, 0, 0], -3), /k must be a positive integer, got -3/],
    ['k = 2.5', (i: VectorIndex) => i.search([0, 0, 0], 2.5), /k must be a positive integer, got 2\.5/],
    ['ef = 0', (i: VectorIndex) => i.search([0, 0, 0], 1, { ef: 0 }), /ef must be a positive integer, got 0/],
    ['an empty string id', (i: VectorIndex) => i.add('', [0, 0, 0]), /vector id must be a non-empty string or a safe integer, got ""/],
    ['a fractional id', (i: VectorIndex) => i.add(1.5, [0, 0, 0]), /vector id must be a non-empty string or a safe integer, got 1\.5/],
  ])('rejects %s (INVALID_ARGUMENT)', (_, work, message) => expectQuarryError(() => work(index()), 'INVALID_ARGUMENT', message));

  it('rejects a zero vector under cos, which has no direction', () => {
    expectQuarryError(() => factory.create({ dim: 2, metric: 'cos' }).add('z', [0, 0]), 'INVALID_ARGUMENT', /vector z is all zeros/);
  });

  it('refuses to search an empty index (FAILED_PRECONDITION)', () => {
    expectQuarryError(() => factory.create({ dim: 3, metric: 'l2' }).search([0, 0, 0], 1), 'FAILED_PRECONDITION', /empty vector index/);
    const emptied = index();
    emptied.remove(0);
    emptied.remove(1);
    expectQuarryError(() => emptied.search([0, 0, 0], 1), 'FAILED_PRECONDITION', /empty vector index/);
  });

  it('names an unknown id on remove and get (NOT_FOUND), and a removed one too', () => {
    const i = index();
    expectQuarryError(() => i.remove('nope'), 'NOT_FOUND', /vector id "nope" is not in the index \(2 vectors\)/);
    expectQuarryError(() => i.get(7), 'NOT_FOUND', /vector id 7 is not in the index/);
    i.remove(1);
    expectQuarryError(() => i.remove(1), 'NOT_FOUND', /vector id 1 is not in the index \(1 vectors\)/);
  });

  it('rejects bytes that are not a snapshot (INCOMPATIBLE_FORMAT)', () => {
    expectQuarryError(() => factory.deserialize(new TextEncoder().encode('not an index at all')), 'INCOMPATIBLE_FORMAT', /magic number/);
  });
}
