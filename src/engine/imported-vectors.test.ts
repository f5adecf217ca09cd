import { afterEach, describe, expect, it } from 'vitest';
import { FailedPreconditionError, InvalidArgumentError, Rng, type EventInput, type ItemInput } from '../core/index.js';
import { BprModel, putBprModel, putItemVectors, type ItemVectorSet } from '../embed/index.js';
import { SqliteStore } from '../store/index.js';
import { BruteForceIndex } from '../vector/index.js';
import { resolveEngineConfig } from './config.js';
import { Engine } from './engine.js';

const T0 = Date.UTC(2026, 9, 1);

/**
 * Six items whose nearest neighbour of `a` depends on the metric: under cos it is `d` (the same
 * direction, ten times longer), under l2 it is `b` (short, 45 degrees off). Categories differ so no
 * other signal points at either.
 */
const ITEMS: ItemInput[] = ['a', 'b', 'c', 'd', 'e', 'f'].map((id, n) => ({ id, title: `item ${id}`, categoryPath: [`cat${n}`] }));
const VECTORS: Record<string, number[]> = {
  a: [1, 0, 0, 0],
  b: [0.5, 0.5, 0, 0],
  c: [0, 1, 0, 0],
  d: [10, 1, 0, 0],
  e: [0, 0, 1, 0],
  f: [0, 0, 0.2, 1],
};

function vectorSet(metric: ItemVectorSet['metric'], vectors: Record<string, number[]> = VECTORS): ItemVectorSet {
  const ids = Object.keys(vectors);
  return { dim: 4, metric, ids, data: Float32Array.from(ids.flatMap((id) => vectors[id]!)) };
}

const engines: Engine[] = [];
const stores: SqliteStore[] = [];
afterEach(async () => {
  for (const engine of engines.splice(0)) await engine.close();
  for (const store of stores.splice(0)) await store.close();
});

async function storeWith(items: ItemInput[], sets: Record<string, ItemVectorSet>, events: EventInput[] = []): Promise<SqliteStore> {
  const store = await SqliteStore.open({ path: ':memory:' });
  stores.push(store);
  const writer = await Engine.open({ store, clock: () => T0 });
  for (let at = 0; at < items.length; at += 1_000) await writer.upsertItems(items.slice(at, at + 1_000));
  if (events.length > 0) await writer.appendEvents(events);
  await writer.close();
  for (const [name, set] of Object.entries(sets)) await putItemVectors(store, name, set);
  return store;
}

async function engineOn(store: SqliteStore, source: string, channels: { similar?: string[]; recommend?: string[] } = {}): Promise<Engine> {
  const config = { recall: { vector: { source }, channels: { similar: ['vector-i2i'], recommend: ['vector-u2i'], ...channels } } };
  const engine = await Engine.open({ store, config, clock: () => T0 + 1_000 });
  engines.push(engine);
  return engine;
}

const ids = (response: { items: { id: string }[] }): string[] => response.items.map((i) => i.id);

