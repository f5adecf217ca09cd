/**
 * The TypeScript matmul: the fallback when the runtime has no WebAssembly SIMD. Same structure as the
 * wasm driver (BLIS loops with packed panels) with a 4 x 4 register tile: sixteen float64 locals that
 * V8 keeps in xmm registers, eight loads per 32 flops.
 *
 * Packed layouts in the scratch buffers: A as [mp/4][k][4], B as [np/4][k][4]; a partial last panel
 * leaves its extra lanes as they were (they only reach C entries that are never written back).
 */

import type { GemmShape } from './gemm.js';

const R = 4;
/** Depth of one k block (two 4-wide panels of KC rows stay in L1). */
const KC = 256;

let scratchA: Float32Array = new Float32Array(0);
let scratchB: Float32Array = new Float32Array(0);

function scratch(current: Float32Array, floats: number): Float32Array {
  return current.length >= floats ? current : new Float32Array(Math.max(floats, current.length * 2));
}

/**
 * Packs panels of 4 lines of an operand into dst as [panel][k][4]. `lineMajor` says the operand is
 * stored with the panel's lines as rows ([lines, k]); otherwise it is k-major ([k, lines]).
 */
function packPanels(src: Float32Array, lines: number, k: number, lineMajor: boolean, dst: Float32Array): void {
  const panels = Math.ceil(lines / R);
  for (let p = 0; p < panels; p++) {
    const base = p * k * R;
    const first = p * R;
    const count = Math.min(R, lines - first);
    for (let l = 0; l < count; l++) {
      const line = first + l;
      if (lineMajor) for (let kk = 0; kk < k; kk++) dst[base + kk * R + l] = src[line * k + kk] as number;
      else for (let kk = 0; kk < k; kk++) dst[base + kk * R + l] = src[kk * lines + line] as number;
    }
  }
}

/**
 * One 4 x 4 tile of C over k steps [k0, k1): the hot loop, kept in one piece so V8 holds the
 * accumulators in registers (`bench/tensor.ts`, engine `quarry-ts`).
 */
function tile(pa: Float32Array, pb: Float32Array, tileRef: { aBase: number; bBase: number; k0: number; k1: number }, c: Float32Array, out: { i0: number; j0: number; m: number; n: number }): void {
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
  let ia = tileRef.aBase + tileRef.k0 * R;
  let ib = tileRef.bBase + tileRef.k0 * R;
  for (let kk = tileRef.k0; kk < tileRef.k1; kk++, ia += R, ib += R) {
    const a0 = pa[ia] as number, a1 = pa[ia + 1] as number, a2 = pa[ia + 2] as number, a3 = pa[ia + 3] as number;
    const b0 = pb[ib] as number, b1 = pb[ib + 1] as number, b2 = pb[ib + 2] as number, b3 = pb[ib + 3] as number;
    c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
    c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
    c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
    c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
  }
  const { i0, j0, m, n } = out;
  if (i0 + R <= m && j0 + R <= n) {
    // A full tile: add the sixteen sums in place (no temporary array in the common case).
    let at = i0 * n + j0;
    c[at] = (c[at] as number) + c00; c[at + 1] = (c[at + 1] as number) + c01; c[at + 2] = (c[at + 2] as number) + c02; c[at + 3] = (c[at + 3] as number) + c03;
    at += n;
    c[at] = (c[at] as number) + c10; c[at + 1] = (c[at + 1] as number) + c11; c[at + 2] = (c[at + 2] as number) + c12; c[at + 3] = (c[at + 3] as number) + c13;
    at += n;
    c[at] = (c[at] as number) + c20; c[at + 1] = (c[at + 1] as number) + c21; c[at + 2] = (c[at + 2] as number) + c22; c[at + 3] = (c[at + 3] as number) + c23;
    at += n;
    c[at] = (c[at] as number) + c30; c[at + 1] = (c[at + 1] as number) + c31; c[at + 2] = (c[at + 2] as number) + c32; c[at + 3] = (c[at + 3] as number) + c33;
    return;
  }
  const sums = [c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23, c30, c31, c32, c33];
  for (let r = 0; r < m - i0 && r < R; r++) {
    const at = (i0 + r) * n + j0;
    for (let j = 0; j < n - j0 && j < R; j++) c[at + j] = (c[at + j] as number) + (sums[r * R + j] as number);
  }
}

/** C (+)= op(A) · op(B) in TypeScript. Shapes are checked by `gemm`. */
export function gemmBlocked(a: Float32Array, b: Float32Array, c: Float32Array, shape: GemmShape): void {
  const { m, n, k } = shape;
  const mPanels = Math.ceil(m / R);
  const nPanels = Math.ceil(n / R);
  scratchA = scratch(scratchA, mPanels * R * k);
  scratchB = scratch(scratchB, nPanels * R * k);
  packPanels(a, m, k, shape.transA !== true, scratchA);
  packPanels(b, n, k, shape.transB === true, scratchB);
  if (shape.accumulate !== true) c.fill(0, 0, m * n);
  const ref = { aBase: 0, bBase: 0, k0: 0, k1: 0 };
  const out = { i0: 0, j0: 0, m, n };
  for (let k0 = 0; k0 < k; k0 += KC) {
    ref.k0 = k0;
    ref.k1 = Math.min(k, k0 + KC);
    for (let q = 0; q < nPanels; q++) {
      ref.bBase = q * k * R;
      out.j0 = q * R;
      for (let p = 0; p < mPanels; p++) {
        ref.aBase = p * k * R;
        out.i0 = p * R;
        tile(scratchA, scratchB, ref, c, out);
      }
    }
  }
}
