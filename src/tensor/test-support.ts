/**
 * Helpers for this module's tests (not exported from index.ts): random tensors from a seed and
 * fast-check arbitraries for shapes.
 */

import fc from 'fast-check';
import { expect } from 'vitest';
import { Rng } from '../core/rng.js';
import { checkGradients } from './gradcheck.js';
import type { GradCheckOptions } from './gradcheck.js';
import type { Shape } from './shape.js';
import { randn } from './tensor.js';
import type { Tensor } from './tensor.js';

/** A [dims] tensor of N(0, 1) values that requires a gradient. */
export function param(shape: Shape, seed: number | string, std = 1): Tensor {
  return randn(shape, new Rng(seed), { requiresGrad: true, std });
}

/** Shapes of rank 1..maxRank with dimensions 1..maxDim. */
export const shapeArb = (maxRank = 3, maxDim = 4): fc.Arbitrary<number[]> =>
  fc.array(fc.integer({ min: 1, max: maxDim }), { minLength: 1, maxLength: maxRank });

/** A shape that broadcasts to `shape`: some dimensions set to 1, some leading ones dropped. */
export const broadcastableTo = (shape: readonly number[]): fc.Arbitrary<number[]> =>
  fc.tuple(fc.array(fc.boolean(), { minLength: shape.length, maxLength: shape.length }), fc.integer({ min: 0, max: shape.length - 1 })).map(
    ([ones, drop]) => shape.map((d, i) => (ones[i] === true ? 1 : d)).slice(drop),
  );

/** Asserts autograd agrees with central differences (lists the first mismatches on failure). */
export function expectGradientsMatch(fn: (...inputs: Tensor[]) => Tensor, inputs: Tensor[], options?: GradCheckOptions): void {
  const mismatches = checkGradients(fn, inputs, options);
  expect(mismatches.slice(0, 3)).toEqual([]);
}
