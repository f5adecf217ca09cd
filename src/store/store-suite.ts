/**
 * The contract every `Store` backend must pass. A backend's test file calls `describeStoreSuite` with a
 * way to open a fresh, empty store; each test gets its own store and closes it afterwards.
 *
 * Not here: atomicity of a batch that fails half-way. Nothing in the `Store` interface can make a
 * backend fail mid-batch honestly (records are validated before they reach it), so each backend tests
 * it with its own means (SQLite: a trigger that aborts on one row, in `sqlite-store.test.ts`).
 * Test-only: not exported from `index.ts`.
 */

import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EVENT_TYPES, invariant } from '../core/index.js';
import type { Event, EventType } from '../core/index.js';
import type { EventQuery, Store } from './store.js';
import {
  collect,
  everyStoreCall,
  expectRejection,
  makeClick,
  makeEventOfType,
  makeItem,
  makeQuery,
  makeRichItem,
  makeUser,
} from './store-fixtures.js';

type StoreUnderTest = () => Store;

const idsOf = (events: readonly Event[]): string[] => events.map((event) => event.eventId);

/** The ids of the events `readEvents(query)` yields, in order. */
async function readIds(store: Store, query?: EventQuery): Promise<string[]> {
  return idsOf(await collect(store.readEvents(query)));
}

/**
 * @param open returns a new, empty store on every call.
 * @param cleanup runs once after the whole suite (e.g. removes a temporary folder).
 */
export function describeStoreSuite(name: string, open: () => Promise<Store>, cleanup?: () => Promise<void>): void {
  describe(`Store contract: ${name}`, () => {
    let current: Store | undefined;
    const store: StoreUnderTest = () => {
      invariant(current !== undefined, 'the store is opened before each test');
      return current;
    };
    beforeEach(async () => {
      current = await open();
    });
    afterEach(async () => {
      await current?.close();
      current = undefined;
    });
    if (cleanup !== undefined) afterAll(cleanup);

    describe('items', () => itemTests(store));
    describe('users', () => userTests(store));
    describe('events', () => eventTests(store));
    describe('event reads over more than one page', () => pagingTests(store));
    describe('query log', () => queryLogTests(store));
    describe('models', () => modelTests(store));
    describe('meta and lifecycle', () => lifecycleTests(store));
  });
}

function itemTests(store: StoreUnderTest): void {
  it('returns an item deep-equal to what was written (every field, non-ASCII text, ISO time converted)', async () => {
    const item = makeRichItem('i1');
    await store().upsertItems([item]);
    expect(await store().getItem('i1')).toStrictEqual(item);
  });

  it('counts unknown ids as inserted and known ids as updated, and the later write replaces the record', async () => {
    await store().upsertItems([makeItem('a'), makeItem('b')]);
    const result = await store().upsertItems([makeItem('b', { title: 'b, renamed' }), makeItem('c')]);
    // b existed, c did not.
    expect(result).toEqual({ inserted: 1, updated: 1 });
    expect((await store().getItem('b'))?.title).toBe('b, renamed');
    expect(await store().countItems()).toBe(3);
  });

  it('an id repeated within one batch is inserted by its first element and updated by its last', async () => {
    const result = await store().upsertItems([makeItem('a', { title: 'first' }), makeItem('a', { title: 'last' })]);
    expect(result).toEqual({ inserted: 1, updated: 1 });
    expect((await store().getItem('a'))?.title).toBe('last');
    expect(await store().countItems()).toBe(1);
  });

  it('scans in first-insertion order, not id order; an update keeps the item in its place', async () => {
    await store().upsertItems([makeItem('m'), makeItem('z'), makeItem('a')]);
    await store().upsertItems([makeItem('z', { title: 'z, updated' }), makeItem('b')]);
    const ids = (await collect(store().scanItems())).map((item) => item.id);
    expect(ids).toEqual(['m', 'z', 'a', 'b']);
  });

  it('deleteItem reports whether the item existed and removes it from get, scan and count', async () => {
    await store().upsertItems([makeItem('a'), makeItem('b')]);
    expect(await store().deleteItem('a')).toBe(true);
    expect(await store().deleteItem('a')).toBe(false); // already gone
    expect(await store().deleteItem('never-stored')).toBe(false);
    expect(await store().getItem('a')).toBeUndefined();
    expect((await collect(store().scanItems())).map((item) => item.id)).toEqual(['b']);
    expect(await store().countItems()).toBe(1);
  });

  it('an empty batch writes nothing and an unknown id reads as undefined', async () => {
    expect(await store().upsertItems([])).toEqual({ inserted: 0, updated: 0 });
    expect(await store().getItem('nope')).toBeUndefined();
    expect(await store().countItems()).toBe(0);
  });

  it('scans more items than one page (10,001) in insertion order, each exactly once', async () => {
    // Ids count down, so id order is the reverse of insertion order.
    const items = Array.from({ length: 10_001 }, (_, index) => makeItem(`item-${String(10_001 - index).padStart(5, '0')}`));
    await store().upsertItems(items);
    const scanned = (await collect(store().scanItems())).map((item) => item.id);
    expect(scanned).toEqual(items.map((item) => item.id));
  });
}

