// Filters and facets through the index against a plain filter over all docs.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DocBitset, InvertedIndex, type FacetCount, type IndexFilter } from './index.js';
import { letterAnalyzer } from './testing.js';

const BRANDS = ['acme', 'bolt', 'core'];
const PATHS = [['a'], ['a', 'x'], ['a', 'y'], ['b'], ['b', 'x']];
const WORDS = ['red', 'blue', 'shoe', 'boot', 'sock'];

const item = fc.record({
  text: fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 5 }).map((w) => w.join(' ')),
  brand: fc.option(fc.constantFrom(...BRANDS), { nil: undefined }),
  category: fc.constantFrom(...PATHS),
  tags: fc.uniqueArray(fc.constantFrom('new', 'sale', 'eco'), { maxLength: 3 }),
  price: fc.option(fc.integer({ min: 0, max: 200 }), { nil: undefined }),
});
type Item = typeof item extends fc.Arbitrary<infer T> ? T : never;

const leaf: fc.Arbitrary<IndexFilter> = fc.oneof(
  fc.record({ field: fc.constant('brand'), anyOf: fc.uniqueArray(fc.constantFrom(...BRANDS, 'none'), { minLength: 1, maxLength: 2 }) }),
  fc.record({ field: fc.constant('category'), anyOf: fc.array(fc.constantFrom('a', 'b', 'a>x', 'b>x'), { minLength: 1, maxLength: 2 }) }),
  fc.record({ field: fc.constant('tags'), anyOf: fc.array(fc.constantFrom('new', 'sale', 'eco'), { minLength: 1, maxLength: 2 }) }),
  fc.record({ field: fc.constant('price'), min: fc.integer({ min: 0, max: 200 }), max: fc.integer({ min: 0, max: 200 }) }),
);
const filter: fc.Arbitrary<IndexFilter> = fc.oneof(
  { weight: 3, arbitrary: leaf },
  { weight: 1, arbitrary: fc.array(leaf, { minLength: 1, maxLength: 3 }).map((all) => ({ all })) },
  { weight: 1, arbitrary: fc.array(leaf, { minLength: 1, maxLength: 3 }).map((any) => ({ any })) },
  { weight: 1, arbitrary: leaf.map((not) => ({ not })) },
);

/** The plain reading of a filter on one item. */
function passes(f: IndexFilter, it: Item): boolean {
  if ('all' in f) return f.all.every((g) => passes(g, it));
  if ('any' in f) return f.any.some((g) => passes(g, it));
  if ('not' in f) return !passes(f.not, it);
  if ('anyOf' in f) {
    if (f.field === 'brand') return it.brand !== undefined && f.anyOf.includes(it.brand);
    if (f.field === 'tags') return it.tags.some((t) => f.anyOf.includes(t));
    return f.anyOf.some((p) => it.category.join('>') === p || it.category.join('>').startsWith(`${p}>`));
  }
  return it.price !== undefined && it.price >= (f.min ?? -Infinity) && it.price <= (f.max ?? Infinity);
}

function count(values: string[]): FacetCount[] {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].map(([value, n]) => ({ value, count: n })).sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : 1));
}

describe('filters and facets agree with a plain filter over all docs', () => {
  it('on random items, filters and queries', () => {
    fc.assert(
      fc.property(fc.array(item, { minLength: 1, maxLength: 40 }), filter, fc.constantFrom(...WORDS), (items, f, word) => {
        const index = new InvertedIndex({
          fields: [{ name: 'text', analyzer: letterAnalyzer() }],
          keywords: [{ name: 'brand' }, { name: 'category', hierarchical: '>' }, { name: 'tags' }],
          numbers: [{ name: 'price' }],
        });
        items.forEach((it) => index.add(it));
        const expected = items.map((it, docId) => ({ it, docId })).filter(({ it }) => it.text.split(' ').includes(word) && passes(f, it));
        const result = index.search(word, {
          k: items.length,
          filter: f,
          facets: [
            { name: 'brand', field: 'brand', size: 100 },
            { name: 'top', field: 'category', depth: 1, size: 100 },
            { name: 'tags', field: 'tags', size: 100 },
            { name: 'band', field: 'price', ranges: [{ to: 100 }, { from: 100 }] },
          ],
        });
        expect(result.hits.map((h) => h.docId).sort((a, b) => a - b)).toEqual(expected.map((e) => e.docId));
        expect(result.total).toBe(expected.length);
        const matched = expected.map((e) => e.it);
        expect(result.facets).toEqual({
          brand: count(matched.flatMap((it) => (it.brand === undefined ? [] : [it.brand]))),
          top: count(matched.map((it) => it.category[0] as string)),
          tags: count(matched.flatMap((it) => it.tags)),
          band: [
            { value: '<100', count: matched.filter((it) => it.price !== undefined && it.price < 100).length },
            { value: '>=100', count: matched.filter((it) => it.price !== undefined && it.price >= 100).length },
          ],
        });
        const bitset = DocBitset.of(expected.map((e) => e.docId));
        expect(index.search(word, { k: items.length, accept: bitset }).total).toBe(expected.length);
      }),
      { numRuns: 200 },
    );
  });
});
