import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DppReranker, greedyDppMap } from './dpp-reranker.js';
import type { SimilarityKernel } from './similarity.js';
import { attributesOf, contextAt, item, rankedList } from './test-fixtures.js';

/** det of a small dense matrix by Gaussian elimination with partial pivoting. */
function det(m: number[][]): number {
  const a = m.map((row) => row.slice());
  const n = a.length;
  let d = 1;
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(a[r]![c]!) > Math.abs(a[p]![c]!)) p = r;
    if (a[p]![c] === 0) return 0;
    if (p !== c) {
      [a[p], a[c]] = [a[c]!, a[p]!];
      d = -d;
    }
    d *= a[c]![c]!;
    for (let r = c + 1; r < n; r++) {
      const f = a[r]![c]! / a[c]![c]!;
      for (let k = c; k < n; k++) a[r]![k]! -= f * a[c]![k]!;
    }
  }
  return d;
}

/** L = diag(q) V Vᵀ diag(q) over unit rows of V, as a dense matrix and as a kernel. */
function kernelOf(vectors: number[][], quality: number[]) {
  const unit = vectors.map((v) => {
    const norm = Math.hypot(...v);
    return v.map((x) => x / norm);
  });
  const s = unit.map((a) => unit.map((b) => a.reduce((sum, x, d) => sum + x * b[d]!, 0)));
  const kernel: SimilarityKernel = {
    size: vectors.length,
    missingVectors: 0,
    row(i, out) {
      s[i]!.forEach((x, j) => (out[j] = x));
      out[i] = 1;
    },
  };
  const l = s.map((row, i) => row.map((x, j) => quality[i]! * x * quality[j]!));
  return { kernel, l };
}

const sub = (l: number[][], ids: number[]) => ids.map((i) => ids.map((j) => l[i]![j]!));

const inputArb = fc.integer({ min: 2, max: 8 }).chain((n) =>
  fc.record({
    vectors: fc.array(fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 4, maxLength: 4 }), { minLength: n, maxLength: n }),
    quality: fc.array(fc.double({ min: 0.5, max: 3, noNaN: true }), { minLength: n, maxLength: n }),
    k: fc.integer({ min: 1, max: n }),
  }),
);

describe('greedyDppMap', () => {
  it('picks, at every step, the item that maximises det(L_Y∪{i}) by brute force (Chen et al. Alg. 1 = naive greedy)', () => {
    fc.assert(
      fc.property(inputArb, ({ vectors, quality, k }) => {
        fc.pre(vectors.every((v) => Math.hypot(...v) > 0.1));
        const { kernel, l } = kernelOf(vectors, quality);
        const { order, gains } = greedyDppMap({ quality: Float64Array.from(quality), kernel, k, epsilon: 1e-9 });
        const chosen: number[] = [];
        for (let t = 0; t < order.length; t++) {
          const base = t === 0 ? 1 : det(sub(l, chosen));
          const dets = l.map((_, i) => (chosen.includes(i) ? -Infinity : det(sub(l, [...chosen, i]))));
          // Items already spanned by the picks (conditional variance below ε) are out of the running.
          const open = dets.map((d, i) => (d / base / quality[i]! ** 2 >= 1e-9 ? d : -Infinity));
          const best = Math.max(...open);
          // The pick achieves the brute-force maximum (up to rounding; near ties may go either way).
          expect(dets[order[t]!]!).toBeGreaterThanOrEqual(best - 1e-7 * Math.max(1, Math.abs(best)));
          // Its recorded gain is det(L_Y∪{j}) / det(L_Y), the Cholesky pivot d_j².
          expect(gains[t]!).toBeCloseTo(dets[order[t]!]! / base, 5);
          chosen.push(order[t]!);
        }
        if (order.length < k) {
          // Stopped early: every remaining item adds (almost) nothing to the determinant.
          const base = det(sub(l, chosen));
          for (let i = 0; i < l.length; i++) {
            if (!chosen.includes(i)) expect(det(sub(l, [...chosen, i])) / base / quality[i]! ** 2).toBeLessThan(1e-6);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('chooses the same order as the naive greedy on a fixed example', () => {
    // Two near-duplicates (0, 1) and two distinct directions: after item 0, its twin is worth little.
    const vectors = [[1, 0, 0], [0.99, 0.1, 0], [0, 1, 0], [0, 0, 1]];
    const quality = [2, 1.9, 1.2, 1];
    const { kernel } = kernelOf(vectors, quality);
    // In 3 dimensions the fourth item is spanned by the first three: picking stops at 3.
    expect(Array.from(greedyDppMap({ quality: Float64Array.from(quality), kernel, k: 4, epsilon: 1e-9 }).order)).toEqual([0, 2, 3]);
  });
});

describe('DppReranker', () => {
  const brands = ['a', 'a', 'a', 'b', 'b', 'c'];
  const items = brands.map((brand, i) => item(`i${i}`, { brand, categoryPath: ['x'] }));

  it('interleaves brands when diversity weighs (theta 0.3) and keeps the ranker order when it does not (theta 0.99)', () => {
    const similarity = { kind: 'attributes' as const, weights: { brand: 1 }, maxSimilarity: 0.9 };
    const diverse = new DppReranker(attributesOf(items), { k: 6, theta: 0.3, epsilon: 1e-6, similarity });
    const out = diverse.rerank(contextAt(0), rankedList([0, 1, 2, 3, 4, 5])).map((c) => brands[c.docId]);
    expect(out.slice(0, 3).sort()).toEqual(['a', 'b', 'c']);
    const faithful = new DppReranker(attributesOf(items), { k: 6, theta: 0.99, epsilon: 1e-6, similarity });
    expect(faithful.rerank(contextAt(0), rankedList([0, 1, 2, 3, 4, 5])).map((c) => c.docId)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('returns a permutation of its input, the unpicked items after the k picks in ranker order', () => {
    const reranker = new DppReranker(attributesOf(items), { k: 2, theta: 0.5, epsilon: 1e-10, similarity: { kind: 'attributes', weights: { brand: 1 }, maxSimilarity: 0.9 } });
    const out = reranker.rerank(contextAt(0), rankedList([0, 1, 2, 3, 4, 5])).map((c) => c.docId);
    expect([...out].sort()).toEqual([0, 1, 2, 3, 4, 5]);
    expect(out.slice(0, 2)).toEqual([0, 3]);
    expect(out.slice(2)).toEqual([1, 2, 4, 5]);
  });

  it('records why it moved items when the trace is detailed', () => {
    const context = contextAt(0);
    new DppReranker(attributesOf(items), { k: 6, theta: 0.3, epsilon: 1e-10, similarity: { kind: 'attributes', weights: { brand: 1 }, maxSimilarity: 0.9 } }).rerank(
      context,
      rankedList([0, 1, 2, 3, 4, 5]),
    );
    expect(context.trace.moves.length).toBeGreaterThan(0);
    expect(context.trace.moves[0]?.reason).toMatch(/^dpp: pick \d+, marginal gain/);
  });
});
