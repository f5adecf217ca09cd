import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../core/index.js';
import { refinementChips, type FacetedResult } from './refinement-chips.js';

const results: FacetedResult[] = [
  ...Array.from({ length: 4 }, (_, i) => ({ facets: { brand: '华为', color: '黑', price: 1_000 + i * 1_000, seller: 'official' } })),
  ...Array.from({ length: 4 }, (_, i) => ({ facets: { brand: '小米', color: '黑', price: 1_500 + i * 1_000, seller: 'official' } })),
  ...Array.from({ length: 2 }, () => ({ facets: { brand: '苹果', color: '白', price: 6_000, seller: 'official' } })),
];

describe('refinementChips', () => {
  it('offers the facets that split the results most evenly, most common values first', () => {
    const chips = refinementChips('手机', results, { maxFacets: 2 });
    // price (quantile bands of 3, 2, 3, 2 results: 1.97 bits) and brand (4, 4, 2: 1.52 bits) beat
    // color (8, 2: 0.72 bits); a single seller splits nothing (0 bits).
    expect([...new Set(chips.map((c) => c.facet))]).toEqual(['price', 'brand']);
    const brand = chips.filter((c) => c.facet === 'brand');
    expect(brand.map((c) => [c.label, c.share, c.query])).toEqual([
      ['华为', 0.4, '手机 华为'],
      ['小米', 0.4, '手机 小米'],
      ['苹果', 0.2, '手机 苹果'],
    ]);
    expect(brand[0]?.filter).toEqual({ facet: 'brand', value: '华为' });
    const price = chips.filter((c) => c.facet === 'price');
    expect(price.map((c) => c.filter)).toEqual([
      { facet: 'price', min: 1_000, max: 2_000 },
      { facet: 'price', min: 2_500, max: 3_000 },
      { facet: 'price', min: 3_500, max: 4_500 },
      { facet: 'price', min: 6_000, max: 6_000 },
    ]);
  });

  it('follows how often users refine by a facet, and drops facets most results lack', () => {
    const chips = refinementChips('手机', results, { maxFacets: 1, facetWeights: { color: 5 } });
    expect(chips.map((c) => c.label)).toEqual(['黑', '白']);
    const sparse = [...results.map((r) => ({ facets: { brand: r.facets.brand } })), { facets: { size: 'xl' } }];
    expect(refinementChips('手机', sparse, { maxFacets: 3 }).every((c) => c.facet === 'brand')).toBe(true);
  });

  it('returns nothing for no results, and refuses bad settings', () => {
    expect(refinementChips('x', [])).toEqual([]);
    expect(() => refinementChips('x', results, { bands: 1 })).toThrow(InvalidArgumentError);
  });
});
