import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MmrReranker, mmrSelect } from './mmr-reranker.js';
import type { SimilarityKernel } from './similarity.js';
import { attributesOf, contextAt, item, rankedList } from './test-fixtures.js';

function denseKernel(s: number[][]): SimilarityKernel {
  return {
    size: s.length,
    missingVectors: 0,
    row(i, out) {
      s[i]!.forEach((x, j) => (out[j] = x));
      out[i] = 1;
    },
  };
}

/** MMR as Carbonell & Goldstein write it: recompute max over the picks for every candidate. */
function naiveMmr(relevance: number[], s: number[][], k: number, lambda: number): number[] {
  const picked: number[] = [];
  while (picked.length < Math.min(k, relevance.length)) {
    let best = -1;
    let bestValue = -Infinity;
    relevance.forEach((r, i) => {
      if (picked.includes(i)) return;
      const penalty = picked.length === 0 ? 0 : Math.max(...picked.map((j) => s[i]![j]!));
      const value = lambda * r - (1 - lambda) * penalty;
      if (value > bestValue) {
        bestValue = value;
        best = i;
      }
    });
    picked.push(best);
  }
  return picked;
}

describe('mmrSelect', () => {
  it('equals the textbook MMR that recomputes the max similarity to the picks', () => {
    const arb = fc.integer({ min: 1, max: 12 }).chain((n) =>
      fc.record({
        relevance: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: n, maxLength: n }),
        sims: fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: n * n, maxLength: n * n }),
        k: fc.integer({ min: 1, max: n }),
        lambda: fc.double({ min: 0, max: 1, noNaN: true }),
      }),
    );
    fc.assert(
      fc.property(arb, ({ relevance, sims, k, lambda }) => {
        const n = relevance.length;
        // Symmetric, unit diagonal.
        const s = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : sims[Math.min(i, j) * n + Math.max(i, j)]!)));
        const { order } = mmrSelect({ relevance: Float64Array.from(relevance), kernel: denseKernel(s), k, lambda });
        expect(Array.from(order)).toEqual(naiveMmr(relevance, s, k, lambda));
      }),
      { numRuns: 300 },
    );
  });
});

describe('MmrReranker', () => {
  const brands = ['a', 'a', 'a', 'b', 'b', 'c'];
  const items = brands.map((brand, i) => item(`i${i}`, { brand }));
  const similarity = { kind: 'attributes' as const, weights: { brand: 1 }, maxSimilarity: 1 };

  it('keeps the ranker order at lambda 1 and spreads brands at lambda 0.3', () => {
    const list = rankedList([0, 1, 2, 3, 4, 5]);
    const faithful = new MmrReranker(attributesOf(items), { k: 6, lambda: 1, similarity });
    expect(faithful.rerank(contextAt(0), list).map((c) => c.docId)).toEqual([0, 1, 2, 3, 4, 5]);
    const diverse = new MmrReranker(attributesOf(items), { k: 6, lambda: 0.3, similarity });
    // a (best), then b and c, whose redundancy 0 outweighs their lower relevance; then every item
    // left repeats a brand (penalty 1) and relevance decides.
    expect(diverse.rerank(contextAt(0), list).map((c) => brands[c.docId])).toEqual(['a', 'b', 'c', 'a', 'a', 'b']);
  });

  it('uses cosine similarity of item vectors when configured, treating a missing vector as unlike everything', () => {
    const vectors = [Float32Array.of(1, 0), Float32Array.of(1, 0.01), undefined, Float32Array.of(0, 1)];
    const attributes = attributesOf(items.slice(0, 4), { vectors });
    const context = contextAt(0);
    const out = new MmrReranker(attributes, { k: 4, lambda: 0.5, similarity: { kind: 'cosine' } }).rerank(context, rankedList([0, 1, 2, 3]));
    // Item 1 nearly duplicates item 0, so it drops below the missing-vector item 2 and item 3.
    expect(out.map((c) => c.docId)).toEqual([0, 2, 3, 1]);
    expect(context.trace.moves.find((m) => m.docId === 1)?.reason).toMatch(/^mmr: pick 4, relevance 0.6667, max similarity to items above (1|0\.99\d*)$/);
  });
});
