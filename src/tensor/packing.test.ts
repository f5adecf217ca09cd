import { describe, expect, it } from 'vitest';
import { cuSeqlensFromLengths, keyMaskFromCuSeqlens, packIds, packSequences, unpackSequences } from './packing.js';
import { expectGradientsMatch, param } from './test-support.js';
import { tensor } from './tensor.js';

describe('packing', () => {
  const cu = cuSeqlensFromLengths([2, 0, 3]);

  it('builds cumulative offsets and key masks', () => {
    expect(Array.from(cu)).toEqual([0, 2, 2, 5]);
    expect(Array.from(keyMaskFromCuSeqlens(cu, 3))).toEqual([1, 1, 0, 0, 0, 0, 1, 1, 1]);
    expect(Array.from(packIds([[7, 8], [], [9]]).ids)).toEqual([7, 8, 9]);
  });

  it('packs real tokens only and unpacks with zeros at padding', () => {
    const padded = tensor([1, 2, -1, 0, 0, 0, 3, 4, 5], [3, 3]);
    const packed = packSequences(padded, cu);
    expect(Array.from(packed.data)).toEqual([1, 2, 3, 4, 5]);
    expect(Array.from(unpackSequences(packed, cu, 3).data)).toEqual([1, 2, 0, 0, 0, 0, 3, 4, 5]);
  });

  it('has central-difference gradients both ways', () => {
    expectGradientsMatch((t) => packSequences(t, cu), [param([3, 3, 2], 1)]);
    expectGradientsMatch((t) => unpackSequences(t, cu, 4), [param([5, 2], 2)]);
  });

  it('names the shape when it does not hold the sequences', () => {
    expect(() => unpackSequences(param([4, 2], 1), cu, 3)).toThrow(/packed shape \[4, 2\] does not hold the 5 tokens/);
    expect(() => packSequences(param([3, 2], 1), cu)).toThrow(/sequence 2 has 3 tokens, more than the padded length 2/);
  });
});
