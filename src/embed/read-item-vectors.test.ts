import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CancelledError, IncompatibleFormatError, InvalidArgumentError, NotFoundError, QuarryError } from '../core/index.js';
import { encodeVecs } from '../vector/index.js';
import { readItemVectors, unknownItemIds } from './read-item-vectors.js';

const dir = join(process.cwd(), '.tmp', `read-item-vectors-${process.pid}`);
beforeAll(() => mkdir(dir, { recursive: true }));
afterAll(() => rm(dir, { recursive: true, force: true }));

async function file(name: string, content: string | Uint8Array): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, content);
  return path;
}

/** The error's message, failing the test when nothing is thrown. */
async function failure(promise: Promise<unknown>): Promise<QuarryError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(QuarryError);
  return error as QuarryError;
}

describe('readItemVectors: JSONL', () => {
  it('reads ids (integers become strings) and vectors in file order, skipping blank lines', async () => {
    const path = await file('ok.jsonl', '{"id":"sku-1","vector":[1,0.5]}\n\n{"id":7,"vector":[-2,3e-3]}\r\n');
    const set = await readItemVectors(path, { metric: 'cos' });
    expect(set.ids).toEqual(['sku-1', '7']);
    expect(set.dim).toBe(2);
    expect([...set.data]).toEqual([1, 0.5, -2, Math.fround(3e-3)]);
  });

  it('lists every malformed line with its number, and counts those it does not list', async () => {
    const lines = [
      '{"id":"a","vector":[1,2,3]}', // 1: sets the dimension
      '{"id":"b","vector":[1,2]}', // 2: wrong dimension
      '{"id":"c","vector":[1,NaN,3]}', // 3: NaN (not JSON)
      '{"id":"a","vector":[3,2,1]}', // 4: duplicate id
      '{"vector":[1,2,3]}', // 5: no id
      '{"id":"d","vector":[0,0,0]}', // 6: zero under cos
      '{"id":"e","vector":[1,"x",3]}', // 7: not a number
      '{"id":"f","vector":[1,1e40,3]}', // 8: beyond float32
      '{"id":"g" "vector":[1,2,3]}', // 9: not JSON
      '[1,2,3]', // 10: not an object
    ];
    const path = await file('bad.jsonl', lines.join('\n'));
    const error = await failure(readItemVectors(path, { metric: 'cos', maxProblems: 8 }));
    expect(error).toBeInstanceOf(IncompatibleFormatError);
    const message = error.message;
    expect(message).toContain(`${path}: 9 problems; nothing was imported`);
    expect(message).toContain('line 2: the vector has 2 dims; the first one (line 1) has 3');
    expect(message).toContain('line 3: the vector holds NaN or Infinity');
    expect(message).toContain('line 4: id "a" was already given on line 1');
    expect(message).toContain('line 5: "id" must be an item id');
    expect(message).toContain('line 6: the vector is all zeros');
    expect(message).toContain('line 7: value 2 is "x", not a number');
    expect(message).toContain('line 8: value 2 (1e+40) is beyond the float32 range');
    expect(message).toContain('line 9: not valid JSON');
    expect(message).not.toContain('line 10');
    expect(message).toContain('… and 1 more');
    expect(error.issues[0]).toEqual({ path: ['line 2'], message: 'the vector has 2 dims; the first one (line 1) has 3' });
  });

  it('accepts a zero vector under l2 and ip, where it has a distance', async () => {
    const path = await file('zero.jsonl', '{"id":"z","vector":[0,0]}\n');
    expect((await readItemVectors(path, { metric: 'l2' })).ids).toEqual(['z']);
  });

  it('refuses an empty file and a missing one', async () => {
    expect((await failure(readItemVectors(await file('empty.jsonl', '\n'), { metric: 'cos' }))).message).toContain('line 1: no vectors in the file');
    expect(await failure(readItemVectors(join(dir, 'missing.jsonl'), { metric: 'cos' }))).toBeInstanceOf(NotFoundError);
  });

  it('stops with CANCELLED when the signal is aborted', async () => {
    const lines = Array.from({ length: 5_000 }, (_, i) => JSON.stringify({ id: `i${i}`, vector: [i + 1, 1] }));
    const path = await file('long.jsonl', lines.join('\n'));
    const abort = new AbortController();
    abort.abort();
    expect(await failure(readItemVectors(path, { metric: 'cos', signal: abort.signal }))).toBeInstanceOf(CancelledError);
  });
});

describe('readItemVectors: fvecs / npy / text with an ids file', () => {
  const data = Float32Array.from([1, 2, 3, 4, 5, 6]);

  it('pairs row r with line r of the ids file', async () => {
    const path = await file('v.fvecs', encodeVecs({ count: 2, dim: 3, data }));
    const ids = await file('ids.txt', 'sku-1\n sku-2 \n');
    const set = await readItemVectors(path, { metric: 'ip', idsPath: ids });
    expect(set).toMatchObject({ dim: 3, metric: 'ip', ids: ['sku-1', 'sku-2'] });
    expect([...set.data]).toEqual([...data]);
  });

  it('reads plain text rows too', async () => {
    const path = await file('v.txt', '1 2 3\n4 5 6\n');
    const ids = await file('ids2.txt', 'a\nb');
    expect((await readItemVectors(path, { metric: 'cos', idsPath: ids })).ids).toEqual(['a', 'b']);
  });

  it('refuses an ids file of another length, a repeated id, and a NaN in the vectors', async () => {
    const path = await file('v2.fvecs', encodeVecs({ count: 2, dim: 3, data }));
    const three = await file('ids3.txt', 'a\nb\na\n');
    const message = (await failure(readItemVectors(path, { metric: 'cos', idsPath: three }))).message;
    expect(message).toContain(`${three} line 3: id "a" was already given on line 1`);
    expect(message).toContain(`${three}: 3 ids for the 2 vectors of ${path}`);
    const nan = await file('nan.fvecs', encodeVecs({ count: 2, dim: 3, data: Float32Array.from([1, 2, 3, 4, Number.NaN, 6]) }));
    const ids = await file('ids4.txt', 'a\nb\n');
    expect((await failure(readItemVectors(nan, { metric: 'cos', idsPath: ids }))).message).toMatch(/vector 1, dim 1: value is NaN/);
    const zero = await file('zero.fvecs', encodeVecs({ count: 2, dim: 3, data: Float32Array.from([1, 2, 3, 0, 0, 0]) }));
    expect((await failure(readItemVectors(zero, { metric: 'cos', idsPath: ids }))).message).toContain('vector 1 (id "b"): the vector is all zeros');
  });

  it('needs an ids file for fvecs and refuses one for JSONL', async () => {
    const path = await file('v3.fvecs', encodeVecs({ count: 2, dim: 3, data }));
    expect(await failure(readItemVectors(path, { metric: 'cos' }))).toBeInstanceOf(InvalidArgumentError);
    const jsonl = await file('x.jsonl', '{"id":"a","vector":[1]}');
    expect(await failure(readItemVectors(jsonl, { metric: 'cos', idsPath: path }))).toBeInstanceOf(InvalidArgumentError);
  });
});

describe('unknownItemIds', () => {
  it('counts the ids the catalog does not know and names the first ones in file order', () => {
    const known = new Set(['a', 'c']);
    expect(unknownItemIds({ ids: ['a', 'x', 'c', 'y', 'z'] }, (id) => known.has(id), 2)).toEqual({ count: 3, examples: ['x', 'y'] });
  });
});