function userTests(store: StoreUnderTest): void {
  it('upserts users: deep-equal reads, inserted/updated counts, insertion-order scan, count', async () => {
    const alice = makeUser('alice', { region: 'CN-31', attributes: { vip: true, age: 31 } });
    expect(await store().upsertUsers([makeUser('bob'), alice])).toEqual({ inserted: 2, updated: 0 });
    const aliceMoved = makeUser('alice', { region: 'CN-11' });
    expect(await store().upsertUsers([aliceMoved])).toEqual({ inserted: 0, updated: 1 });
    expect(await store().getUser('alice')).toStrictEqual(aliceMoved);
    expect(await store().getUser('carol')).toBeUndefined();
    // bob came first; alice's update did not move her.
    expect((await collect(store().scanUsers())).map((user) => user.id)).toEqual(['bob', 'alice']);
    expect(await store().countUsers()).toBe(2);
  });
}

function eventTests(store: StoreUnderTest): void {
  const batch = (): Event[] => [
    makeQuery({ eventId: 'e1', time: 100, query: 'phone' }),
    makeClick({ eventId: 'e2', time: 110, itemId: 'i7' }),
    makeEventOfType('impression', { eventId: 'e3', time: 105 }),
  ];

  it('appends events and reads them back deep-equal', async () => {
    expect(await store().appendEvents(batch())).toEqual({ accepted: 3, duplicates: 0, duplicateIndexes: [] });
    const [first, second, third] = batch();
    // Time order: e1 (100), e3 (105), e2 (110).
    expect(await collect(store().readEvents())).toStrictEqual([first, third, second]);
  });

  it('retrying a whole batch stores nothing twice: every event of it is a duplicate', async () => {
    await store().appendEvents(batch());
    expect(await store().appendEvents(batch())).toEqual({ accepted: 0, duplicates: 3, duplicateIndexes: [0, 1, 2] });
    expect((await store().countEvents()).total).toBe(3);
  });

  it('an eventId repeated within one batch is a duplicate, and the first occurrence is the one kept', async () => {
    const first = makeClick({ eventId: 'e1', time: 100, itemId: 'first' });
    const repeat = makeClick({ eventId: 'e1', time: 200, itemId: 'repeat' });
    expect(await store().appendEvents([first, repeat])).toEqual({ accepted: 1, duplicates: 1, duplicateIndexes: [1] });
    expect(await collect(store().readEvents())).toStrictEqual([first]);
  });

  it('a retry mixing stored and new events writes only the new ones, and a stored event is never overwritten', async () => {
    await store().appendEvents([makeClick({ eventId: 'e1', time: 100, itemId: 'original' })]);
    const retry = [makeClick({ eventId: 'e1', time: 100, itemId: 'changed' }), makeClick({ eventId: 'e2', time: 101 })];
    expect(await store().appendEvents(retry)).toEqual({ accepted: 1, duplicates: 1, duplicateIndexes: [0] });
    const stored = await collect(store().readEvents());
    expect(stored.map((event) => (event.type === 'click' ? event.itemId : event.type))).toEqual(['original', 'i1']);
  });

  it('reads in time order with equal times in append order, whatever order they were appended in', async () => {
    const times = [30, 10, 20, 10, 30, 10];
    await store().appendEvents(times.map((time, index) => makeClick({ eventId: `e${index}`, time })));
    // 10s: e1, e3, e5 (appended in that order); 20: e2; 30s: e0, e4.
    expect(await readIds(store())).toEqual(['e1', 'e3', 'e5', 'e2', 'e0', 'e4']);
  });

  it('from is inclusive and to is exclusive', async () => {
    await store().appendEvents([10, 20, 30].map((time) => makeClick({ eventId: `t${time}`, time })));
    expect(await readIds(store(), { from: 20, to: 30 })).toEqual(['t20']);
    expect(await readIds(store(), { from: 10, to: 31 })).toEqual(['t10', 't20', 't30']);
    expect(await readIds(store(), { from: 11, to: 20 })).toEqual([]);
  });

  it('filters by types, by user, and by both at once', async () => {
    await store().appendEvents([
      makeEventOfType('query', { eventId: 'q-u1', userId: 'u1', time: 1 }),
      makeEventOfType('click', { eventId: 'c-u1', userId: 'u1', time: 2 }),
      makeEventOfType('purchase', { eventId: 'p-u2', userId: 'u2', time: 3 }),
      makeEventOfType('click', { eventId: 'c-u2', userId: 'u2', time: 4 }),
    ]);
    const ids = (query: EventQuery) => readIds(store(), query);
    expect(await ids({ types: ['click'] })).toEqual(['c-u1', 'c-u2']);
    expect(await ids({ types: ['click', 'purchase'] })).toEqual(['c-u1', 'p-u2', 'c-u2']);
    expect(await ids({ userId: 'u2' })).toEqual(['p-u2', 'c-u2']);
    expect(await ids({ userId: 'u2', types: ['click'] })).toEqual(['c-u2']);
    expect(await ids({ userId: 'nobody' })).toEqual([]);
  });

  it('limit returns the first events in time order; limit 0 returns none', async () => {
    await store().appendEvents([3, 1, 2].map((time) => makeClick({ eventId: `t${time}`, time })));
    expect(await readIds(store(), { limit: 2 })).toEqual(['t1', 't2']);
    expect(await collect(store().readEvents({ limit: 0 }))).toEqual([]);
  });

  it('countEvents lists every event type (0 for types never seen) with the first and last time', async () => {
    await store().appendEvents([
      makeEventOfType('click', { eventId: 'a', time: 50 }),
      makeEventOfType('click', { eventId: 'b', time: 20 }),
      makeEventOfType('query', { eventId: 'c', time: 90 }),
    ]);
    const zeros = Object.fromEntries(EVENT_TYPES.map((type) => [type, 0]));
    expect(await store().countEvents()).toEqual({
      total: 3,
      byType: { ...zeros, click: 2, query: 1 },
      firstTime: 20,
      lastTime: 90,
    });
  });

  it('countEvents applies the same filters as readEvents, and an empty result has no first or last time', async () => {
    await store().appendEvents([
      makeEventOfType('click', { eventId: 'a', userId: 'u1', time: 10 }),
      makeEventOfType('query', { eventId: 'b', userId: 'u2', time: 20 }),
      makeEventOfType('click', { eventId: 'c', userId: 'u2', time: 30 }),
    ]);
    const u2Clicks = await store().countEvents({ userId: 'u2', types: ['click'], from: 0, to: 100 });
    expect([u2Clicks.total, u2Clicks.byType.click, u2Clicks.firstTime, u2Clicks.lastTime]).toEqual([1, 1, 30, 30]);
    const none = await store().countEvents({ from: 11, to: 20 }); // 10 is before, 20 is the exclusive end
    expect(none.total).toBe(0);
    expect(Object.values(none.byType).every((count) => count === 0)).toBe(true);
    expect(none.firstTime).toBeUndefined();
    expect(none.lastTime).toBeUndefined();
  });
}

