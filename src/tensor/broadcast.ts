/**
 * Broadcasting as index maps: for every element of a broadcast result, the index it reads in an
 * input. Reading through a map broadcasts; summing back through it is the broadcast's gradient (and
 * a reduction over the stretched dimensions).
 */

import { sameShape, sizeOf, stridesOf } from './shape.js';
import type { Shape } from './shape.js';

/**
 * Where each output element reads an input: null = same index, 'scalar' = index 0, else an
 * Int32Array [outSize] of input indices (broadcast dimensions repeat).
 */
export type IndexMap = null | 'scalar' | Int32Array;

export function indexMap(input: Shape, out: Shape): IndexMap {
  if (sameShape(input, out)) return null;
  if (sizeOf(input) === 1) return 'scalar';
  const n = sizeOf(out);
  const map = new Int32Array(n);
  const inStrides = stridesOf(input);
  const rank = out.length;
  const offset = rank - input.length;
  const counter = new Array<number>(rank).fill(0);
  let at = 0;
  for (let i = 0; i < n; i++) {
    map[i] = at;
    // Increment the output counter from the last dimension, moving the input index along.
    for (let d = rank - 1; d >= 0; d--) {
      const inDim = d - offset;
      const stride = inDim >= 0 && input[inDim] !== 1 ? (inStrides[inDim] as number) : 0;
      counter[d] = (counter[d] as number) + 1;
      at += stride;
      if ((counter[d] as number) < (out[d] as number)) break;
      at -= stride * (out[d] as number);
      counter[d] = 0;
    }
  }
  return map;
}

export function gatherBroadcast(data: Float32Array, map: IndexMap, n: number): Float32Array {
  if (map === null) return data;
  if (map === 'scalar') return new Float32Array(n).fill(data[0] as number);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = data[map[i] as number] as number;
  return out;
}

/** Sums an output-shaped gradient back onto an input of `size` elements read through `map`. */
export function reduceTo(g: Float32Array, map: IndexMap, size: number): Float32Array {
  if (map === null) return g;
  const out = new Float32Array(size);
  if (map === 'scalar') {
    let s = 0;
    for (let i = 0; i < g.length; i++) s += g[i] as number;
    out[0] = s;
    return out;
  }
  for (let i = 0; i < g.length; i++) out[map[i] as number] = (out[map[i] as number] as number) + (g[i] as number);
  return out;
}
