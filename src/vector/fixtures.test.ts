// Committed snapshots of the current format (version 1) must keep loading and answering the same.
// After a deliberate format change: bump SNAPSHOT_VERSION, keep a reader for version 1, and add the new
// version's fixtures with `QUARRY_WRITE_FIXTURES=1 npx vitest run src/vector/fixtures.test.ts`.
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Rng } from '../core/index.js';
import { BruteForceIndex } from './brute-force-index.js';
import { HnswIndex } from './hnsw-index.js';
import type { SearchHit, VectorId } from './vector-index.js';

const dir = fileURLToPath(new URL('./fixtures/', import.meta.url));
const files = { hnsw: `${dir}hnsw-v1.qvix`, bruteForce: `${dir}brute-force-v1.qvix`, expected: `${dir}expected-v1.json` };

interface Expected {
  queries: number[][];
  hnsw: SearchHit[][];
  bruteForce: SearchHit[][];
}

/** 40 small 4-dim vectors, ids mixing strings and numbers, two removed; fp8 codes (rebuilt at load). */
function buildFixtures(): { hnsw: HnswIndex; bruteForce: BruteForceIndex; queries: number[][] } {
  const rng = new Rng('vector-fixture');
  const vector = () => Array.from({ length: 4 }, () => rng.intBetween(-8, 8) / 4);
  const hnsw = new HnswIndex({ dim: 4, M: 4, efConstruction: 16, quantization: 'fp8', reorderAfter: 16, seed: 'fixture' });
  const bruteForce = new BruteForceIndex({ dim: 4, metric: 'cos', reorderAfter: 16 });
  for (let i = 0; i < 40; i++) {
    const id: VectorId = i % 3 === 0 ? `item-${i}` : i;
    const v = vector();
    hnsw.add(id, v);
    bruteForce.add(id, v.some((x) => x !== 0) ? v : [1, 0, 0, 0]);
  }
  for (const id of ['item-3', 10]) {
    hnsw.remove(id);
    bruteForce.remove(id);
  }
  return { hnsw, bruteForce, queries: Array.from({ length: 5 }, vector) };
}

describe('committed snapshot fixtures (format version 1)', () => {
  if (process.env.QUARRY_WRITE_FIXTURES === '1') {
    it('writes the fixtures', async () => {
      const { hnsw, bruteForce, queries } = buildFixtures();
      await hnsw.save(files.hnsw);
      await bruteForce.save(files.bruteForce);
      const expected: Expected = { queries, hnsw: queries.map((q) => hnsw.search(q, 5)), bruteForce: queries.map((q) => bruteForce.search(q, 5)) };
      await writeFile(files.expected, `${JSON.stringify(expected, null, 1)}\n`);
    });
  }

  it('has its fixture files committed', () => {
    for (const path of Object.values(files)) expect(existsSync(path), path).toBe(true);
  });

  it('loads the HNSW fixture and answers as when it was written', async () => {
    const expected = JSON.parse(await readFile(files.expected, 'utf8')) as Expected;
    const index = await HnswIndex.load(files.hnsw);
    expect(index.size).toBe(38);
    expect(index.options).toMatchObject({ M: 4, quantization: 'fp8', metric: 'l2' });
    expect(expected.queries.map((q) => index.search(q, 5))).toEqual(expected.hnsw);
  });

  it('loads the HNSW fixture with its vectors left on file (fp8 codes in memory) and answers the same', async () => {
    const expected = JSON.parse(await readFile(files.expected, 'utf8')) as Expected;
    const index = await HnswIndex.load(files.hnsw, { vectors: 'file' });
    try {
      expect(index.memory().vectorBytes).toBe(0);
      expect(expected.queries.map((q) => index.search(q, 5))).toEqual(expected.hnsw);
    } finally {
      index.close();
    }
  });

  it('loads the brute-force fixture and answers as when it was written', async () => {
    const expected = JSON.parse(await readFile(files.expected, 'utf8')) as Expected;
    const index = await BruteForceIndex.load(files.bruteForce);
    expect(index.has('item-3') || index.has(10)).toBe(false);
    expect(expected.queries.map((q) => index.search(q, 5))).toEqual(expected.bruteForce);
  });
});
