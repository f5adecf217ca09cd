import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { layerNorm, rmsNorm } from './norm.js';
import { expectGradientsMatch, param } from './test-support.js';
import { tensor } from './tensor.js';

describe('normalisation', () => {
  it('layerNorm and rmsNorm have central-difference gradients for x, weight and bias', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 2, max: 6 }), fc.nat(), (rows, d, seed) => {
        const x = param([rows, d], seed);
        // Spread each row (0.2·v + 2j): with near-equal values the normalisation is too curved for ε = 0.01.
        x.data.forEach((v, i) => (x.data[i] = 0.2 * v + 2 * (i % d)));
        const w = param([d], seed + 1);
        const b = param([d], seed + 2);
        expectGradientsMatch((t, ww, bb) => layerNorm(t, ww, bb), [x, w, b]);
        expectGradientsMatch((t, ww) => rmsNorm(t, ww), [x, w]);
      }),
      { numRuns: 20 },
    );
  });

  it('layerNorm rows have mean 0 and variance 1; rmsNorm rows have mean square 1', () => {
    const y = layerNorm(tensor([1, 2, 3, 4], [1, 4]));
    const mean = y.data.reduce((s, v) => s + v, 0) / 4;
    expect(mean).toBeCloseTo(0, 6);
    expect(y.data.reduce((s, v) => s + v * v, 0) / 4).toBeCloseTo(1, 4);
    const r = rmsNorm(tensor([3, 4], [1, 2]));
    expect(r.data.reduce((s, v) => s + v * v, 0) / 2).toBeCloseTo(1, 5);
  });

  it('names both shapes when the weight does not match the last axis', () => {
    expect(() => rmsNorm(tensor([1, 2, 3], [1, 3]), tensor([1, 2]))).toThrow(/weight shape \[2\] does not match the last axis of x \[1, 3\]/);
  });
});
