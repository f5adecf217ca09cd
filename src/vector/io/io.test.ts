import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectQuarryError } from '../vector-index-suite.js';
import { encodeVecs, parseBvecs, parseFvecs, parseIvecs } from './fvecs.js';
import { parseIdx } from './idx.js';
import { parseJsonlVectors } from './jsonl-vectors.js';
import { parseNpy } from './npy.js';
import { detectVectorFormat, readNeighbourFile, readVectorFile } from './read-vectors.js';
import { parseTextVectors } from './text-vectors.js';

const twoByThree = { count: 2, dim: 3, data: Float32Array.from([1, 2, 3, 4.5, -5, 6]) };

/** A .npy file: magic, version 1.0, header padded to a multiple of 64 bytes, then the raw data. */
function npy(descr: string, shape: string, body: Uint8Array, fortran = 'False'): Uint8Array {
  let header = `{'descr': '${descr}', 'fortran_order': ${fortran}, 'shape': ${shape}, }`;
  header += ' '.repeat(64 - ((10 + header.length + 1) % 64)) + '\n';
  const out = new Uint8Array(10 + header.length + body.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, header.length & 0xff, header.length >> 8]);
  out.set(new TextEncoder().encode(header), 10);
  out.set(body, 10 + header.length);
  return out;
}

/** An IDX file of `count` 2 x 2 uint8 images (MNIST's layout), big-endian sizes. */
function idx(count: number, pixels: number[]): Uint8Array {
  const out = new Uint8Array(16 + pixels.length);
  const view = new DataView(out.buffer);
  out.set([0, 0, 0x08, 3]);
  view.setUint32(4, count, false);
  view.setUint32(8, 2, false);
  view.setUint32(12, 2, false);
  out.set(pixels, 16);
  return out;
}

describe('fvecs / ivecs / bvecs', () => {
  it('round-trips fvecs and ivecs', () => {
    expect(parseFvecs(encodeVecs(twoByThree))).toEqual(twoByThree);
    const ints = { count: 2, dim: 2, data: Int32Array.from([7, -1, 0, 2 ** 30]) };
    expect(parseIvecs(encodeVecs(ints))).toEqual(ints);
  });

  it('reads bvecs bytes as float32 values', () => {
    const bytes = Uint8Array.from([2, 0, 0, 0, 10, 255, 2, 0, 0, 0, 0, 1]);
    expect(parseBvecs(bytes)).toEqual({ count: 2, dim: 2, data: Float32Array.from([10, 255, 0, 1]) });
  });

  it.each([
    ['an empty file', new Uint8Array(0), /byte 0: the file is empty/],
    ['a truncated last vector', encodeVecs(twoByThree).subarray(0, 30), /size 30 is not a multiple of the 16-byte record of a 3-dim vector/],
    ['a negative dimension', Uint8Array.from([0xff, 0xff, 0xff, 0xff]), /dimension -1 is not between 1 and 2\^20/],
  ])('rejects %s, naming the file and position', (_, bytes, message) => {
    expectQuarryError(() => parseFvecs(bytes, 'base.fvecs'), 'INCOMPATIBLE_FORMAT', message);
  });

  it('rejects records of different dimensions and NaN values', () => {
    const mixed = new Uint8Array([...encodeVecs(twoByThree).subarray(0, 16), ...encodeVecs({ count: 1, dim: 2, data: Float32Array.from([1, 2, 3]) }), 0, 0, 0, 0]);
    expectQuarryError(() => parseFvecs(mixed, 'm.fvecs'), 'INCOMPATIBLE_FORMAT', /m\.fvecs: vector 1: dimension 2, the first vector has 3/);
    expectQuarryError(() => parseFvecs(encodeVecs({ count: 1, dim: 2, data: Float32Array.from([1, Number.NaN]) }), 'n.fvecs'), 'INCOMPATIBLE_FORMAT', /n\.fvecs: vector 0, dim 1: value is NaN/);
  });
});

describe('.npy', () => {
  it('reads float32 and float64 C-order 2-d arrays, and a 1-d array as one vector', () => {
    expect(parseNpy(npy('<f4', '(2, 3)', new Uint8Array(twoByThree.data.buffer)))).toEqual(twoByThree);
    expect(parseNpy(npy('<f8', '(2, 3)', new Uint8Array(Float64Array.from(twoByThree.data).buffer)))).toEqual(twoByThree);
    expect(parseNpy(npy('<f4', '(3,)', new Uint8Array(Float32Array.from([1, 2, 3]).buffer)))).toEqual({ count: 1, dim: 3, data: Float32Array.from([1, 2, 3]) });
  });

  it.each([
    ['Fortran order', npy('<f4', '(2, 3)', new Uint8Array(24), 'True'), /Fortran-order arrays are not supported/],
    ['an unsupported dtype', npy('>f4', '(2, 3)', new Uint8Array(24)), /dtype >f4 is not supported/],
    ['a 3-d shape', npy('<f4', '(1, 2, 3)', new Uint8Array(24)), /shape \(1, 2, 3\) is not a 1-d or 2-d array/],
    ['missing data', npy('<f4', '(2, 3)', new Uint8Array(20)), /needs 24 bytes, the file has 20/],
    ['another file type', new TextEncoder().encode('PK\u0003\u0004 zip file!'), /no "\\x93NUMPY" magic/],
  ])('rejects %s', (_, bytes, message) => expectQuarryError(() => parseNpy(bytes, 'x.npy'), 'INCOMPATIBLE_FORMAT', message));
});

