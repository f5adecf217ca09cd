import { describe, expect, it } from 'vitest';
import { appeal, DEFAULT_CLICK_MODEL, examination, purchaseAppeal, type Judgement } from './click-model.js';
import type { ItemTruth } from './item-truth.js';
import { LATENT_DIM } from './latent.js';
import type { UserTruth } from './users.js';

const model = DEFAULT_CLICK_MODEL;
const unit = (d: number): Float32Array => Float32Array.from({ length: LATENT_DIM }, (_, i) => (i === d ? 1 : 0));

const user: UserTruth = {
  userId: 'u1',
  index: 0,
  gender: 'female',
  ageBand: '25-34',
  vector: unit(0),
  topAffinity: Float64Array.of(1),
  leafAffinity: Float64Array.of(0.9, 0.1),
  brandAffinity: new Map([['华为', 1]]),
  priceSensitivity: 0.8,
  activity: 1,
  inputStyle: { hanzi: 1, pinyin: 0, initials: 0, english: 0, typoRate: 0 },
  suggestionUse: 0,
};

const item: ItemTruth = {
  itemId: 'i1',
  index: 0,
  kind: 'product',
  leafId: 'digital.phones',
  leafIndex: 0,
  brand: '小米',
  vector: unit(1),
  quality: 0.5,
  popularity: 1,
  priceLevel: 0,
};

const judge = (changes: Partial<ItemTruth> = {}, relevance: Judgement['relevance'] = 3): number => appeal(model, { user, item: { ...item, ...changes }, relevance });

describe('examination', () => {
  it('falls with rank as rank^-0.7 and drops once the user has bought', () => {
    expect(examination(model, { rank: 1, satisfied: false })).toBe(1);
    expect(examination(model, { rank: 10, satisfied: false })).toBeCloseTo(Math.pow(10, -0.7), 10);
    expect(examination(model, { rank: 5, satisfied: false })).toBeGreaterThan(examination(model, { rank: 6, satisfied: false }));
    expect(examination(model, { rank: 1, satisfied: true })).toBe(model.satisfiedExamination);
  });
});

describe('appeal', () => {
  it('rises with graded relevance', () => {
    expect(judge({}, 3)).toBeGreaterThan(judge({}, 2));
    expect(judge({}, 2)).toBeGreaterThan(judge({}, 1));
    expect(judge({}, 1)).toBeGreaterThan(judge({}, 0));
  });

  it('rises with taste (latent dot product), liked brand, quality and popularity', () => {
    expect(judge({ vector: unit(0) }) - judge()).toBeCloseTo(model.latentWeight, 5);
    expect(judge({ brand: '华为' }) - judge()).toBeCloseTo(model.brandWeight, 5);
    expect(judge({ quality: 0.9 })).toBeGreaterThan(judge());
    expect(judge({ popularity: 100 })).toBeGreaterThan(judge());
  });

  it('falls for expensive items, for a price-sensitive user, and for ads', () => {
    expect(judge({ priceLevel: 1 })).toBeLessThan(judge({ priceLevel: -1 }));
    expect(judge({ kind: 'ad' }) - judge()).toBeCloseTo(-model.adPenalty, 10);
  });

  it('reads interest in the leaf on the feed, where there is no query to be relevant to', () => {
    const onFeed = (leafIndex: number): number => appeal(model, { user, item: { ...item, leafIndex }, relevance: undefined });
    expect(onFeed(0)).toBeGreaterThan(onFeed(1)); // 90% of the user's interest against 10%
  });
});

describe('purchaseAppeal', () => {
  it('ignores popularity and the ad label but weighs price twice', () => {
    const base = { user, relevance: 3 as const };
    expect(purchaseAppeal(model, { ...base, item: { ...item, popularity: 100, kind: 'ad' } })).toBe(purchaseAppeal(model, { ...base, item }));
    const pricey = { ...item, priceLevel: 1 };
    const clickDrop = appeal(model, { ...base, item }) - appeal(model, { ...base, item: pricey });
    const buyDrop = purchaseAppeal(model, { ...base, item }) - purchaseAppeal(model, { ...base, item: pricey });
    expect(buyDrop).toBeCloseTo(2 * clickDrop, 10);
  });
});
