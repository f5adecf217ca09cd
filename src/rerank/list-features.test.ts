import { describe, expect, it } from 'vitest';
import { LIST_FEATURE_COUNT, LIST_FEATURES, listFeatures, POINTWISE_RANK_BUCKETS } from './list-features.js';
import { attributesOf, item } from './test-fixtures.js';

const at = (features: Float32Array, i: number, name: (typeof LIST_FEATURES)[number]) => features[i * LIST_FEATURE_COUNT + LIST_FEATURES.indexOf(name)];

describe('listFeatures', () => {
  const items = [
    item('a', { brand: 'x', shop: 's1', categoryPath: ['数码', '手机'], price: 100 }),
    item('b', { brand: 'x', shop: 's2', categoryPath: ['数码', '手机'], price: 120 }),
    item('c', { brand: 'y', shop: 's1', categoryPath: ['数码', '耳机'], price: 300, kind: 'ad' }),
    item('d', { shop: 's1', categoryPath: ['数码', '手机'], price: 110 }),
  ];
  const features = listFeatures(
    [0, 1, 2, 3].map((docId, i) => ({ docId, score: [4, 2, 1, 0][i] as number })),
    attributesOf(items),
  );

  it('lays out one row of LIST_FEATURE_COUNT values per item', () => {
    expect(features).toHaveLength(4 * LIST_FEATURE_COUNT);
  });

  it('counts the items above sharing brand, category, shop and price band, as log(1 + n)', () => {
    // b: a above has brand x, leaf 数码>手机, band floor(log2 100) = 6 = floor(log2 120); shop differs.
    expect(at(features, 1, 'sameBrandAbove')).toBeCloseTo(Math.log1p(1));
    expect(at(features, 1, 'sameCategoryAbove')).toBeCloseTo(Math.log1p(1));
    expect(at(features, 1, 'samePriceBandAbove')).toBeCloseTo(Math.log1p(1));
    expect(at(features, 1, 'sameShopAbove')).toBe(0);
    // d has no brand, so it shares none; above it: phones a and b, shop s1 a and c, band 6 a and b.
    expect(at(features, 3, 'sameBrandAbove')).toBe(0);
    expect(at(features, 3, 'sameCategoryAbove')).toBeCloseTo(Math.log1p(2));
    expect(at(features, 3, 'sameShopAbove')).toBeCloseTo(Math.log1p(2));
    expect(at(features, 3, 'samePriceBandAbove')).toBeCloseTo(Math.log1p(2));
    // The first item has nothing above it.
    for (const name of ['sameBrandAbove', 'sameCategoryAbove', 'sameShopAbove', 'samePriceBandAbove'] as const) expect(at(features, 0, name)).toBe(0);
  });

  it('gives score relative to the best, rank, log position and the ad flag', () => {
    expect(at(features, 0, 'scoreRatio')).toBe(1);
    expect(at(features, 1, 'scoreRatio')).toBeCloseTo(0.5);
    expect(at(features, 3, 'scoreMinMax')).toBe(0);
    expect(at(features, 2, 'reciprocalRank')).toBeCloseTo(1 / 3);
    expect(at(features, 2, 'logPosition')).toBeCloseTo(2); // log2(1 + 3)
    expect(at(features, 2, 'pointwiseLogDiscount')).toBeCloseTo(1 / 2);
    expect(at(features, 2, 'isAd')).toBe(1);
    expect(at(features, 0, 'isAd')).toBe(0);
  });

  it('uses exp(score − best) for the ratio when the best score is not positive (logits)', () => {
    const f = listFeatures([{ docId: 0, score: -1 }, { docId: 1, score: -2 }], attributesOf(items));
    expect(at(f, 0, 'scoreRatio')).toBe(1);
    expect(at(f, 1, 'scoreRatio')).toBeCloseTo(Math.exp(-1));
  });

  it('gives each item the share of the other items sharing its leaf category, top category and brand', () => {
    // Leaves: a, b, d are phones, c earphones; brands: a, b are x, c y, d none; all under 数码.
    expect(at(features, 0, 'categoryShareInList')).toBeCloseTo(2 / 3);
    expect(at(features, 2, 'categoryShareInList')).toBe(0);
    expect(at(features, 2, 'topCategoryShareInList')).toBe(1);
    expect(at(features, 0, 'brandShareInList')).toBeCloseTo(1 / 3);
    expect(at(features, 3, 'brandShareInList')).toBe(0);
  });

  it('sets exactly one pointwise-rank bucket, and flags content cards', () => {
    const ranks = listFeatures(Array.from({ length: 60 }, (_, i) => ({ docId: i % 4, score: 60 - i })), attributesOf([...items.slice(0, 3), item('e', { kind: 'content' })]));
    const bucket = (i: number) => POINTWISE_RANK_BUCKETS.findIndex((_, b) => ranks[i * LIST_FEATURE_COUNT + LIST_FEATURES.indexOf('pointwiseRank1') + b] === 1);
    for (let i = 0; i < 60; i++) {
      const row = ranks.subarray(i * LIST_FEATURE_COUNT + LIST_FEATURES.indexOf('pointwiseRank1'), (i + 1) * LIST_FEATURE_COUNT);
      expect(row.reduce((a, b) => a + b, 0)).toBe(1);
      const [low, high] = POINTWISE_RANK_BUCKETS[bucket(i)]!;
      expect(i + 1).toBeGreaterThanOrEqual(low);
      expect(i + 1).toBeLessThanOrEqual(high);
    }
    expect(at(ranks, 3, 'isContent')).toBe(1);
    expect(at(ranks, 2, 'isContent')).toBe(0);
  });
});
