import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { concat, permute, reshape, slice, transpose } from './layout.js';
import { expectGradientsMatch, param, shapeArb } from './test-support.js';
import { tensor } from './tensor.js';

describe('layout ops', () => {
  it('transpose swaps the last two axes', () => {
    const t = transpose(tensor([1, 2, 3, 4, 5, 6], [2, 3]));
    expect(t.shape).toEqual([3, 2]);
    expect(Array.from(t.data)).toEqual([1, 4, 2, 5, 3, 6]);
  });

  it('concat and slice are inverse along any axis', () => {
    const a = tensor([1, 2, 3, 4], [2, 2]);
    const b = tensor([5, 6], [2, 1]);
    const c = concat([a, b], 1);
    expect(Array.from(c.data)).toEqual([1, 2, 5, 3, 4, 6]);
    expect(Array.from(slice(c, 1, 2, 3).data)).toEqual([5, 6]);
  });

  it('have central-difference gradients on random shapes', () => {
    const arb = shapeArb(4).chain((shape) => fc.tuple(fc.constant(shape), fc.shuffledSubarray(shape.map((_, i) => i), { minLength: shape.length }), fc.nat()));
    fc.assert(
      fc.property(arb, ([shape, perm, seed]) => {
        const x = param(shape, seed);
        const y = param(shape, seed + 1);
        const axis = perm[0] as number;
        expectGradientsMatch((t) => permute(t, perm), [x]);
        expectGradientsMatch((t) => reshape(t, [-1]), [x]);
        expectGradientsMatch((s, t) => concat([s, t], axis), [x, y]);
        expectGradientsMatch((t) => slice(t, axis, 0, Math.ceil((shape[axis] as number) / 2)), [x]);
      }),
      { numRuns: 20 },
    );
  });

  it('name both shapes on mismatches', () => {
    expect(() => reshape(tensor([1, 2, 3]), [2, 2])).toThrow(/shape \[3\] \(3 values\) as \[2, 2\]/);
    expect(() => concat([tensor([1, 2], [1, 2]), tensor([1, 2, 3], [1, 3])], 0)).toThrow(/\[1, 2\] and \[1, 3\]/);
    expect(() => slice(tensor([1, 2]), 0, 1, 3)).toThrow(/\[1, 3\) is outside axis 0 of shape \[2\]/);
  });
});
