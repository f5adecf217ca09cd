import { describe, expect, it } from 'vitest';
import type { Event } from '../core/index.js';
import { QueryOrigins } from './query-origins.js';

const base = { userId: 'u', time: 1 };
const search = (requestId: string, source: 'typed' | 'hint' | 'refinement'): Event[] => [
  { ...base, eventId: `${requestId}q`, type: 'query', requestId, query: 'q', source },
  { ...base, eventId: `${requestId}i`, type: 'impression', requestId, surface: 'search', items: [1, 2, 3, 4].map((p) => ({ itemId: `i${p}`, position: p })) },
];

describe('QueryOrigins', () => {
  it('counts searches, clicks and purchases by the origin of the query they followed', () => {
    const origins = new QueryOrigins();
    const events: Event[] = [
      ...search('a', 'typed'),
      ...search('b', 'typed'),
      ...search('c', 'hint'),
      { ...base, eventId: 'c1', type: 'click', requestId: 'c', itemId: 'i1' },
      { ...base, eventId: 'c2', type: 'click', requestId: 'c', itemId: 'i2' },
      { ...base, eventId: 'p1', type: 'purchase', requestId: 'c', itemId: 'i2', quantity: 2, price: 10 },
      { ...base, eventId: 'c3', type: 'click', requestId: 'a', itemId: 'i3' },
      { ...base, eventId: 'x', type: 'click', requestId: 'unknown', itemId: 'i3' }, // not a search's
    ];
    for (const e of [...events, events[0] as Event]) origins.observe(e); // a repeated query event counts once
    const r = origins.report();
    expect(r.searches).toBe(3);
    expect(r.by_source.typed).toMatchObject({ searches: 2, share: 0.6667, lists: 2, impressed_items: 8, clicks: 1, ctr: 0.125, click_rate: 0.5, purchases: 0 });
    expect(r.by_source.hint).toMatchObject({ searches: 1, clicks: 2, ctr: 0.5, click_rate: 1, purchases: 1, purchases_per_search: 1, gmv: 20 });
    expect(r.offered).toMatchObject({ searches: 1, purchases: 1 });
    expect(r.by_source.refinement.searches).toBe(0);
  });
});
