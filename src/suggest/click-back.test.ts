import { describe, expect, it } from 'vitest';
import type { Event } from '../core/index.js';
import { ClickBack } from './click-back.js';

let n = 0;
const search = (requestId: string, query: string): Event => ({ eventId: `e${++n}`, type: 'query', userId: 'u', time: n, requestId, query, source: 'typed' });
const click = (requestId: string, itemId: string): Event => ({ eventId: `e${++n}`, type: 'click', userId: 'u', time: n, requestId, itemId });
const buy = (requestId: string, itemId: string): Event => ({ eventId: `e${++n}`, type: 'purchase', userId: 'u', time: n, requestId, itemId, quantity: 1 });

describe('ClickBack', () => {
  it('returns the queries that led to clicks and purchases of an item, heaviest first', () => {
    const back = new ClickBack({ minCount: 1, purchaseWeight: 3 });
    for (const e of [search('r1', '华为手机'), click('r1', 'mate60'), search('r2', '华为手机'), click('r2', 'mate60'), search('r3', '旗舰手机'), buy('r3', 'mate60'), search('r4', '平板'), click('r4', 'pad')]) back.observe(e);
    expect(back.queriesFor([{ itemId: 'mate60' }], 5)).toEqual([
      { text: '旗舰手机', weight: 3 },
      { text: '华为手机', weight: 2 },
    ]);
    // Pooled with a similar item at half weight; the search the user came from is left out.
    expect(back.queriesFor([{ itemId: 'mate60' }, { itemId: 'pad', weight: 0.5 }], 5, ['旗舰手机'])).toEqual([
      { text: '华为手机', weight: 2 },
      { text: '平板', weight: 0.5 },
    ]);
  });

  it('never returns a query that led to the item fewer than minCount times, nor clicks without a known search', () => {
    const back = new ClickBack({ minCount: 2 });
    for (const e of [search('r1', 'rare query'), click('r1', 'a'), click('unknown', 'a')]) back.observe(e);
    expect(back.queriesFor([{ itemId: 'a' }], 5)).toEqual([]);
  });
});
