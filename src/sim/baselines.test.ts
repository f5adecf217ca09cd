import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { topK } from './baselines.js';
import { generateWorld, popularityBackend } from './index.js';

describe('topK', () => {
  it('equals sorting by score (ties by lower index) and taking the first k', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 60 }), fc.integer({ min: 1, max: 25 }), (scores, k) => {
        const score = Float64Array.from(scores);
        const candidates = scores.map((_, i) => i).reverse();
        const expected = [...candidates].sort((a, b) => (score[b] as number) - (score[a] as number) || a - b).slice(0, k);
        expect(topK(candidates, score, k)).toEqual(expected);
      }),
    );
  });
});

describe('popularityBackend', () => {
  const world = generateWorld({ items: 1_000, users: 50, seed: 'baselines' });

  it('finds Huawei phones for 华为手机, its pinyin and its English', () => {
    const backend = popularityBackend(world);
    for (const query of ['华为手机', 'huaweishouji', 'huawei phone']) {
      const items = backend.search({ query, userId: 'u00001', sessionId: 's', requestId: 'r', time: 0, limit: 20 }).items;
      expect(items.length, query).toBeGreaterThan(0);
      for (const id of items) expect(world.relevance({ leafId: 'digital.phones', brand: '华为' }, id)).toBe(3);
    }
  });

  it('ranks what was clicked first once it has observed the click', () => {
    const backend = popularityBackend(world);
    const request = { query: '手机', userId: 'u00001', sessionId: 's', requestId: 'r', time: 0, limit: 5 };
    const last = backend.search({ ...request, limit: 1_000 }).items.at(-1) as string;
    backend.observe({
      day: 0,
      sessionIndex: 0,
      sessionId: 's',
      userId: 'u00001',
      start: 0,
      kind: 'search',
      events: [{ eventId: 'e1', userId: 'u00001', time: 1, requestId: 'r', type: 'click', itemId: last, position: 1 }],
      searches: [{ requestId: 'r', query: '手机', intent: { leafId: 'digital.phones' } }],
    });
    expect(backend.search(request).items[0]).toBe(last);
  });

  it('suggests category names for a Chinese or pinyin prefix', () => {
    const backend = popularityBackend(world);
    const suggest = (prefix: string): string[] => backend.suggest?.({ prefix, userId: 'u00001', requestId: 'r', time: 0, limit: 10 }).suggestions ?? [];
    expect(suggest('手')).toContain('手机');
    expect(suggest('shouj')).toContain('手机');
  });
});
