import { describe, expect, it } from 'vitest';
import { ScatterReranker } from './scatter-reranker.js';
import { attributesOf, contextAt, item, rankedList } from './test-fixtures.js';

describe('ScatterReranker', () => {
  it('spreads brands by the items’ attributes and explains the deferrals', () => {
    const brands = ['a', 'a', 'a', 'b', 'c', 'a'];
    const items = brands.map((brand, i) => item(`i${i}`, { brand }));
    const reranker = new ScatterReranker(attributesOf(items), { rules: [{ attribute: 'brand', window: 2, max: 1 }], backtrackLimit: 100 });
    const context = contextAt(0);
    const out = context.trace.stage({ stage: 'rerank', name: 'scatter', input: 6 }, () => reranker.rerank(context, rankedList([0, 1, 2, 3, 4, 5])), (r) => r.length);
    // Four a's in six positions with no two adjacent cannot hold: a b a c a, then the last a gives way.
    expect(out.map((c) => brands[c.docId])).toEqual(['a', 'b', 'a', 'c', 'a', 'a']);
    const detail = context.trace.stages[0]?.detail;
    expect(detail?.valid).toBe(false);
    expect(detail?.relaxed).toEqual([{ position: 6, docId: 5, rules: ['brand ≤ 1 per 2'] }]);
    expect(context.trace.moves.find((m) => m.docId === 1)).toEqual({ reranker: 'scatter', docId: 1, from: 2, to: 3, reason: 'scatter: deferred by the rules (brand ≤ 1 per 2)' });
  });

  it('groups by price band, leaf category and shop as the catalog gives them', () => {
    // Prices 10-15 share band 3 (8 ≤ p < 16); 40 is band 5.
    const items = [10, 12, 15, 40].map((price, i) => item(`i${i}`, { price, shop: 's', categoryPath: ['x', 'y'] }));
    const reranker = new ScatterReranker(attributesOf(items), { rules: [{ attribute: 'priceBand', window: 2, max: 1 }], backtrackLimit: 10 });
    expect(reranker.rerank(contextAt(0), rankedList([0, 1, 2, 3])).map((c) => c.docId)).toEqual([0, 3, 1, 2]);
  });
});
