/**
 * General matrix multiply on flat float32 buffers: C = op(A) · op(B) (or C += ... with `accumulate`),
 * where op transposes when asked. Three kernels share this contract:
 *
 *   gemmReference  the naive triple loop, float64 accumulation: the oracle the others are tested against
 *   gemmBlocked    TypeScript, packed panels and a 4 x 4 register tile: the fallback without wasm SIMD
 *   gemmWasm       hand-assembled WebAssembly SIMD, packed panels and a 4 x 8 register tile (wasm-gemm-kernel.ts)
 *
 * `gemm` picks the fastest available for the size; `setGemmKernel` pins one (tests, benchmarks).
 *
 * Layouts (row-major): a is [m, k], or [k, m] with transA; b is [k, n], or [n, k] with transB; c is [m, n].
 */

import { InvalidArgumentError } from '../core/errors.js';
import { gemmBlocked } from './gemm-blocked.js';
import { gemmWasm, wasmGemmAvailable } from './gemm-wasm.js';

export interface GemmShape {
  m: number;
  n: number;
  k: number;
  /** a is stored [k, m] and used transposed. Default false. */
  transA?: boolean;
  /** b is stored [n, k] and used transposed. Default false. */
  transB?: boolean;
  /** Add the product to c instead of overwriting it. Default false. */
  accumulate?: boolean;
}

export type GemmFunction = (a: Float32Array, b: Float32Array, c: Float32Array, shape: GemmShape) => void;

/** The oracle: a triple loop accumulating in float64. */
export function gemmReference(a: Float32Array, b: Float32Array, c: Float32Array, shape: GemmShape): void {
  const { m, n, k } = shape;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sum = shape.accumulate === true ? (c[i * n + j] as number) : 0;
      for (let p = 0; p < k; p++) {
        const x = shape.transA === true ? a[p * m + i] : a[i * k + p];
        const y = shape.transB === true ? b[j * k + p] : b[p * n + j];
        sum += (x as number) * (y as number);
      }
      c[i * n + j] = sum;
    }
  }
}

/**
 * Below this many multiply-adds (m·n·k) the wasm call, copies and packing cost more than they save:
 * a plain i-k-j loop runs instead. Measured: 8x8x8 takes 1.1 µs in the loop and 1.4 µs through wasm;
 * 12x12x12 takes 3.4 µs and 1.5 µs.
 */
const SMALL_GEMM_FLOPS = 1024;

/** C (+)= A · B for tiny products: i-k-j order so the inner loop runs along rows of B and C. */
function gemmSmall(a: Float32Array, b: Float32Array, c: Float32Array, shape: GemmShape): void {
  const { m, n, k } = shape;
  const transA = shape.transA === true;
  const transB = shape.transB === true;
  if (shape.accumulate !== true) c.fill(0, 0, m * n);
  for (let i = 0; i < m; i++) {
    const cRow = i * n;
    for (let p = 0; p < k; p++) {
      const x = (transA ? a[p * m + i] : a[i * k + p]) as number;
      if (transB) for (let j = 0; j < n; j++) c[cRow + j] = (c[cRow + j] as number) + x * (b[j * k + p] as number);
      else {
        const bRow = p * n;
        for (let j = 0; j < n; j++) c[cRow + j] = (c[cRow + j] as number) + x * (b[bRow + j] as number);
      }
    }
  }
}

export type GemmKernelName = 'auto' | 'reference' | 'blocked' | 'wasm';

let pinned: GemmKernelName = 'auto';

/**
 * Pins the kernel `gemm` uses ('auto' restores the choice by size and availability).
 * @throws FailedPreconditionError (from gemmWasm) later if 'wasm' is pinned where wasm SIMD is missing.
 */
export function setGemmKernel(name: GemmKernelName): void {
  pinned = name;
}

/** The kernel `gemm` uses now for large products. */
export function activeGemmKernel(): Exclude<GemmKernelName, 'auto'> {
  if (pinned !== 'auto') return pinned;
  return wasmGemmAvailable() ? 'wasm' : 'blocked';
}

/** Checks that the buffers hold the shapes: a caller's mistake, named with the sizes. */
function checkGemm(a: Float32Array, b: Float32Array, c: Float32Array, shape: GemmShape): void {
  const { m, n, k } = shape;
  for (const [name, v] of [['m', m], ['n', n], ['k', k]] as const) {
    if (!Number.isInteger(v) || v < 0) throw new InvalidArgumentError(`gemm: ${name} must be a non-negative integer, got ${v}`);
  }
  if (a.length < m * k) throw new InvalidArgumentError(`gemm: a has ${a.length} values, [${m}, ${k}] needs ${m * k}`);
  if (b.length < k * n) throw new InvalidArgumentError(`gemm: b has ${b.length} values, [${k}, ${n}] needs ${k * n}`);
  if (c.length < m * n) throw new InvalidArgumentError(`gemm: c has ${c.length} values, [${m}, ${n}] needs ${m * n}`);
}

/**
 * C = op(A) · op(B), or C += op(A) · op(B) with `accumulate`; see the file comment for layouts.
 * @throws InvalidArgumentError when a buffer is shorter than its shape.
 */
export function gemm(a: Float32Array, b: Float32Array, c: Float32Array, shape: GemmShape): void {
  checkGemm(a, b, c, shape);
  const { m, n, k } = shape;
  if (m === 0 || n === 0) return;
  if (k === 0) {
    if (shape.accumulate !== true) c.fill(0, 0, m * n);
    return;
  }
  const kernel = activeGemmKernel();
  if (kernel === 'reference') gemmReference(a, b, c, shape);
  else if (pinned === 'auto' && m * n * k < SMALL_GEMM_FLOPS) gemmSmall(a, b, c, shape);
  else if (kernel === 'wasm') gemmWasm(a, b, c, shape);
  else gemmBlocked(a, b, c, shape);
}
