import { describe, expect, it } from 'vitest';
import { Catalog, CategoryIndex } from '../catalog/index.js';
import { EventSchema, ItemSchema, type Event } from '../core/index.js';
import { ItemPopularity, UserHistory } from '../features/index.js';
import { PopularChannel } from './popular-channel.js';
import { SameCategoryChannel } from './same-category-channel.js';
import { testContext } from './test-context.js';
import { UnionMerger } from './union-merger.js';
import { UserCategoryChannel } from './user-category-channel.js';

function shop() {
  const catalog = new Catalog();
  const categories = new CategoryIndex(catalog);
  const items = [
    { id: 'p1', categoryPath: ['数码', '手机'], brand: '华为' },
    { id: 'p2', categoryPath: ['数码', '手机'], brand: '小米' },
    { id: 'p3', categoryPath: ['数码', '手机'], brand: '华为' },
    { id: 'l1', categoryPath: ['数码', '笔记本电脑'], brand: '联想' },
    { id: 'k1', categoryPath: ['美妆', '口红'], brand: '完美日记' },
  ];
  for (const i of items) catalog.upsert(ItemSchema.parse({ title: i.id, ...i }));
  const popularity = new ItemPopularity(undefined, { resortEvery: 1 });
  const history = new UserHistory();
  let n = 0;
  const act = (userId: string, itemId: string, type: 'click' | 'purchase'): void => {
    const event = EventSchema.parse({ eventId: `e${n++}`, userId, time: n, type, itemId }) as Event & { type: 'click' | 'purchase' };
    const docId = catalog.docId(itemId)!;
    popularity.observe(docId, event);
    history.observeInteraction(docId, event);
  };
  return { catalog, categories, popularity, history, act };
}

describe('PopularChannel', () => {
  it('lists items by popularity, then fills with items nobody touched yet', () => {
    const { catalog, popularity, act } = shop();
    act('u', 'k1', 'purchase');
    act('u', 'p2', 'click');
    const ids = new PopularChannel({ catalog, popularity }).recall(testContext({ time: 10 }), 4).candidates.map((c) => catalog.item(c.docId)?.id);
    expect(ids).toEqual(['k1', 'p2', 'p1', 'p3']);
  });
});

describe('UserCategoryChannel', () => {
  it('recalls popular items from the categories the user acted in, leaving out what they bought', () => {
    const { catalog, categories, popularity, history, act } = shop();
    act('fan', 'p1', 'purchase');
    act('other', 'p3', 'click');
    const channel = new UserCategoryChannel({ catalog, categories, popularity, history });
    const ids = channel.recall(testContext({ userId: 'fan', time: 10 }), 10).candidates.map((c) => catalog.item(c.docId)?.id);
    expect(ids).toEqual(['p3', 'p2']); // phones only; p1 was bought; p3 is more popular than p2
    expect(channel.recall(testContext({ userId: 'stranger' }), 10).candidates).toEqual([]);
  });
});

describe('SameCategoryChannel', () => {
  it('prefers the seed item\'s leaf category and brand, then its parent category, never the seed itself', () => {
    const { catalog, categories, popularity } = shop();
    const seed = catalog.docId('p1')!;
    const context = testContext({ kind: 'similar', seedDocId: seed, accepts: (d) => d !== seed });
    const result = new SameCategoryChannel({ catalog, categories, popularity }).recall(context, 10).candidates;
    expect(result.map((c) => [catalog.item(c.docId)?.id, c.score])).toEqual([
      ['p2', 1],
      ['p3', 1.2],
      ['l1', 0.5],
    ]);
  });
});

describe('UnionMerger', () => {
  it('sums max-normalised channel scores and records every source', () => {
    const merged = new UnionMerger({ b: 2 }).merge(
      testContext(),
      [
        { channel: 'a', candidates: [{ docId: 1, score: 10 }, { docId: 2, score: 5 }] },
        { channel: 'b', candidates: [{ docId: 2, score: 0.5 }] },
      ],
      10,
    );
    expect(merged.map((m) => [m.docId, m.recallScore])).toEqual([
      [2, 0.5 + 2 * 1],
      [1, 1],
    ]);
    expect(merged[0]?.sources).toEqual([
      { channel: 'a', rank: 2, score: 5 },
      { channel: 'b', rank: 1, score: 0.5 },
    ]);
  });
});