describe('plain text', () => {
  it('reads one vector per line separated by spaces, tabs or commas, skipping blank and # lines', () => {
    expect(parseTextVectors('# header\n1 2 3\n\n4.5,\t-5, 6\r\n')).toEqual(twoByThree);
    expect(parseTextVectors('   2.0291894e-03   1.1e-01\n 1 2\n').data[0]).toBeCloseTo(0.0020291894, 9);
  });

  it('names the line of a ragged row or a bad number, and refuses an empty file', () => {
    expectQuarryError(() => parseTextVectors('1 2 3\n4 5\n', 'v.txt'), 'INCOMPATIBLE_FORMAT', /v\.txt: line 2: 2 values, the first vector has 3/);
    expectQuarryError(() => parseTextVectors('1 2\n3 x\n', 'v.txt'), 'INCOMPATIBLE_FORMAT', /line 2: value 2 "x" is not a finite number/);
    expectQuarryError(() => parseTextVectors('\n# nothing\n', 'v.txt'), 'INCOMPATIBLE_FORMAT', /no vectors in the file/);
  });
});

describe('MNIST IDX', () => {
  it('reads images as flattened vectors, gzipped or not', () => {
    const raw = idx(2, [0, 1, 2, 3, 255, 254, 253, 252]);
    const want = { count: 2, dim: 4, data: Float32Array.from([0, 1, 2, 3, 255, 254, 253, 252]) };
    expect(parseIdx(raw)).toEqual(want);
    expect(parseIdx(gzipSync(raw))).toEqual(want);
  });

  it('rejects a short data section, an unknown type and a broken gzip stream', () => {
    expectQuarryError(() => parseIdx(idx(3, [1, 2, 3, 4]), 'i.idx'), 'INCOMPATIBLE_FORMAT', /sizes 3 x 2 x 2 need 12 data bytes, the file has 4/);
    expectQuarryError(() => parseIdx(Uint8Array.from([0, 0, 0x42, 1, 0, 0, 0, 0])), 'INCOMPATIBLE_FORMAT', /unknown IDX element type 0x42/);
    expectQuarryError(() => parseIdx(Uint8Array.from([0x1f, 0x8b, 1, 2, 3])), 'INCOMPATIBLE_FORMAT', /cannot inflate/);
  });

  const mnist = join(process.env.QUARRY_DATA ?? '../shared/data', 'ann/mnist-t10k/t10k-images-idx3-ubyte.gz');
  it.skipIf(!existsSync(mnist))('reads the real MNIST t10k file: 10,000 vectors of 784 pixels in 0..255 (skipped without ../shared/data)', async () => {
    const set = await readVectorFile(mnist);
    expect([set.count, set.dim]).toEqual([10_000, 784]);
    expect(Math.max(...set.data.subarray(0, 784))).toBeLessThanOrEqual(255);
  });
});

describe('JSONL {id, vector}', () => {
  it('reads ids and vectors', () => {
    const set = parseJsonlVectors('{"id":"a","vector":[1,2,3]}\n\n{"id":7,"vector":[4.5,-5,6]}\n');
    expect(set).toEqual({ ...twoByThree, ids: ['a', 7] });
  });

  it.each([
    ['{"id":"a","vector":[1]}\n{"id":"a","vector":[2]}', /line 2: id "a" appears twice/],
    ['{"id":"a","vector":[1,2]}\n{"id":"b","vector":[1]}', /line 2: vector has 1 dims, the first one has 2/],
    ['{"id":"a","vector":[1,null]}', /line 1: vector value 1 is null, not a finite number/],
    ['{"id":"","vector":[1]}', /"id" must be a non-empty string or an integer, got ""/],
    ['{"vector":[1]', /line 1: not valid JSON/],
  ])('rejects %s', (text, message) => expectQuarryError(() => parseJsonlVectors(text, 'v.jsonl'), 'INCOMPATIBLE_FORMAT', message));
});

describe('reading files', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'quarry-vector-io-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('tells the format from the name', () => {
    const names = ['a.fvecs', 'b.bvecs', 'gt.ivecs', 'x.npy', 'v.txt', 'v.csv', 'v.tsv', 'v.jsonl', 't10k-images-idx3-ubyte.gz', 'x.idx3'];
    expect(names.map(detectVectorFormat)).toEqual(['fvecs', 'bvecs', 'ivecs', 'npy', 'text', 'text', 'text', 'jsonl', 'idx', 'idx']);
    expectQuarryError(() => detectVectorFormat('vectors.parquet'), 'INVALID_ARGUMENT', /cannot tell the vector format of "vectors\.parquet"/);
  });

  it('reads a file by its extension, and ground truth from ivecs or text', async () => {
    await writeFile(join(dir, 'v.fvecs'), encodeVecs(twoByThree));
    expect(await readVectorFile(join(dir, 'v.fvecs'))).toEqual(twoByThree);
    await writeFile(join(dir, 'gt.txt'), '3 1\n0 2\n');
    expect(await readNeighbourFile(join(dir, 'gt.txt'))).toEqual({ count: 2, dim: 2, data: Int32Array.from([3, 1, 0, 2]) });
    await writeFile(join(dir, 'bad-gt.txt'), '3 1.5\n');
    await expect(readNeighbourFile(join(dir, 'bad-gt.txt'))).rejects.toThrow(/row 0: neighbour id 1\.5 is not a whole number >= 0/);
  });

  it('names a missing file (NOT_FOUND)', async () => {
    await expect(readVectorFile(join(dir, 'missing.fvecs'))).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringMatching(/no such file: .*missing\.fvecs/) as unknown });
  });
});
