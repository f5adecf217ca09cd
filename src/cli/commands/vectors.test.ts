// `quarry vectors import|list` on small files: JSONL and fvecs + ids round trips, refusals, replacement.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getItemVectors } from '../../embed/index.js';
import { SqliteStore } from '../../store/index.js';
import { encodeVecs } from '../../vector/index.js';
import { EXIT } from '../index.js';
import { runQuarry } from '../testing.js';

let dir: string;
const file = (name: string) => join(dir, name);
const ITEM_IDS = ['sku-1', 'sku-2', 'sku-3'];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'quarry-vectors-'));
  await writeFile(file('items.jsonl'), ITEM_IDS.map((id) => JSON.stringify({ id, title: `item ${id}` })).join('\n'));
  await writeFile(file('v.jsonl'), ['{"id":"sku-1","vector":[1,0,0]}', '{"id":"sku-2","vector":[0,1,0]}', '{"id":"gone-9","vector":[0,0,1]}'].join('\n'));
  await writeFile(file('v.fvecs'), encodeVecs({ count: 3, dim: 2, data: Float32Array.from([1, 2, 3, 4, 5, 6]) }));
  await writeFile(file('ids.txt'), 'sku-3\nsku-2\nsku-1\n');
  await writeFile(file('bad.jsonl'), ['{"id":"sku-1","vector":[1,0]}', '{"id":"sku-2","vector":[1,0,0]}', '{"id":"sku-3","vector":[NaN,0]}'].join('\n'));
  await writeFile(file('strangers.jsonl'), '{"id":"x1","vector":[1,0]}\n{"id":"x2","vector":[0,1]}\n');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function dbWithItems(name: string): Promise<string> {
  const db = file(name);
  expect((await runQuarry('ingest', 'items', file('items.jsonl'), '--db', db)).code).toBe(EXIT.ok);
  return db;
}

async function storedSet(db: string, name: string) {
  const store = await SqliteStore.open({ path: db, mustExist: true });
  try {
    return await getItemVectors(store, name);
  } finally {
    await store.close();
  }
}

describe('quarry vectors import', () => {
  it('stores JSONL vectors and reports the ids that are not items (count and examples)', async () => {
    const db = await dbWithItems('jsonl.db');
    const result = await runQuarry('vectors', 'import', '--file', file('v.jsonl'), '--name', 'text', '--db', db, '--json');
    expect(result.code).toBe(EXIT.ok);
    expect(JSON.parse(result.stdout)).toMatchObject({ name: 'text', version: 1, vectors: 3, dim: 3, metric: 'cos', unknownIds: { count: 1, examples: ['gone-9'] } });
    expect(result.stderr).toContain('1 of 3 ids are not items in the catalog (e.g. "gone-9")');
    expect(result.stderr).toContain('"source": "imported:text"');
    const stored = await storedSet(db, 'text');
    expect(stored?.set.ids).toEqual(['sku-1', 'sku-2', 'gone-9']);
    expect([...(stored?.set.data ?? [])]).toEqual([1, 0, 0, 0, 1, 0, 0, 0, 1]);
  });

  it('pairs fvecs rows with an ids file, under the metric asked for', async () => {
    const db = await dbWithItems('fvecs.db');
    const result = await runQuarry('vectors', 'import', '--file', file('v.fvecs'), '--ids', file('ids.txt'), '--metric', 'l2', '--db', db);
    expect(result.code).toBe(EXIT.ok);
    const stored = await storedSet(db, 'default');
    expect(stored?.set).toMatchObject({ dim: 2, metric: 'l2', ids: ['sku-3', 'sku-2', 'sku-1'] });
    expect([...(stored?.set.data ?? [])]).toEqual([1, 2, 3, 4, 5, 6]);
    const list = await runQuarry('vectors', 'list', '--db', db, '--json');
    expect(JSON.parse(list.stdout)).toMatchObject([{ name: 'default', version: 1, count: 3, dim: 2, metric: 'l2' }]);
  });

  it('refuses a malformed file with every bad line numbered, and keeps the set imported before', async () => {
    const db = await dbWithItems('bad.db');
    expect((await runQuarry('vectors', 'import', '--file', file('v.jsonl'), '--db', db)).code).toBe(EXIT.ok);
    const result = await runQuarry('vectors', 'import', '--file', file('bad.jsonl'), '--db', db);
    expect(result.code).toBe(EXIT.failure);
    expect(result.stderr).toContain('2 problems; nothing was imported');
    expect(result.stderr).toContain('line 2: the vector has 3 dims; the first one (line 1) has 2');
    expect(result.stderr).toContain('line 3: the vector holds NaN or Infinity');
    const kept = await storedSet(db, 'default');
    expect(kept).toMatchObject({ info: { version: 1 }, set: { dim: 3 } });
  });

  it('refuses a file none of whose ids is an item, naming examples', async () => {
    const db = await dbWithItems('strangers.db');
    const result = await runQuarry('vectors', 'import', '--file', file('strangers.jsonl'), '--db', db);
    expect(result.code).toBe(EXIT.failure);
    expect(result.stderr).toContain('none of the 2 ids');
    expect(result.stderr).toContain('"x1", "x2"');
    expect(await storedSet(db, 'default')).toBeUndefined();
  });

  it('a second import of a name replaces the first', async () => {
    const db = await dbWithItems('replace.db');
    await runQuarry('vectors', 'import', '--file', file('v.jsonl'), '--db', db);
    const result = await runQuarry('vectors', 'import', '--file', file('v.fvecs'), '--ids', file('ids.txt'), '--db', db);
    expect(result.stderr).toContain('version 2');
    expect(result.stderr).toContain('replacing version 1');
    expect((await storedSet(db, 'default'))?.set.dim).toBe(2);
  });

  it('exits 2 for bad usage: no ids for fvecs, ids with JSONL, a bad name, an unknown extension', async () => {
    const db = file('usage.db');
    const usage = async (...args: string[]) => (await runQuarry('vectors', 'import', '--db', db, ...args)).code;
    expect(await usage('--file', file('v.fvecs'))).toBe(EXIT.usage);
    expect(await usage('--file', file('v.jsonl'), '--ids', file('ids.txt'))).toBe(EXIT.usage);
    expect(await usage('--file', file('v.jsonl'), '--name', 'a/b')).toBe(EXIT.usage);
    expect(await usage('--file', file('items.bin'))).toBe(EXIT.usage);
    expect(await usage('--file', file('v.jsonl'), '--metric', 'hamming')).toBe(EXIT.usage);
    expect(await usage('--file', file('missing.jsonl'))).toBe(EXIT.failure);
  });
});
