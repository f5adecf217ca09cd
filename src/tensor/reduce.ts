/**
 * Reductions and the softmax family.
 *
 *   op                    shapes                               gradient
 *   sum(x, axes?)         [..] → axes removed (or kept as 1)   broadcast g back
 *   mean(x, axes?)        same                                 g / count
 *   max(x, axis)          [.., n, ..] → [.., ..]               g to the first argmax
 *   softmax(x)            [.., n] → [.., n] (last axis)        y ⊙ (g - Σ g·y)
 *   logSoftmax(x)         [.., n] → [.., n] (last axis)        g - softmax(x) · Σ g
 */

import { accumulateFreshGrad, record } from './autograd.js';
import { indexMap } from './broadcast.js';
import { normalizeAxis, sizeOf, splitAtAxis } from './shape.js';
import { Tensor } from './tensor.js';

export interface ReduceOptions {
  /** Axes to reduce (negative counts from the end); default all. */
  axes?: number[];
  /** Keep reduced axes as size 1. Default false. */
  keepDims?: boolean;
}

function reducedShapes(x: Tensor, options: ReduceOptions, op: string): { kept: number[]; out: number[] } {
  const axes = new Set((options.axes ?? x.shape.map((_, i) => i)).map((a) => normalizeAxis(a, x.shape, op)));
  const kept = x.shape.map((d, i) => (axes.has(i) ? 1 : d));
  const out = options.keepDims === true ? kept : x.shape.filter((_, i) => !axes.has(i));
  return { kept, out };
}

function sumWithScale(x: Tensor, options: ReduceOptions, op: 'sum' | 'mean'): Tensor {
  const { kept, out } = reducedShapes(x, options, op);
  const size = sizeOf(kept);
  const scale = op === 'mean' ? size / Math.max(1, x.size) : 1;
  const map = indexMap(kept, x.shape);
  const result = new Float32Array(size);
  const data = x.data;
  if (map === null) result.set(data);
  else if (map === 'scalar') {
    let s = 0;
    for (let i = 0; i < data.length; i++) s += data[i] as number;
    result[0] = s;
  } else for (let i = 0; i < data.length; i++) result[map[i] as number] = (result[map[i] as number] as number) + (data[i] as number);
  if (scale !== 1) for (let i = 0; i < size; i++) result[i] = (result[i] as number) * scale;
  return record(new Tensor(result, out), op, [x], (g) => {
    const gx = new Float32Array(x.size);
    if (map === null) for (let i = 0; i < gx.length; i++) gx[i] = (g[i] as number) * scale;
    else if (map === 'scalar') gx.fill((g[0] as number) * scale);
    else for (let i = 0; i < gx.length; i++) gx[i] = (g[map[i] as number] as number) * scale;
    accumulateFreshGrad(x, gx);
  });
}

/** Sum over `axes` (default all). @throws InvalidArgumentError for an axis out of range, naming the shape. */
export const sum = (x: Tensor, options: ReduceOptions = {}): Tensor => sumWithScale(x, options, 'sum');

/** Mean over `axes` (default all). @throws InvalidArgumentError for an axis out of range, naming the shape. */
export const mean = (x: Tensor, options: ReduceOptions = {}): Tensor => sumWithScale(x, options, 'mean');

/**
 * Maximum along one axis (removed from the shape); the gradient goes to the first maximum.
 * @throws InvalidArgumentError for an axis out of range, naming the shape.
 */
export function max(x: Tensor, axis = -1): Tensor {
  const ax = normalizeAxis(axis, x.shape, 'max');
  const { outer, dim, inner } = splitAtAxis(x.shape, ax);
  const out = new Float32Array(outer * inner);
  const argmax = new Int32Array(outer * inner);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      let best = Number.NEGATIVE_INFINITY;
      let at = o * dim * inner + i;
      for (let d = 0; d < dim; d++) {
        const idx = o * dim * inner + d * inner + i;
        if ((x.data[idx] as number) > best) {
          best = x.data[idx] as number;
          at = idx;
        }
      }
      out[o * inner + i] = best;
      argmax[o * inner + i] = at;
    }
  }
  const shape = x.shape.filter((_, i) => i !== ax);
  return record(new Tensor(out, shape), 'max', [x], (g) => {
    const gx = new Float32Array(x.size);
    for (let i = 0; i < argmax.length; i++) gx[argmax[i] as number] = (gx[argmax[i] as number] as number) + (g[i] as number);
    accumulateFreshGrad(x, gx);
  }, argmax.byteLength);
}

/** Softmax of each row of length n (the last axis), written into `out`; numerically stable. */
export function softmaxRows(x: Float32Array, out: Float32Array, n: number): void {
  for (let base = 0; base < x.length; base += n) {
    let m = Number.NEGATIVE_INFINITY;
    for (let j = 0; j < n; j++) m = Math.max(m, x[base + j] as number);
    let s = 0;
    for (let j = 0; j < n; j++) {
      const e = Math.exp((x[base + j] as number) - m);
      out[base + j] = e;
      s += e;
    }
    const inv = 1 / s;
    for (let j = 0; j < n; j++) out[base + j] = (out[base + j] as number) * inv;
  }
}

/** Softmax over the last axis. */
export function softmax(x: Tensor): Tensor {
  const n = x.shape[x.rank - 1] ?? 1;
  const y = new Float32Array(x.size);
  softmaxRows(x.data, y, n);
  return record(new Tensor(y, x.shape), 'softmax', [x], (g) => {
    const gx = new Float32Array(x.size);
    for (let base = 0; base < y.length; base += n) {
      let dot = 0;
      for (let j = 0; j < n; j++) dot += (g[base + j] as number) * (y[base + j] as number);
      for (let j = 0; j < n; j++) gx[base + j] = (y[base + j] as number) * ((g[base + j] as number) - dot);
    }
    accumulateFreshGrad(x, gx);
  });
}

/** log(softmax(x)) over the last axis, computed as x - max - log Σ exp(x - max). */
export function logSoftmax(x: Tensor): Tensor {
  const n = x.shape[x.rank - 1] ?? 1;
  const y = new Float32Array(x.size);
  for (let base = 0; base < y.length; base += n) {
    let m = Number.NEGATIVE_INFINITY;
    for (let j = 0; j < n; j++) m = Math.max(m, x.data[base + j] as number);
    let s = 0;
    for (let j = 0; j < n; j++) s += Math.exp((x.data[base + j] as number) - m);
    const logZ = m + Math.log(s);
    for (let j = 0; j < n; j++) y[base + j] = (x.data[base + j] as number) - logZ;
  }
  return record(new Tensor(y, x.shape), 'logSoftmax', [x], (g) => {
    const gx = new Float32Array(x.size);
    for (let base = 0; base < y.length; base += n) {
      let total = 0;
      for (let j = 0; j < n; j++) total += g[base + j] as number;
      for (let j = 0; j < n; j++) gx[base + j] = (g[base + j] as number) - Math.exp(y[base + j] as number) * total;
    }
    accumulateFreshGrad(x, gx);
  });
}
