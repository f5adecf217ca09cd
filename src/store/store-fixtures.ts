/**
 * Test records for the store suites. Every fixture is parsed by the `core` schemas, so it carries the
 * defaults and conversions a production record has (`kind: 'product'`, ISO times as epoch ms).
 * Test-only: not exported from `index.ts`.
 */

import { expect } from 'vitest';
import { EventSchema, ItemSchema, QuarryError, QueryEventSchema, UserSchema } from '../core/index.js';
import type { ErrorCode, Event, EventType, Item, ItemInput, QueryEvent, User, UserInput } from '../core/index.js';
import type { Store } from './store.js';

export function makeItem(id: string, fields: Omit<ItemInput, 'id'> = { title: `item ${id}` }): Item {
  return ItemSchema.parse({ id, ...fields });
}

/** An item using every field, non-ASCII text and every attribute value type: what JSON must keep. */
export function makeRichItem(id: string): Item {
  return makeItem(id, {
    title: '华为 Mate 60 Pro 手机 "12GB" \\ 512GB',
    description: 'line one\nline two, émoji 📱',
    categoryPath: ['数码', '手机'],
    brand: '华为',
    shop: 'flagship',
    price: 6999.5,
    region: 'CN-31',
    attributes: { color: '雅川青', storageGb: 512, fiveG: true, weight: 0.225 },
    kind: 'ad',
    bid: 1.25,
    createdAt: '2024-03-01T08:00:00+08:00',
  });
}

export function makeUser(id: string, fields: Omit<UserInput, 'id'> = {}): User {
  return UserSchema.parse({ id, ...fields });
}

export interface EventFixture {
  eventId: string;
  userId?: string;
  time: number;
}

export function makeQuery(fixture: EventFixture & { query: string }): QueryEvent {
  return QueryEventSchema.parse({ userId: 'u1', requestId: `r-${fixture.eventId}`, ...fixture, type: 'query' });
}

/** A click on `itemId` (default `i1`). */
export function makeClick(fixture: EventFixture & { itemId?: string }): Event {
  return EventSchema.parse({ userId: 'u1', itemId: 'i1', ...fixture, type: 'click' });
}

/**
 * An event of any type with the fields that type requires filled in, for tests that vary the type.
 * Impressions carry `query` so that they look like query events to a careless filter.
 */
export function makeEventOfType(type: EventType, fixture: EventFixture & { query?: string }): Event {
  const { query = 'phone', ...common } = fixture;
  const base = { userId: 'u1', requestId: `r-${fixture.eventId}`, ...common, type };
  switch (type) {
    case 'query':
      return EventSchema.parse({ ...base, query });
    case 'impression':
      return EventSchema.parse({ ...base, query, items: [{ itemId: 'i1', position: 1 }] });
    case 'click':
    case 'add_to_cart':
    case 'purchase':
      return EventSchema.parse({ ...base, itemId: 'i1' });
    case 'suggestion_click':
      return EventSchema.parse({ ...base, prefix: query.slice(0, 1), suggestion: query, position: 1 });
  }
}

export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const value of iterable) all.push(value);
  return all;
}

/** Asserts that `promise` rejects with a QuarryError of `code`; fails when it resolves. `what` names the call. */
export async function expectRejection(promise: Promise<unknown>, code: ErrorCode, what = 'the call'): Promise<QuarryError> {
  const error: unknown = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error, `${what} should reject with a QuarryError`).toBeInstanceOf(QuarryError);
  const quarryError = error as QuarryError;
  expect(quarryError.code, `${what} should reject with ${code}`).toBe(code);
  return quarryError;
}

/** One call of every `Store` method (iterables drained), each named, for tests of what all of them do. */
export function everyStoreCall(store: Store): [method: string, call: () => Promise<unknown>][] {
  return [
    ['upsertItems', () => store.upsertItems([makeItem('a')])],
    ['getItem', () => store.getItem('a')],
    ['deleteItem', () => store.deleteItem('a')],
    ['scanItems', () => collect(store.scanItems())],
    ['countItems', () => store.countItems()],
    ['upsertUsers', () => store.upsertUsers([makeUser('u')])],
    ['getUser', () => store.getUser('u')],
    ['scanUsers', () => collect(store.scanUsers())],
    ['countUsers', () => store.countUsers()],
    ['appendEvents', () => store.appendEvents([makeClick({ eventId: 'e', time: 1 })])],
    ['readEvents', () => collect(store.readEvents())],
    ['countEvents', () => store.countEvents()],
    ['queryCounts', () => store.queryCounts()],
    ['readQueries', () => collect(store.readQueries())],
    ['putModel', () => store.putModel({ name: 'm', formatVersion: 1, data: new Uint8Array(1) })],
    ['getModel', () => store.getModel('m')],
    ['listModels', () => store.listModels()],
    ['deleteModel', () => store.deleteModel('m', 1)],
    ['getMeta', () => store.getMeta('k')],
    ['setMeta', () => store.setMeta('k', 'v')],
    ['schemaVersion', () => store.schemaVersion()],
  ];
}
