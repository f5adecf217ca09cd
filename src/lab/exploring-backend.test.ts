import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../core/index.js';
import type { ShopBackend } from '../sim/index.js';
import { exploringBackend } from './exploring-backend.js';

const ITEMS = Array.from({ length: 12 }, (_, i) => `item-${i}`);

/** A backend that always answers the same list, with each item's recall score and price derived from its index. */
const fixed: ShopBackend = {
  search: () => ({ items: [...ITEMS], total: 99, recallScores: ITEMS.map((_, i) => 100 - i), cpcs: ITEMS.map((_, i) => (i % 3 === 0 ? i : undefined)) }),
  recommend: () => ({ items: [...ITEMS], recallScores: ITEMS.map((_, i) => 100 - i) }),
  suggest: () => ({ suggestions: ['phone'] }),
};
const search = { query: 'phone', userId: 'u1', sessionId: 's1', requestId: 'r1', time: 0, limit: 12 };
const recommend = { userId: 'u1', sessionId: 's1', requestId: 'r1', time: 0, limit: 12 };

describe('exploringBackend', () => {
  it('passes lists through unchanged at rate 0', () => {
    const backend = exploringBackend(fixed, { rate: 0, topN: 10, seed: 1 });
    expect(backend.search(search)).toEqual(fixed.search(search));
    expect(backend.recommend(recommend)).toEqual(fixed.recommend(recommend));
    expect(backend.suggest?.({ prefix: 'p', userId: 'u1', requestId: 'r2', time: 0, limit: 5 })).toEqual({ suggestions: ['phone'] });
  });

  it('shuffles only the first topN items, moving their recall scores and prices with them', () => {
    const backend = exploringBackend(fixed, { rate: 1, topN: 5, seed: 2 });
    for (let draw = 0; draw < 20; draw++) {
      const page = backend.search(search);
      expect(page.total).toBe(99);
      expect([...page.items.slice(0, 5)].sort()).toEqual(ITEMS.slice(0, 5).sort());
      expect(page.items.slice(5)).toEqual(ITEMS.slice(5));
      page.items.forEach((id, position) => {
        const index = ITEMS.indexOf(id);
        expect(page.recallScores?.[position]).toBe(100 - index);
        expect(page.cpcs?.[position]).toBe(index % 3 === 0 ? index : undefined);
      });
    }
  });

  it('puts each of the top items at each of the top positions about equally often (a uniform shuffle)', () => {
    const backend = exploringBackend(fixed, { rate: 1, topN: 4, seed: 3 });
    const draws = 4_000;
    const counts = Array.from({ length: 4 }, () => new Array<number>(4).fill(0));
    for (let d = 0; d < draws; d++) {
      backend.recommend(recommend).items.slice(0, 4).forEach((id, p) => {
        const row = counts[ITEMS.indexOf(id)] as number[];
        row[p] = (row[p] as number) + 1;
      });
    }
    // Expected draws / 4 = 1,000 per cell; the binomial sd is about 27, so 150 is over 5 sd.
    for (const row of counts) for (const n of row) expect(Math.abs(n - draws / 4)).toBeLessThan(150);
  });

  it('shuffles about `rate` of the lists, the same ones for the same seed', () => {
    const shuffled = (seed: number) => {
      const backend = exploringBackend(fixed, { rate: 0.2, topN: 10, seed });
      return Array.from({ length: 2_000 }, () => backend.recommend(recommend).items.join() !== ITEMS.join());
    };
    const first = shuffled(4);
    expect(shuffled(4)).toEqual(first);
    // A shuffle of 10 keeps the order with probability 1/10!, so nearly every explored list differs.
    const share = first.filter(Boolean).length / first.length;
    expect(share).toBeGreaterThan(0.17);
    expect(share).toBeLessThan(0.23);
  });

  it('refuses a rate outside [0, 1] and a topN below 2', () => {
    expect(() => exploringBackend(fixed, { rate: 1.5, topN: 10, seed: 1 })).toThrow(InvalidArgumentError);
    expect(() => exploringBackend(fixed, { rate: 0.1, topN: 1, seed: 1 })).toThrow(InvalidArgumentError);
  });
});
