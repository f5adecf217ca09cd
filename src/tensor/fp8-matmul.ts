/**
 * fp8 matmul with fine-grained scaling, as DeepSeek-V3 trains its linear layers (§3.3.2, Fig. 7):
 * activations quantised per 1 x 128 tile (one scale per row and 128 consecutive k), weights per
 * 128 x 128 block, products accumulated in float32.
 *
 *   fp8Matmul(x [..., k], w [k, n]) → [..., n]
 *   out[i][j] = Σ_kb sx[i][kb] · sw[kb][j/128] · Σ_{k in kb} fp8(x[i][k]/sx) · fp8(w[k][j]/sw)
 *
 * JavaScript has no fp8 arithmetic, so this is a faithful simulation of the numbers, not of the
 * speed: each operand is quantised to fp8 codes with its scales, dequantised to float32 (every fp8
 * value times its scale is exact up to one float32 rounding), and multiplied by the float32 gemm.
 * The result differs from the per-block float32 promotion of the paper only in float32 rounding.
 * Backward uses the straight-through estimator: d out / d x is taken through the dequantised
 * weights (dx = g · ŵᵀ, dw = x̂ᵀ · g), the quantiser's own derivative treated as 1.
 */

import { InvalidArgumentError } from '../core/errors.js';
import { dequantizeBlocks, quantizeBlocks } from '../numeric/index.js';
import type { Fp8Format } from '../numeric/index.js';
import { gradOf, record } from './autograd.js';
import { gemm } from './gemm.js';
import { formatShape } from './shape.js';
import { Tensor } from './tensor.js';

export interface Fp8MatmulOptions {
  /** Default 'e4m3' (DeepSeek-V3 uses E4M3 for all tensors). */
  format?: Fp8Format;
  /** Activation tile length along k. Default 128. */
  activationTile?: number;
  /** Weight block side. Default 128. */
  weightBlock?: number;
}

export const DEFAULT_FP8_MATMUL = { format: 'e4m3', activationTile: 128, weightBlock: 128 } as const satisfies Required<Fp8MatmulOptions>;

/**
 * x [rows, cols] through fp8 with one scale per 1 x tile run of each row, back to float32.
 * Returns the dequantised values and the scales [rows, ceil(cols / tile)].
 */
export function fakeQuantizeTiles(x: Float32Array, rows: number, cols: number, options: { tile: number; format: Fp8Format }): { values: Float32Array; scales: Float32Array } {
  const { tile, format } = options;
  const tilesPerRow = Math.ceil(cols / tile);
  const values = new Float32Array(rows * cols);
  const scales = new Float32Array(rows * tilesPerRow);
  for (let r = 0; r < rows; r++) {
    const row = x.subarray(r * cols, (r + 1) * cols);
    const q = quantizeBlocks(row, tile, format);
    dequantizeBlocks(q.codes, q.scales, tile, format, values.subarray(r * cols, (r + 1) * cols));
    scales.set(q.scales, r * tilesPerRow);
  }
  return { values, scales };
}

/**
 * w [rows, cols] through fp8 with one scale per block x block square, back to float32. Returns the
 * dequantised values and the scales [ceil(rows / block), ceil(cols / block)].
 */
export function fakeQuantizeBlocks(w: Float32Array, rows: number, cols: number, options: { block: number; format: Fp8Format }): { values: Float32Array; scales: Float32Array } {
  const { block, format } = options;
  const blockRows = Math.ceil(rows / block);
  const blockCols = Math.ceil(cols / block);
  const values = new Float32Array(rows * cols);
  const scales = new Float32Array(blockRows * blockCols);
  for (let br = 0; br < blockRows; br++) {
    for (let bc = 0; bc < blockCols; bc++) {
      const r0 = br * block;
      const c0 = bc * block;
      const h = Math.min(block, rows - r0);
      const wd = Math.min(block, cols - c0);
      const gathered = new Float32Array(h * wd);
      for (let r = 0; r < h; r++) gathered.set(w.subarray((r0 + r) * cols + c0, (r0 + r) * cols + c0 + wd), r * wd);
      const q = quantizeBlocks(gathered, gathered.length, format);
      const back = dequantizeBlocks(q.codes, q.scales, gathered.length, format);
      for (let r = 0; r < h; r++) values.set(back.subarray(r * wd, (r + 1) * wd), (r0 + r) * cols + c0);
      scales[br * blockCols + bc] = q.scales[0] as number;
    }
  }
  return { values, scales };
}

/**
 * x · w with both operands through fp8 (fine-grained scales) and float32 accumulation.
 * @throws InvalidArgumentError naming both shapes when they do not multiply, or a value is not finite.
 */
export function fp8Matmul(x: Tensor, w: Tensor, options: Fp8MatmulOptions = {}): Tensor {
  const { format, activationTile, weightBlock } = { ...DEFAULT_FP8_MATMUL, ...options };
  if (x.rank < 1 || w.rank !== 2 || x.shape[x.rank - 1] !== w.shape[0]) {
    throw new InvalidArgumentError(`fp8Matmul: shapes ${formatShape(x.shape)} and ${formatShape(w.shape)} do not multiply (x [..., k] by w [k, n])`);
  }
  const [k, n] = w.shape as [number, number];
  const m = x.size / Math.max(1, k);
  const xq = fakeQuantizeTiles(x.data, m, k, { tile: activationTile, format }).values;
  const wq = fakeQuantizeBlocks(w.data, k, n, { block: weightBlock, format }).values;
  const out = new Float32Array(m * n);
  gemm(xq, wq, out, { m, n, k });
  return record(new Tensor(out, [...x.shape.slice(0, -1), n]), 'fp8Matmul', [x, w], (g) => {
    if (x.requiresGrad) gemm(g, wq, gradOf(x), { m, n: k, k: n, transB: true, accumulate: true });
    if (w.requiresGrad) gemm(xq, g, gradOf(w), { m: k, n, k: m, transA: true, accumulate: true });
  }, xq.byteLength + wq.byteLength);
}

/** ‖approx - exact‖ / ‖exact‖ (Frobenius norms), the error figure the benchmark reports. */
export function relativeError(approx: Float32Array, exact: Float32Array): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < exact.length; i++) {
    num += ((approx[i] as number) - (exact[i] as number)) ** 2;
    den += (exact[i] as number) ** 2;
  }
  return Math.sqrt(num / Math.max(den, Number.MIN_VALUE));
}
