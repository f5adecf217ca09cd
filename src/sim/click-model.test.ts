import { describe, expect, it } from 'vitest';
import { appeal, clickProbability, DEFAULT_CLICK_MODEL, examination, ExaminedInList, LIST_EFFECTS, NOTHING_SEEN, purchaseAppeal, redundancy, type Judgement } from './click-model.js';
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

describe('redundancy', () => {
  const model = { ...DEFAULT_CLICK_MODEL, ...LIST_EFFECTS };
  const phone = (brand: string | undefined, leafIndex = 0): ItemTruth => ({ ...item, ...(brand === undefined ? { brand: undefined } : { brand }), leafIndex });
  const a = appeal(model, { user, item, relevance: 3 });

  it('lowers the click probability of a brand the user has already examined above in the list', () => {
    const examined = new ExaminedInList({}); // a search intent that names no brand
    expect(examined.seenAbove(phone('小米'))).toEqual(NOTHING_SEEN);
    examined.add(phone('小米'));
    const seen = examined.seenAbove(phone('小米'));
    expect(seen).toEqual({ sameBrand: 1, sameLeaf: 0 }); // a search is for one category: the leaf is not counted
    expect(clickProbability(model, a, seen)).toBeLessThan(clickProbability(model, a));
    expect(model.clickBias + a - Math.log(clickProbability(model, a, seen) / (1 - clickProbability(model, a, seen)))).toBeCloseTo(model.redundancyBrandWeight * Math.log(2), 10);
    // Another brand, or no brand at all, is fresh.
    expect(examined.seenAbove(phone('华为'))).toEqual(NOTHING_SEEN);
    expect(examined.seenAbove(phone(undefined))).toEqual(NOTHING_SEEN);
  });

  it('costs less with each further repeat (ln(1 + n)), and grows with every one', () => {
    const penalties = [0, 1, 2, 3, 4].map((sameBrand) => redundancy(model, { sameBrand, sameLeaf: 0 }));
    for (let n = 1; n < penalties.length; n++) {
      expect(penalties[n] as number).toBeGreaterThan(penalties[n - 1] as number);
      if (n >= 2) expect((penalties[n] as number) - (penalties[n - 1] as number)).toBeLessThan((penalties[n - 1] as number) - (penalties[n - 2] as number));
    }
    // Modest next to relevance: the fourth item of a brand loses about as much as one relevance grade (2 -> 3).
    expect(penalties[3]).toBeLessThan(1.5 * (model.relevanceUtility[3] - model.relevanceUtility[2]));
  });

  it('counts the brand only when the intent names none, and the leaf category only on the feed', () => {
    const brandSearch = new ExaminedInList({ brand: '小米' });
    brandSearch.add(phone('小米'));
    expect(brandSearch.seenAbove(phone('小米'))).toEqual(NOTHING_SEEN); // 小米手机 is meant to show Xiaomi phones
    const feed = new ExaminedInList(undefined);
    feed.add(phone('小米', 0));
    feed.add(phone('华为', 0));
    expect(feed.seenAbove(phone('小米', 0))).toEqual({ sameBrand: 1, sameLeaf: 2 });
    expect(feed.seenAbove(phone('苹果', 1))).toEqual(NOTHING_SEEN);
  });

  it('is off by default (weights 0)', () => {
    const off = DEFAULT_CLICK_MODEL;
    expect(clickProbability(off, a, { sameBrand: 5, sameLeaf: 9 })).toBe(clickProbability(off, a));
  });
});
