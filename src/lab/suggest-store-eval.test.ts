import { afterEach, describe, expect, it } from 'vitest';
import type { Event } from '../core/index.js';
import { SqliteStore } from '../store/index.js';
import { readStoreSearches } from './suggest-store-eval.js';

const MIN = 60_000;
let store: SqliteStore | undefined;
afterEach(async () => {
  await store?.close();
  store = undefined;
});

/** Session `s` of user `u` at `t`: 手机 (a click on `item`), then `next` (another click on it). */
function session(s: number, t: number, next: string, item: string): Event[] {
  const who = { userId: `u${s}`, sessionId: `s${s}` };
  return [
    { ...who, eventId: `${s}a`, type: 'query', requestId: `${s}a`, query: '手机', source: 'typed', time: t },
    { ...who, eventId: `${s}c`, type: 'click', requestId: `${s}a`, itemId: item, time: t + 1_000 },
    { ...who, eventId: `${s}b`, type: 'query', requestId: `${s}b`, query: next, source: 'related', time: t + 2 * MIN },
    { ...who, eventId: `${s}d`, type: 'click', requestId: `${s}b`, itemId: item, time: t + 3 * MIN },
  ];
}

describe('readStoreSearches', () => {
  it('splits the searches by time and scores next queries of held-out sessions against the training part', async () => {
    store = await SqliteStore.open({ path: ':memory:' });
    // Training: four sessions 手机 → 华为手机 (clicking mate), then held out: two more like them and one 手机 → 耳机.
    const events = [0, 1, 2, 3].flatMap((s) => session(s, s * 60 * MIN, '华为手机', 'mate'));
    events.push(...session(4, 400 * MIN, '华为手机', 'mate'), ...session(5, 500 * MIN, '华为手机', 'mate'), ...session(6, 600 * MIN, '耳机', 'mate'));
    await store.appendEvents(events);
    const read = await readStoreSearches(store, { split: 8 / 14 });
    expect(read.searches).toBe(14);
    expect(read.splitTime).toBe(400 * MIN); // the 9th search, the first held out
    const phone = read.log.findIndex((q) => q.query === '手机');
    expect(read.presplit.train[phone]).toBe(4);
    expect(read.presplit.heldOut[phone]).toBe(3);
    // Held-out steps: 手机 → 华为手机 twice (related: hit), 手机 → 耳机 once (never seen: miss).
    expect(read.related).toEqual({ pairs: 3, hit_at_5: 0.6667, coverage: 1, baseline_hit_at_5: 0.6667 });
    // After clicking mate on 手机's list, 华为手机 is the other query that led training users to it.
    expect(read.clickBack.hit_at_5).toBe(0.6667);
    expect(read.origins.by_source.related.searches).toBe(7);
  });
});