/**
 * 12,000 events over 1,703 distinct times (7 or 8 per time) in more than one page (SQLite reads 5,000 per
 * statement), with a run of equal times across the 5,000th position: where a careless cursor
 * (`time > last time`) would skip or repeat events.
 */
function pagingTests(store: StoreUnderTest): void {
  const types: EventType[] = ['click', 'query', 'purchase', 'impression'];
  // Times jump around in append order (37 and 1,703 are coprime), so time order is not append order;
  // 1,703 shares no factor with 4 types or 5 users, so each run of equal times mixes types and users.
  const events = Array.from({ length: 12_000 }, (_, index) =>
    makeEventOfType(types[index % types.length] ?? 'click', {
      eventId: `e${index}`,
      userId: `u${index % 5}`,
      time: 1_000 + ((index * 37) % 1_703),
    }),
  );
  // Array.prototype.sort is stable: equal times keep their append order, as the store must.
  const inTimeOrder = [...events].sort((a, b) => a.time - b.time);
  const clicksAndPurchases = inTimeOrder.filter((event) => event.type === 'click' || event.type === 'purchase');
  const straddles = (list: readonly Event[]) => list[4_999]?.time === list[5_000]?.time;

  beforeEach(async () => {
    for (let start = 0; start < events.length; start += 4_000) {
      await store().appendEvents(events.slice(start, start + 4_000));
    }
  });

  it('reads all 12,000 in time order, ties in append order, each exactly once', async () => {
    expect(straddles(inTimeOrder), 'fixture: equal times around position 5,000').toBe(true);
    expect(await readIds(store())).toEqual(idsOf(inTimeOrder));
  });

  it('filters by several types and by user across pages', async () => {
    expect(straddles(clicksAndPurchases), 'fixture: equal times around position 5,000').toBe(true);
    expect(await readIds(store(), { types: ['click', 'purchase'] })).toEqual(idsOf(clicksAndPurchases));
    const u3 = inTimeOrder.filter((event) => event.userId === 'u3');
    expect(await readIds(store(), { userId: 'u3' })).toEqual(idsOf(u3));
  });

  it('a limit just past one page (5,001) and a time range inside the data cut at the right events', async () => {
    expect(await readIds(store(), { limit: 5_001 })).toEqual(idsOf(inTimeOrder.slice(0, 5_001)));
    const middle = inTimeOrder.filter((event) => event.time >= 1_400 && event.time < 2_500);
    expect(await readIds(store(), { from: 1_400, to: 2_500 })).toEqual(idsOf(middle));
  });
}

