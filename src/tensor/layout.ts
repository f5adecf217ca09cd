/**
 * Ops that move values without arithmetic.
 *
 *   op                              shapes                                      gradient
 *   reshape(x, shape)               same size, one -1 allowed; shares data      reshape back
 *   permute(x, perm)                out[d] = x.shape[perm[d]]                   inverse permutation
 *   transpose(x, a = -2, b = -1)    swaps two axes                              swap back
 *   concat(xs, axis)                equal except along axis                     slices
 *   slice(x, axis, start, end)      axis becomes end - start                    zeros around the slice
 */

import { InvalidArgumentError } from '../core/errors.js';
import { accumulateFreshGrad, accumulateGrad, record } from './autograd.js';
import { formatShape, normalizeAxis, resolveShape, sizeOf, splitAtAxis, stridesOf } from './shape.js';
import type { Shape } from './shape.js';
import { Tensor } from './tensor.js';

/**
 * A view with another shape over the same values (one dimension may be -1).
 * @throws InvalidArgumentError naming both shapes when the sizes differ.
 */
export function reshape(x: Tensor, shape: Shape): Tensor {
  const out = resolveShape(shape, x.size, x.shape);
  // The view shares x's buffer: it adds no live bytes, hence the negative extra.
  return record(new Tensor(x.data, out), 'reshape', [x], (g) => accumulateGrad(x, g), -x.data.byteLength);
}

/** Copies x's values into the permuted layout; out[...idx] = x[...idx permuted back]. */
function permuteData(data: Float32Array, shape: Shape, perm: readonly number[]): Float32Array {
  const rank = shape.length;
  const inStrides = stridesOf(shape);
  const outShape = perm.map((p) => shape[p] as number);
  const strides = perm.map((p) => inStrides[p] as number);
  const out = new Float32Array(data.length);
  if (rank === 0 || data.length === 0) {
    out.set(data);
    return out;
  }
  const last = rank - 1;
  const lastDim = outShape[last] as number;
  const lastStride = strides[last] as number;
  const counter = new Array<number>(rank).fill(0);
  let src = 0;
  // Inner loop along the last output axis; the counter carries into earlier axes.
  for (let o = 0; o < out.length; o += lastDim) {
    for (let j = 0; j < lastDim; j++) out[o + j] = data[src + j * lastStride] as number;
    for (let d = last - 1; d >= 0; d--) {
      counter[d] = (counter[d] as number) + 1;
      src += strides[d] as number;
      if ((counter[d] as number) < (outShape[d] as number)) break;
      src -= (strides[d] as number) * (outShape[d] as number);
      counter[d] = 0;
    }
  }
  return out;
}

/**
 * Reorders the axes: output axis d is input axis perm[d].
 * @throws InvalidArgumentError when perm is not a permutation of the axes, naming the shape.
 */
export function permute(x: Tensor, perm: readonly number[]): Tensor {
  const rank = x.rank;
  const seen = new Set(perm);
  if (perm.length !== rank || seen.size !== rank || perm.some((p) => !Number.isInteger(p) || p < 0 || p >= rank)) {
    throw new InvalidArgumentError(`permute: [${perm.join(', ')}] is not a permutation of the axes of shape ${formatShape(x.shape)}`);
  }
  const outShape = perm.map((p) => x.shape[p] as number);
  const inverse = new Array<number>(rank);
  perm.forEach((p, d) => (inverse[p] = d));
  return record(new Tensor(permuteData(x.data, x.shape, perm), outShape), 'permute', [x], (g) => {
    accumulateFreshGrad(x, permuteData(g, outShape, inverse));
  });
}

/** Swaps two axes (default the last two). @throws InvalidArgumentError for an axis out of range. */
export function transpose(x: Tensor, axisA = -2, axisB = -1): Tensor {
  const a = normalizeAxis(axisA, x.shape, 'transpose');
  const b = normalizeAxis(axisB, x.shape, 'transpose');
  const perm = x.shape.map((_, i) => (i === a ? b : i === b ? a : i));
  return permute(x, perm);
}

/**
 * Joins tensors along an axis.
 * @throws InvalidArgumentError naming the first mismatched pair of shapes.
 */
export function concat(xs: readonly Tensor[], axis = 0): Tensor {
  const first = xs[0];
  if (first === undefined) throw new InvalidArgumentError('concat needs at least one tensor');
  const ax = normalizeAxis(axis, first.shape, 'concat');
  for (const t of xs) {
    if (t.rank !== first.rank || t.shape.some((d, i) => i !== ax && d !== first.shape[i])) {
      throw new InvalidArgumentError(`concat: shapes ${formatShape(first.shape)} and ${formatShape(t.shape)} differ outside axis ${ax}`);
    }
  }
  const dims = xs.map((t) => t.shape[ax] as number);
  const total = dims.reduce((s, d) => s + d, 0);
  const { outer, inner } = splitAtAxis(first.shape, ax);
  const outShape = first.shape.map((d, i) => (i === ax ? total : d));
  const out = new Float32Array(sizeOf(outShape));
  let offset = 0;
  xs.forEach((t, k) => {
    const width = (dims[k] as number) * inner;
    for (let o = 0; o < outer; o++) out.set(t.data.subarray(o * width, (o + 1) * width), o * total * inner + offset);
    offset += width;
  });
  return record(new Tensor(out, outShape), 'concat', xs, (g) => {
    let at = 0;
    xs.forEach((t, k) => {
      const width = (dims[k] as number) * inner;
      if (t.requiresGrad) {
        const gt = new Float32Array(t.size);
        for (let o = 0; o < outer; o++) gt.set(g.subarray(o * total * inner + at, o * total * inner + at + width), o * width);
        accumulateFreshGrad(t, gt);
      }
      at += width;
    });
  });
}

/**
 * Elements [start, end) along an axis (copied).
 * @throws InvalidArgumentError for a range outside the axis, naming the shape.
 */
export function slice(x: Tensor, axis: number, start: number, end: number): Tensor {
  const ax = normalizeAxis(axis, x.shape, 'slice');
  const { outer, dim, inner } = splitAtAxis(x.shape, ax);
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end > dim || start > end) {
    throw new InvalidArgumentError(`slice: range [${start}, ${end}) is outside axis ${ax} of shape ${formatShape(x.shape)}`);
  }
  const len = end - start;
  const out = new Float32Array(outer * len * inner);
  for (let o = 0; o < outer; o++) out.set(x.data.subarray((o * dim + start) * inner, (o * dim + end) * inner), o * len * inner);
  const outShape = x.shape.map((d, i) => (i === ax ? len : d));
  return record(new Tensor(out, outShape), 'slice', [x], (g) => {
    const gx = new Float32Array(x.size);
    for (let o = 0; o < outer; o++) gx.set(g.subarray(o * len * inner, (o + 1) * len * inner), (o * dim + start) * inner);
    accumulateFreshGrad(x, gx);
  });
}
