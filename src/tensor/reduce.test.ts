import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { logSoftmax, max, mean, softmax, sum } from './reduce.js';
import { expectGradientsMatch, param, shapeArb } from './test-support.js';
import { tensor } from './tensor.js';

describe('reductions', () => {
  it('sum and mean over chosen axes, with and without kept dims', () => {
    const x = tensor([1, 2, 3, 4, 5, 6], [2, 3]);
    expect(Array.from(sum(x).data)).toEqual([21]);
    expect(Array.from(sum(x, { axes: [0] }).data)).toEqual([5, 7, 9]);
    expect(sum(x, { axes: [-1], keepDims: true }).shape).toEqual([2, 1]);
    expect(Array.from(mean(x, { axes: [1] }).data)).toEqual([2, 5]);
    expect(Array.from(max(x, 0).data)).toEqual([4, 5, 6]);
  });

  it('have central-difference gradients on random shapes and axes', () => {
    const arb = shapeArb().chain((shape) => fc.tuple(fc.constant(shape), fc.subarray(shape.map((_, i) => i), { minLength: 1 }), fc.nat()));
    fc.assert(
      fc.property(arb, ([shape, axes, seed]) => {
        const x = param(shape, seed);
        // Distinct values 0.1 apart: max's finite differences (ε = 0.01) never cross a tie.
        const order = Array.from(x.data, (_, i) => i).sort((i, j) => (x.data[i] as number) - (x.data[j] as number));
        order.forEach((i, rank) => (x.data[i] = 0.1 * (rank - order.length / 2)));
        expectGradientsMatch((t) => sum(t, { axes }), [x]);
        expectGradientsMatch((t) => mean(t, { axes, keepDims: true }), [x]);
        expectGradientsMatch((t) => max(t, axes[0]), [x]);
        expectGradientsMatch(softmax, [x]);
        expectGradientsMatch(logSoftmax, [x]);
      }),
      { numRuns: 25 },
    );
  });

  it('softmax rows sum to one and survive large logits', () => {
    const y = softmax(tensor([1000, 1001, 1002, -5, 0, 5], [2, 3]));
    expect((y.data[0] as number) + (y.data[1] as number) + (y.data[2] as number)).toBeCloseTo(1, 6);
    expect(Number.isFinite(logSoftmax(tensor([1000, -1000])).data[1])).toBe(true);
  });

  it('name the shape when an axis is out of range', () => {
    expect(() => sum(tensor([1, 2]), { axes: [2] })).toThrow(/axis 2 is out of range for shape \[2\]/);
  });
});
