import { describe, expect, it } from 'vitest';
import { FrequencyCapReranker } from './frequency-cap-reranker.js';
import { NoopReranker } from './noop-reranker.js';
import { isServedListObserver } from './served-list.js';
import { contextAt, rankedList } from './test-fixtures.js';

const DAY = 86_400_000;
const T0 = Date.UTC(2025, 0, 10, 8);

describe('FrequencyCapReranker', () => {
  it('buries an item shown maxPerDay times to the user today, and forgets the count the next day', () => {
    const reranker = new FrequencyCapReranker({ maxPerDay: 2, action: 'bury', maxUsers: 10, maxItemsPerUser: 10, timezoneOffsetMinutes: 0 });
    for (let i = 0; i < 2; i++) reranker.observeServed({ userId: 'u1', time: T0 + i, docIds: [1, 2] });
    reranker.observeServed({ userId: 'u1', time: T0 + 5, docIds: [3] });
    const context = contextAt(T0 + 10, { userId: 'u1' });
    expect(reranker.rerank(context, rankedList([1, 2, 3, 4])).map((c) => c.docId)).toEqual([3, 4, 1, 2]);
    expect(context.trace.moves.find((m) => m.docId === 1)?.reason).toBe('frequency-cap: shown 2 times today to this user, cap 2');
    // Another user, and the same user tomorrow, are not capped.
    expect(reranker.rerank(contextAt(T0 + 10, { userId: 'u2' }), rankedList([1, 2, 3])).map((c) => c.docId)).toEqual([1, 2, 3]);
    expect(reranker.rerank(contextAt(T0 + DAY, { userId: 'u1' }), rankedList([1, 2, 3])).map((c) => c.docId)).toEqual([1, 2, 3]);
  });

  it('removes capped items with action filter, and never caps anonymous requests', () => {
    const reranker = new FrequencyCapReranker({ maxPerDay: 1, action: 'filter', maxUsers: 10, maxItemsPerUser: 10, timezoneOffsetMinutes: 0 });
    reranker.observeServed({ userId: 'u1', time: T0, docIds: [1] });
    reranker.observeServed({ userId: undefined, time: T0, docIds: [2] });
    expect(reranker.rerank(contextAt(T0, { userId: 'u1' }), rankedList([1, 2])).map((c) => c.docId)).toEqual([2]);
    expect(reranker.rerank(contextAt(T0), rankedList([1, 2])).map((c) => c.docId)).toEqual([1, 2]);
  });

  it('counts days in the configured time zone', () => {
    // 23:30 UTC is already the next day at UTC+8.
    const reranker = new FrequencyCapReranker({ maxPerDay: 1, action: 'filter', maxUsers: 10, maxItemsPerUser: 10, timezoneOffsetMinutes: 480 });
    const late = Date.UTC(2025, 0, 10, 15, 30);
    reranker.observeServed({ userId: 'u', time: late - 60_000, docIds: [1] });
    expect(reranker.shows('u', 1, late + 60_000)).toBe(1);
    expect(reranker.shows('u', 1, Date.UTC(2025, 0, 10, 16, 30))).toBe(0);
  });

  it('holds at most maxUsers users and maxItemsPerUser items, forgetting the least recent', () => {
    const reranker = new FrequencyCapReranker({ maxPerDay: 1, action: 'bury', maxUsers: 3, maxItemsPerUser: 2, timezoneOffsetMinutes: 0 });
    for (let u = 0; u < 5; u++) reranker.observeServed({ userId: `u${u}`, time: T0, docIds: [7] });
    expect(reranker.trackedUsers).toBe(3);
    expect(reranker.shows('u0', 7, T0)).toBe(0);
    expect(reranker.shows('u4', 7, T0)).toBe(1);
    reranker.observeServed({ userId: 'u4', time: T0, docIds: [8, 9] });
    expect([7, 8, 9].map((d) => reranker.shows('u4', d, T0))).toEqual([0, 1, 1]);
  });
});

describe('isServedListObserver', () => {
  it('tells the rerankers that learn from served lists from the others', () => {
    expect(isServedListObserver(new FrequencyCapReranker())).toBe(true);
    expect(isServedListObserver(new NoopReranker())).toBe(false);
  });
});
