// An HNSW index loaded with `vectors: 'file'`: codes and graph in memory, float32 rows re-read from the
// snapshot file for re-ranking. It must answer exactly as the same index with its rows in memory.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QuarryError } from '../core/index.js';
import { HnswIndex } from './hnsw-index.js';
import { clusteredCase, fill, row } from './test-data.js';
import { expectQuarryError } from './vector-index-suite.js';
import type { SearchHit, SearchOptions, VectorId } from './vector-index.js';

const { base, queries } = clusteredCase({ count: 1500, queries: 40, dim: 24, seed: 'file-vectors' });
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'quarry-file-vectors-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function expectRejection(work: Promise<unknown>, code: string, message: RegExp): Promise<void> {
  const error = await work.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(QuarryError);
  expect((error as QuarryError).code).toBe(code);
  expect((error as QuarryError).message).toMatch(message);
}

function answers(index: HnswIndex, options: SearchOptions = {}): SearchHit[][] {
  return Array.from({ length: queries.count }, (_, q) => index.search(row(queries, q), 10, options));
}

/** Ids divisible by `every`: a filter that passes 1 / every of the items. */
const everyNth =
  (every: number) =>
  (id: VectorId): boolean =>
    (id as number) % every === 0;

describe.each(['fp8', 'int8'] as const)("HnswIndex.load(path, { vectors: 'file' }) with %s codes", (quantization) => {
  let memory: HnswIndex;
  let onFile: HnswIndex;
  let path: string;

  beforeAll(async () => {
    memory = fill(new HnswIndex({ dim: 24, efConstruction: 64, quantization, seed: 'file-vectors' }), base);
    for (const id of [3, 77, 1200]) memory.remove(id);
    path = join(dir, `${quantization}.qvix`);
    await memory.save(path);
    onFile = await HnswIndex.load(path, { vectors: 'file' });
  });

  afterAll(() => onFile.close());

  it('answers exactly as the index in memory: graph walk, filtered walk, exact scan of codes, other ef and rerank', () => {
    expect(onFile.vectorsOnFile).toBe(path);
    expect(answers(onFile)).toEqual(answers(memory));
    expect(answers(onFile, { ef: 16, rerank: 12 })).toEqual(answers(memory, { ef: 16, rerank: 12 }));
    // 50% passing: the filtered walk; 1 in 200: the exact scan over codes, then re-ranking.
    expect(answers(onFile, { filter: everyNth(2) })).toEqual(answers(memory, { filter: everyNth(2) }));
    expect(answers(onFile, { filter: everyNth(200) })).toEqual(answers(memory, { filter: everyNth(200) }));
    expect(answers(onFile, { filter: everyNth(200) })[0]!.every((hit) => (hit.id as number) % 200 === 0)).toBe(true);
  });

  it('returns exact float32 distances and the stored vectors, read from the file', () => {
    const hits = onFile.search(row(queries, 0), 3);
    for (const hit of hits) {
      const v = onFile.get(hit.id);
      expect(Array.from(v)).toEqual(Array.from(row(base, hit.id as number)));
      let d = 0;
      for (let i = 0; i < v.length; i++) d += (v[i]! - row(queries, 0)[i]!) ** 2;
      expect(hit.distance).toBeCloseTo(d, 3);
    }
    expect(onFile.has(77)).toBe(false);
  });

  it('holds only codes and graph in memory: no float32 bytes, 4 * dim on file', () => {
    const held = onFile.memory();
    const full = memory.memory();
    expect(held).toMatchObject({ vectorBytes: 0, fileBytes: 4 * 24, codeBytes: full.codeBytes, searchedBytes: full.codeBytes });
    expect(held.totalBytes).toBeCloseTo(full.codeBytes + full.graphBytes, 6);
    expect(full).toMatchObject({ vectorBytes: 4 * 24, fileBytes: 0 });
  });

  it('saves a snapshot (rows read back from the file) that loads in memory and answers the same', async () => {
    const copy = join(dir, `${quantization}-copy.qvix`);
    await onFile.save(copy);
    const reloaded = await HnswIndex.load(copy);
    expect(reloaded.vectorsOnFile).toBeUndefined();
    expect(Buffer.from(reloaded.serialize()).equals(Buffer.from(memory.serialize()))).toBe(true);
    expect(answers(reloaded)).toEqual(answers(memory));
  });

  it('is read-only: add, remove and compact fail naming the file', () => {
    expectQuarryError(() => onFile.add(5000, row(base, 0)), 'FAILED_PRECONDITION', /cannot add vectors: the index was loaded with its vectors on file .*read-only/);
    expectQuarryError(() => onFile.remove(5), 'FAILED_PRECONDITION', /cannot remove vectors/);
    expectQuarryError(() => onFile.compact(), 'FAILED_PRECONDITION', /cannot compact/);
    expect(onFile.size).toBe(memory.size);
  });
});

describe("HnswIndex.load(path, { vectors: 'file' }) edge cases", () => {
  const small = { ...base, count: 200 };

  it('keeps reading the file it loaded when a new snapshot is saved over the same path', async () => {
    const path = join(dir, 'replaced.qvix');
    const first = fill(new HnswIndex({ dim: 24, quantization: 'fp8' }), small);
    await first.save(path);
    const onFile = await HnswIndex.load(path, { vectors: 'file' });
    try {
      const before = answers(onFile);
      const other = new HnswIndex({ dim: 24, quantization: 'fp8' });
      for (let r = 0; r < small.count; r++) other.add(r, row(base, small.count + r));
      await other.save(path);
      expect(answers(onFile)).toEqual(before);
      expect(before).toEqual(answers(first));
    } finally {
      onFile.close();
    }
  });

  it('refuses an uncompressed snapshot, an unknown mode, and searches after close', async () => {
    const path = join(dir, 'float32.qvix');
    await fill(new HnswIndex({ dim: 24 }), small).save(path);
    await expectRejection(HnswIndex.load(path, { vectors: 'file' }), 'INVALID_ARGUMENT', /uncompressed index .* needs int8 or fp8/);
    await expectRejection(HnswIndex.load(path, { vectors: 'disk' as 'file' }), 'INVALID_ARGUMENT', /vectors must be 'memory' or 'file', got disk/);
    const compressed = join(dir, 'closed.qvix');
    await fill(new HnswIndex({ dim: 24, quantization: 'int8' }), small).save(compressed);
    const onFile = await HnswIndex.load(compressed, { vectors: 'file' });
    onFile.close();
    onFile.close();
    expectQuarryError(() => onFile.search(row(queries, 0), 5), 'FAILED_PRECONDITION', /reading its vectors from .*closed\.qvix was closed/);
    expectQuarryError(() => onFile.get(0), 'FAILED_PRECONDITION', /was closed/);
  });

  it('refuses a corrupt file as a snapshot, without leaving it open', async () => {
    const path = join(dir, 'corrupt.qvix');
    const index = fill(new HnswIndex({ dim: 24, quantization: 'fp8' }), small);
    const bytes = index.serialize();
    bytes[bytes.length - 1]! ^= 0xff;
    await writeFile(path, bytes);
    await expectRejection(HnswIndex.load(path, { vectors: 'file' }), 'INCOMPATIBLE_FORMAT', /checksum/);
  });
});