describe('the engine serving imported item vectors', () => {
  it('serves similar items by the imported vectors, under the set\'s own metric', async () => {
    const store = await storeWith(ITEMS, { cosine: vectorSet('cos'), euclid: vectorSet('l2') });
    const cos = await engineOn(store, 'imported:cosine');
    expect(ids(cos.recommend({ itemId: 'a', limit: 3 }))).toEqual(['d', 'b', 'c']); // cos 0.995, 0.707, 0
    const l2 = await engineOn(store, 'imported:euclid');
    expect(ids(l2.recommend({ itemId: 'a', limit: 3 }))).toEqual(['b', 'c', 'e']); // squared distances 0.5, 2, 2 (ties by doc id)
    expect(cos.status().embeddings).toEqual({ source: 'imported:cosine', modelVersion: 1, items: 6 });
  });

  it('says in the trace which vectors the channel searched', async () => {
    const store = await storeWith(ITEMS, { cosine: vectorSet('cos') });
    const engine = await engineOn(store, 'imported:cosine');
    const stage = engine.recommend({ itemId: 'a', explain: true }).trace?.stages.find((s) => s.name === 'vector-i2i');
    expect(stage?.detail).toMatchObject({ vectors: 'imported:cosine' });
  });

  it('recommends to a user by the mean of their recent items\' vectors, leaving those items out', async () => {
    const events: EventInput[] = [
      { eventId: 'e1', type: 'click', userId: 'u', itemId: 'c', time: T0 - 2_000 },
      { eventId: 'e2', type: 'click', userId: 'u', itemId: 'a', time: T0 - 1_000 },
    ];
    const store = await storeWith(ITEMS, { cosine: vectorSet('cos') }, events);
    const engine = await engineOn(store, 'imported:cosine');
    // The mean of a and c is [0.5, 0.5, 0, 0]: b is on it exactly, d (mostly along a) comes next, then
    // e and f (orthogonal, by doc id); a and c themselves (cos 0.71) are left out.
    expect(ids(engine.recommend({ userId: 'u', limit: 4 }))).toEqual(['b', 'd', 'e', 'f']);
    expect(ids(engine.recommend({ userId: 'nobody', limit: 2 }))).toEqual([]);
  });

  it('indexes only imported ids that are items, and finds nothing for an item without a vector', async () => {
    const vectors = { a: VECTORS.a!, d: VECTORS.d!, ghost: [1, 0.1, 0, 0] };
    const store = await storeWith(ITEMS, { partial: vectorSet('cos', vectors) });
    const engine = await engineOn(store, 'imported:partial');
    expect(engine.status().embeddings?.items).toBe(2);
    expect(ids(engine.recommend({ itemId: 'a' }))).toEqual(['d']);
    expect(ids(engine.recommend({ itemId: 'e' }))).toEqual([]);
  });

  it('takes recall.vector.source "bpr" (the default) or "imported:<name>" with a valid set name', () => {
    expect(resolveEngineConfig({}).recall.vector.source).toBe('bpr');
    expect(resolveEngineConfig({ recall: { vector: { source: 'imported:clip-v2.1' } } }).recall.vector.source).toBe('imported:clip-v2.1');
    for (const bad of ['imported:', 'imported:a/b', 'bpr2', 'clip']) {
      expect(() => resolveEngineConfig({ recall: { vector: { source: bad } } })).toThrow(InvalidArgumentError);
    }
    expect(() => resolveEngineConfig({ recall: { vector: { source: 'clip' } } })).toThrow(/recall\.vector\.source/);
  });

  it('refuses to start when the configured set is not in the store', async () => {
    const store = await storeWith(ITEMS, {});
    await expect(engineOn(store, 'imported:nope')).rejects.toThrow(FailedPreconditionError);
    await expect(engineOn(store, 'imported:nope')).rejects.toThrow(/quarry vectors import --name nope/);
  });

  it('finds the exact nearest items on seeded data, the same list on every start', async () => {
    const rng = new Rng('imported-vectors-test');
    // More than HNSW's `reorderAfter` (1,024): the index permutes its stored dimensions, and the
    // vectors it hands back (the queries here) must still be in the caller's order.
    const items: ItemInput[] = Array.from({ length: 1_500 }, (_, n) => ({ id: `sku-${n}`, title: `item ${n}`, categoryPath: [`c${n % 7}`] }));
    const vectors = Object.fromEntries(items.map((item) => [item.id, Array.from({ length: 4 }, () => rng.normal())]));
    const set = { ...vectorSet('cos', vectors), dim: 4 };
    const store = await storeWith(items, { seeded: set });
    const exact = new BruteForceIndex({ dim: 4, metric: 'cos' });
    set.ids.forEach((id, row) => exact.add(id, set.data.subarray(row * 4, row * 4 + 4)));
    const first = await engineOn(store, 'imported:seeded');
    const second = await engineOn(store, 'imported:seeded');
    let agreeing = 0;
    for (const seed of ['sku-0', 'sku-17', 'sku-123', 'sku-1499']) {
      const served = ids(first.recommend({ itemId: seed, limit: 10 }));
      expect(ids(second.recommend({ itemId: seed, limit: 10 }))).toEqual(served);
      const truth = exact.search(exact.get(seed), 11).map((hit) => hit.id).filter((id) => id !== seed);
      expect(served[0]).toBe(truth[0]);
      agreeing += served.filter((id) => truth.includes(id)).length;
    }
    // HNSW is approximate; at 1,500 vectors with ef 128 it should miss at most one of 40.
    expect(agreeing).toBeGreaterThanOrEqual(39);
  });

  it('still serves BPR embeddings with source bpr (the default), through the same channels', async () => {
    const store = await storeWith(ITEMS, { cosine: vectorSet('cos') });
    const itemIds = Object.keys(VECTORS);
    const model = new BprModel(
      { dim: 4, userFactors: Float32Array.from([0, 0, 1, 0]), itemFactors: Float32Array.from(itemIds.flatMap((id) => VECTORS[id]!)), itemBias: new Float32Array(6) },
      { userIds: ['u'], itemIds },
    );
    await putBprModel(store, model);
    const engine = await engineOn(store, 'bpr');
    expect(ids(engine.recommend({ itemId: 'a', limit: 1 }))).toEqual(['d']); // BPR's i2i is cosine over item factors
    expect(ids(engine.recommend({ userId: 'u', limit: 2 }))).toEqual(['e', 'f']); // <w_u, h_i> + b_i: 1, 0.2
    expect(engine.status().embeddings).toEqual({ source: 'bpr', modelVersion: 1, items: 6 });
  });
});
