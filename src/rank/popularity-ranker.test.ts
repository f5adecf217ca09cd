import { describe, expect, it } from 'vitest';
import { EventSchema } from '../core/index.js';
import { ItemPopularity } from '../features/index.js';
import { testContext } from '../recall/test-context.js';
import { PopularityRanker } from './popularity-ranker.js';

describe('PopularityRanker', () => {
  const popularity = new ItemPopularity(undefined, { resortEvery: 1 });
  for (let i = 0; i < 20; i++) popularity.observe(2, EventSchema.parse({ eventId: `e${i}`, userId: 'u', time: 0, type: 'click', itemId: 'x' }));
  const candidates = [
    { docId: 1, recallScore: 1, sources: [] },
    { docId: 2, recallScore: 1, sources: [] },
    { docId: 3, recallScore: 0.6, sources: [] },
  ];

  it('breaks ties in relevance by popularity without lifting a poorer match over a full one', () => {
    const scored = new PopularityRanker(popularity).score(testContext(), candidates);
    expect(scored.map((s) => s.score)).toEqual([1, 1.3, 0.6]); // doc 2 is the most popular: the full bonus w = 0.3
  });

  it('explains each score as a tree whose parts add up', () => {
    const [, second] = new PopularityRanker(popularity).score(testContext(), candidates);
    const parts = second?.rankExplain?.children ?? [];
    expect(parts.map((p) => p.value).reduce((a, b) => a + b, 0)).toBeCloseTo(second!.score, 12);
    expect(parts[1]?.label).toMatch(/ln\(1 \+ pop\)/);
  });
});