function queryLogTests(store: StoreUnderTest): void {
  beforeEach(async () => {
    await store().appendEvents([
      makeQuery({ eventId: 'q1', userId: 'u1', time: 10, query: 'phone' }),
      makeQuery({ eventId: 'q2', userId: 'u2', time: 20, query: 'phone' }),
      makeQuery({ eventId: 'q3', userId: 'u1', time: 30, query: 'phone' }),
      makeQuery({ eventId: 'q4', userId: 'u3', time: 15, query: 'case' }),
      makeQuery({ eventId: 'q5', userId: 'u3', time: 25, query: 'case' }),
      makeQuery({ eventId: 'q6', userId: 'u4', time: 40, query: 'Phone' }),
      // Not a query event: an impression carrying the query text must not be counted.
      makeEventOfType('impression', { eventId: 'i1', userId: 'u5', time: 12, query: 'phone' }),
    ]);
  });

  it('aggregates by exact query string, most frequent first, with distinct users and first/last time', async () => {
    expect(await store().queryCounts()).toEqual([
      // q1, q2, q3: three events by u1 and u2.
      { query: 'phone', count: 3, users: 2, firstTime: 10, lastTime: 30 },
      // q4, q5: both by u3.
      { query: 'case', count: 2, users: 1, firstTime: 15, lastTime: 25 },
      // "Phone" is a different string from "phone".
      { query: 'Phone', count: 1, users: 1, firstTime: 40, lastTime: 40 },
    ]);
  });

  it('minUsers drops queries issued by fewer distinct users; limit keeps the most frequent', async () => {
    expect((await store().queryCounts({ minUsers: 2 })).map((count) => count.query)).toEqual(['phone']);
    expect((await store().queryCounts({ limit: 1 })).map((count) => count.query)).toEqual(['phone']);
  });

  it('a time range counts only the events inside it (from inclusive, to exclusive)', async () => {
    // [15, 30) holds q2 (phone, 20), q4 (case, 15), q5 (case, 25).
    expect(await store().queryCounts({ from: 15, to: 30 })).toEqual([
      { query: 'case', count: 2, users: 1, firstTime: 15, lastTime: 25 },
      { query: 'phone', count: 1, users: 1, firstTime: 20, lastTime: 20 },
    ]);
  });

  it('readQueries yields only query events, in time order, within range and limit', async () => {
    const all = await collect(store().readQueries());
    expect(idsOf(all)).toEqual(['q1', 'q4', 'q2', 'q5', 'q3', 'q6']);
    expect(all.every((event) => event.type === 'query')).toBe(true);
    const ranged = await collect(store().readQueries({ from: 15, to: 40, limit: 2 }));
    expect(idsOf(ranged)).toEqual(['q4', 'q2']);
  });
}

