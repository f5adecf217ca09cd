import { afterEach, describe, expect, it } from 'vitest';
import { IncompatibleFormatError, InvalidArgumentError } from '../core/index.js';
import { SqliteStore } from '../store/index.js';
import { ITEM_VECTORS_FORMAT_VERSION, decodeItemVectors, encodeItemVectors, getItemVectors, listItemVectors, putItemVectors, type ItemVectorSet } from './item-vectors.js';

const SET: ItemVectorSet = { dim: 3, metric: 'cos', ids: ['sku-1', 'sku-2'], data: Float32Array.from([0.1, -0.2, 0.3, 1e-7, 2.5, -3]) };

const stores: SqliteStore[] = [];
afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
});
async function memoryStore(): Promise<SqliteStore> {
  const store = await SqliteStore.open({ path: ':memory:' });
  stores.push(store);
  return store;
}

describe('item vector format', () => {
  it('round-trips ids, metric and every float bit for bit, with the header meta', () => {
    const { set, meta } = decodeItemVectors(encodeItemVectors(SET, { file: 'v.jsonl' }));
    expect(set.ids).toEqual(SET.ids);
    expect(set.metric).toBe('cos');
    expect(set.dim).toBe(3);
    expect([...set.data]).toEqual([...SET.data]);
    expect(meta).toEqual({ file: 'v.jsonl' });
  });

  it('refuses another magic number, another version and a truncated blob', () => {
    const bytes = encodeItemVectors(SET);
    expect(() => decodeItemVectors(new TextEncoder().encode('QBPR0000'))).toThrow(IncompatibleFormatError);
    const otherVersion = bytes.slice();
    new DataView(otherVersion.buffer).setUint32(4, ITEM_VECTORS_FORMAT_VERSION + 1, true);
    expect(() => decodeItemVectors(otherVersion, 'the blob')).toThrow(/the blob has item vector format version 2/);
    expect(() => decodeItemVectors(bytes.subarray(0, bytes.length - 4))).toThrow(/holds \d+ bytes/);
  });

  it('refuses a set whose data does not match its ids', () => {
    expect(() => encodeItemVectors({ ...SET, data: new Float32Array(5) })).toThrow(InvalidArgumentError);
  });
});

describe('putItemVectors / getItemVectors', () => {
  it('stores a named set, and a new import of the name replaces the old one only once it is stored', async () => {
    const store = await memoryStore();
    expect(await getItemVectors(store, 'clip')).toBeUndefined();
    const first = await putItemVectors(store, 'clip', SET);
    expect(first).toMatchObject({ info: { name: 'item-vectors/clip', version: 1, formatVersion: ITEM_VECTORS_FORMAT_VERSION }, replaced: [] });
    const second = await putItemVectors(store, 'clip', { ...SET, ids: ['sku-3', 'sku-4'] });
    expect(second.replaced).toEqual([1]);
    const got = await getItemVectors(store, 'clip');
    expect(got?.info.version).toBe(2);
    expect(got?.set.ids).toEqual(['sku-3', 'sku-4']);
    expect((await store.listModels('item-vectors/clip')).map((m) => m.version)).toEqual([2]);
    await putItemVectors(store, 'text', SET);
    expect((await listItemVectors(store)).map((s) => [s.setName, s.version, s.meta.count])).toEqual([
      ['clip', 2, 2],
      ['text', 1, 2],
    ]);
  });

  it('refuses a bad set name before writing anything', async () => {
    const store = await memoryStore();
    await expect(putItemVectors(store, '../x', SET)).rejects.toThrow(/vector set name "..\/x"/);
    expect(await store.listModels()).toEqual([]);
  });

  it('refuses a stored blob of another format version', async () => {
    const store = await memoryStore();
    await store.putModel({ name: 'item-vectors/old', formatVersion: 99, data: encodeItemVectors(SET) });
    await expect(getItemVectors(store, 'old')).rejects.toThrow(/format version 99/);
  });
});
