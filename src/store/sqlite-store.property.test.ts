/**
 * The SQLite reads against brute-force references over random logs: tiny page sizes put page boundaries
 * everywhere, few distinct times make ties common, a small id pool makes duplicate event ids common.
 */

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Event, EventType } from '../core/index.js';
import { SqliteStore } from './sqlite-store.js';
import type { EventQuery, QueryCount } from './store.js';
import { collect, makeEventOfType } from './store-fixtures.js';

const TYPES: EventType[] = ['query', 'click', 'purchase'];
const USERS = ['u1', 'u2', 'u3'];

const eventArb = fc
  .record({
    id: fc.integer({ min: 0, max: 30 }),
    type: fc.constantFrom(...TYPES),
    userId: fc.constantFrom(...USERS),
    time: fc.integer({ min: 0, max: 10 }),
    query: fc.constantFrom('a', 'b', 'c', 'B'),
  })
  .map(({ id, type, userId, time, query }) => makeEventOfType(type, { eventId: `e${id}`, userId, time, query }));

const batchesArb = fc.array(fc.array(eventArb, { maxLength: 12 }), { maxLength: 5 });
const timeArb = fc.option(fc.integer({ min: 0, max: 11 }), { nil: undefined });

const queryArb: fc.Arbitrary<EventQuery> = fc.record(
  {
    from: timeArb,
    to: timeArb,
    types: fc.subarray(TYPES),
    userId: fc.constantFrom(...USERS),
    limit: fc.nat(40),
  },
  { requiredKeys: [] },
);

/** Appends the batches, returning what the store must hold: each event id's first write, in append order. */
async function appendAll(store: SqliteStore, batches: readonly Event[][]): Promise<Event[]> {
  const log: Event[] = [];
  const seen = new Set<string>();
  for (const batch of batches) {
    const fresh: Event[] = [];
    const duplicateIndexes: number[] = [];
    batch.forEach((event, index) => {
      if (seen.has(event.eventId)) {
        duplicateIndexes.push(index);
        return;
      }
      seen.add(event.eventId);
      fresh.push(event);
    });
    expect(await store.appendEvents(batch)).toEqual({ accepted: fresh.length, duplicates: duplicateIndexes.length, duplicateIndexes });
    log.push(...fresh);
  }
  return log;
}

function matches(event: Event, query: EventQuery): boolean {
  return (
    (query.from === undefined || event.time >= query.from) &&
    (query.to === undefined || event.time < query.to) &&
    (query.types === undefined || query.types.includes(event.type)) &&
    (query.userId === undefined || event.userId === query.userId)
  );
}

/** The reference read: filter, stable sort by time (ties keep append order), cut at the limit. */
function referenceRead(log: readonly Event[], query: EventQuery): Event[] {
  const inOrder = log.filter((event) => matches(event, query)).sort((a, b) => a.time - b.time);
  return inOrder.slice(0, query.limit ?? inOrder.length);
}

/** The reference query log: group query events by string; more events, then more users, then the string. */
function referenceQueryCounts(log: readonly Event[], range: { from?: number; to?: number }, minUsers: number): QueryCount[] {
  const groups = new Map<string, { times: number[]; users: Set<string> }>();
  for (const event of log) {
    if (event.type !== 'query' || !matches(event, range)) continue;
    const group = groups.get(event.query) ?? { times: [], users: new Set<string>() };
    group.times.push(event.time);
    group.users.add(event.userId);
    groups.set(event.query, group);
  }
  return [...groups]
    .map(([query, { times, users }]) => ({
      query,
      count: times.length,
      users: users.size,
      firstTime: Math.min(...times),
      lastTime: Math.max(...times),
    }))
    .filter((count) => count.users >= minUsers)
    .sort((a, b) => b.count - a.count || b.users - a.users || (a.query < b.query ? -1 : a.query > b.query ? 1 : 0));
}

async function withStore(pageSize: number, work: (store: SqliteStore) => Promise<void>): Promise<void> {
  const store = await SqliteStore.open({ path: ':memory:', pageSize });
  try {
    await work(store);
  } finally {
    await store.close();
  }
}

describe('SqliteStore reads against brute-force references', () => {
  it('readEvents and countEvents equal filtering and stably sorting the deduplicated log', async () => {
    await fc.assert(
      fc.asyncProperty(batchesArb, fc.integer({ min: 1, max: 4 }), queryArb, (batches, pageSize, query) =>
        withStore(pageSize, async (store) => {
          const log = await appendAll(store, batches);
          const expected = referenceRead(log, query);
          expect(await collect(store.readEvents(query))).toEqual(expected);

          const { limit: _limit, ...filter } = query;
          const counted = referenceRead(log, filter);
          const counts = await store.countEvents(filter);
          expect(counts.total).toBe(counted.length);
          for (const type of TYPES) expect(counts.byType[type]).toBe(counted.filter((event) => event.type === type).length);
        }),
      ),
    );
  });

  it('queryCounts equals grouping the query events of the range by string', async () => {
    await fc.assert(
      fc.asyncProperty(batchesArb, timeArb, timeArb, fc.integer({ min: 0, max: 3 }), (batches, from, to, minUsers) =>
        withStore(5_000, async (store) => {
          const log = await appendAll(store, batches);
          expect(await store.queryCounts({ from, to, minUsers })).toEqual(referenceQueryCounts(log, { from, to }, minUsers));
        }),
      ),
    );
  });
});