function modelTests(store: StoreUnderTest): void {
  // Every byte value, so an encoding that mangles any byte (UTF-8, base64 padding) shows.
  const everyByte = Uint8Array.from({ length: 512 }, (_, index) => index % 256);

  it('numbers versions 1, 2, 3, ... per name, independently of other names', async () => {
    const put = async (name: string) => (await store().putModel({ name, formatVersion: 1, data: everyByte })).version;
    expect([await put('ctr'), await put('ctr'), await put('hnsw'), await put('ctr')]).toEqual([1, 2, 1, 3]);
  });

  it('returns the blob byte-equal with its info; without a version, the latest; unknown ones are undefined', async () => {
    const createdAt = Date.UTC(2024, 0, 1);
    const meta = { auc: 0.71, features: ['price', 'ctr_7d'], params: { lr: 0.01 } };
    const first = await store().putModel({ name: 'ctr', formatVersion: 2, meta, data: everyByte, createdAt });
    expect(first).toEqual({ name: 'ctr', version: 1, formatVersion: 2, createdAt, meta, bytes: 512 });
    await store().putModel({ name: 'ctr', formatVersion: 2, data: new Uint8Array(0), createdAt: createdAt + 1 });

    const v1 = await store().getModel('ctr', 1);
    expect(v1?.data).toEqual(everyByte);
    expect(v1?.meta).toEqual(meta);
    const latest = await store().getModel('ctr');
    expect([latest?.version, latest?.bytes, latest?.data.byteLength, latest?.meta]).toEqual([2, 0, 0, {}]);
    expect(await store().getModel('ctr', 3)).toBeUndefined();
    expect(await store().getModel('unknown')).toBeUndefined();
  });

  it('lists one name newest first, or every name with each name newest first', async () => {
    for (const name of ['ctr', 'hnsw', 'ctr', 'ctr', 'hnsw']) {
      await store().putModel({ name, formatVersion: 1, data: everyByte });
    }
    const versionsOf = (infos: { name: string; version: number }[]) => infos.map((info) => `${info.name}@${info.version}`);
    expect(versionsOf(await store().listModels('ctr'))).toEqual(['ctr@3', 'ctr@2', 'ctr@1']);
    const all = versionsOf(await store().listModels());
    expect([...all].sort()).toEqual(['ctr@1', 'ctr@2', 'ctr@3', 'hnsw@1', 'hnsw@2']);
    expect(all.filter((entry) => entry.startsWith('hnsw@'))).toEqual(['hnsw@2', 'hnsw@1']);
    expect(await store().listModels('unknown')).toEqual([]);
  });

  it('deleteModel reports whether the version existed; the latest then falls back to the previous one', async () => {
    await store().putModel({ name: 'ctr', formatVersion: 1, data: everyByte });
    await store().putModel({ name: 'ctr', formatVersion: 1, data: everyByte });
    expect(await store().deleteModel('ctr', 2)).toBe(true);
    expect(await store().deleteModel('ctr', 2)).toBe(false); // already gone
    expect((await store().getModel('ctr'))?.version).toBe(1);
    expect((await store().listModels('ctr')).map((info) => info.version)).toEqual([1]);
  });
}

function lifecycleTests(store: StoreUnderTest): void {
  it('meta: absent keys are undefined; set, read back, overwrite', async () => {
    expect(await store().getMeta('simulation')).toBeUndefined();
    await store().setMeta('simulation', 'seed=1');
    await store().setMeta('other', 'x');
    await store().setMeta('simulation', 'seed=2');
    expect([await store().getMeta('simulation'), await store().getMeta('other')]).toEqual(['seed=2', 'x']);
  });

  it('reports a schema version of at least 1 (a new store is migrated before use)', async () => {
    const version = await store().schemaVersion();
    expect(Number.isInteger(version) && version >= 1).toBe(true);
  });

  it('after close, every call rejects with UNAVAILABLE; closing again is fine', async () => {
    const closed = store();
    await closed.close();
    await closed.close();
    for (const [method, call] of everyStoreCall(closed)) await expectRejection(call(), 'UNAVAILABLE', method);
  });
}
