import { describe, expect, it } from 'vitest';
import type { Event } from '../core/index.js';
import { summarize, type SessionLog } from './index.js';

const base = { userId: 'u1', sessionId: 's1' };
const events: Event[] = [
  { ...base, eventId: 'e1', time: 1, requestId: 'r1', type: 'query', query: '手机', source: 'typed' },
  { ...base, eventId: 'e2', time: 2, requestId: 'r1', type: 'impression', surface: 'search', query: '手机', items: [{ itemId: 'a', position: 1 }, { itemId: 'b', position: 2 }] },
  { ...base, eventId: 'e3', time: 3, requestId: 'r1', type: 'click', itemId: 'b', position: 2 },
  { ...base, eventId: 'e4', time: 4, requestId: 'r1', type: 'purchase', itemId: 'b', quantity: 2, price: 9.9 },
  { ...base, eventId: 'e5', time: 5, requestId: 'r2', type: 'query', query: 'zzz', source: 'typed' },
];
const session: SessionLog = {
  day: 0,
  sessionIndex: 0,
  sessionId: 's1',
  userId: 'u1',
  start: 0,
  kind: 'search',
  events,
  searches: [
    { requestId: 'r1', query: '手机', intent: { leafId: 'digital.phones' } },
    { requestId: 'r2', query: 'zzz', intent: { leafId: 'digital.phones' } },
  ],
};

describe('summarize', () => {
  it('counts lists, clicks and purchases, and rates them per impressed item and per click', () => {
    const summary = summarize([session]);
    expect(summary).toMatchObject({ sessions: 1, queries: 2, zeroResultQueries: 1, lists: 1, impressedItems: 2, clicks: 1, purchases: 1, gmv: 19.8 });
    expect(summary.ctr).toBe(0.5);
    expect(summary.cvr).toBe(1);
    expect(summary.ctrAtPosition).toEqual([0, 1]);
    expect(summary.bySurface.search).toEqual({ lists: 1, impressedItems: 2, clicks: 1, ctr: 0.5 });
    expect(summary.bySurface.recommend.ctr).toBe(0);
  });
});
