import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildSimilarity, type SimilarityConfig } from './similarity.js';
import { attributesOf, item } from './test-fixtures.js';

/** The smallest eigenvalue's sign, by attempting a Cholesky factorisation of S + δI. */
function isPsd(s: number[][], delta = 1e-9): boolean {
  const n = s.length;
  const l = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = s[i]![j]! + (i === j ? delta : 0);
      for (let k = 0; k < j; k++) sum -= l[i]![k]! * l[j]![k]!;
      if (i === j) {
        if (sum <= 0) return false;
        l[i]![i] = Math.sqrt(sum);
      } else {
        l[i]![j] = sum / l[j]![j]!;
      }
    }
  }
  return true;
}

function matrix(config: SimilarityConfig, attributes: ReturnType<typeof attributesOf>, n: number): number[][] {
  const kernel = buildSimilarity(config, attributes, Array.from({ length: n }, (_, i) => i));
  const out = new Float64Array(n);
  return Array.from({ length: n }, (_, i) => {
    kernel.row(i, out);
    return Array.from(out);
  });
}

describe('buildSimilarity', () => {
  it('gives a symmetric PSD matrix with a unit diagonal for attributes (DPP needs a valid kernel)', () => {
    const value = fc.option(fc.constantFrom('x', 'y', 'z'), { nil: undefined });
    fc.assert(
      fc.property(
        fc.array(fc.record({ brand: value, shop: value }), { minLength: 1, maxLength: 9 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (records, gamma) => {
          const items = records.map((r, i) => item(`i${i}`, { ...(r.brand === undefined ? {} : { brand: r.brand }), ...(r.shop === undefined ? {} : { shop: r.shop }) }));
          const s = matrix({ kind: 'attributes', weights: { brand: 2, shop: 1 }, maxSimilarity: gamma }, attributesOf(items), items.length);
          s.forEach((row, i) => {
            expect(row[i]).toBe(1);
            row.forEach((x, j) => expect(x).toBeCloseTo(s[j]![i]!, 12));
          });
          expect(isPsd(s)).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('weights attribute equality and scales it by maxSimilarity', () => {
    const items = [item('a', { brand: 'b1', shop: 's1' }), item('b', { brand: 'b1', shop: 's2' }), item('c', { brand: 'b1', shop: 's1' })];
    const s = matrix({ kind: 'attributes', weights: { brand: 2, shop: 1 }, maxSimilarity: 0.9 }, attributesOf(items), 3);
    expect(s[0]![1]).toBeCloseTo(0.9 * (2 / 3), 12);
    expect(s[0]![2]).toBeCloseTo(0.9, 12);
  });

  it('gives cosine similarity of vectors, zero rows for missing or mismatched vectors, and counts them', () => {
    const items = [item('a'), item('b'), item('c'), item('d')];
    const vectors = [Float32Array.of(3, 4), Float32Array.of(4, 3), undefined, Float32Array.of(1, 2, 3)];
    const attributes = attributesOf(items, { vectors });
    const kernel = buildSimilarity({ kind: 'cosine' }, attributes, [0, 1, 2, 3]);
    expect(kernel.missingVectors).toBe(2);
    const s = matrix({ kind: 'cosine' }, attributes, 4);
    expect(s[0]![1]).toBeCloseTo(24 / 25, 6);
    expect(s[0]![2]).toBe(0);
    expect(s[2]![2]).toBe(1);
    expect(s[3]![0]).toBe(0);
  });
});
