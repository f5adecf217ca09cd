/**
 * The WebAssembly SIMD matmul driver: copies the operands into the kernel's memory, packs them there
 * with the SIMD packers (wasm-pack-kernel.ts), runs the KC x MC blocked loops (BLIS loops 4 and 3)
 * around the kernel's `gemmBlock`, and copies C out.
 *
 * Regions of wasm memory, in f32 offsets, each 16-byte aligned:
 *   stage A   a as given ([m, k], or [k, m] with transA), then slack (packers read past the last line)
 *   stage B   b as given ([k, n], or [n, k] with transB), then slack
 *   packed A  [mp / MR][k][MR]
 *   packed B  [np / NR][k][NR]
 *   C         [mp, np]
 * Both operands are packed into contiguous panels: a panel row-strided over a power-of-two row length
 * maps onto few L1 sets and thrashes (measured 23 vs 36 GFLOP/s at 512). Padding lines of the last
 * panels hold whatever was in memory; they only reach C entries that are never copied out.
 */

import { FailedPreconditionError } from '../core/errors.js';
import type { GemmShape } from './gemm.js';
import { DEFAULT_GEMM_KERNEL, gemmKernelBytes } from './wasm-gemm-kernel.js';
import { wasmApi } from './wasm-runtime.js';
import type { WasmMemory } from './wasm-runtime.js';

const MR = DEFAULT_GEMM_KERNEL.mr;
const NR = 4 * DEFAULT_GEMM_KERNEL.vectors;
/** Depth of one k block: an NR-wide B panel of KC rows (8 KiB) stays in L1. */
const KC = 256;
/** Rows of one A block: MC x KC floats (256 KiB) stay in L2. */
const MC = 256;
/**
 * Wasm memory only grows, so one huge product would pin its size for the process: above this many
 * floats (32 MiB) a product whose A is row-major runs in blocks of rows, each re-packing B.
 */
const MAX_FLOATS = 1 << 23;

type GemmBlock = (
  a: number, b: number, c: number, mPanels: number, nPanels: number, kc: number,
  aPanel: number, aStep: number, bPanel: number, bStep: number, ldc: number,
) => void;
/** (src, dst, panels, steps, ld, panelStride), byte addresses and strides; see wasm-pack-kernel.ts. */
type Packer = (src: number, dst: number, panels: number, steps: number, ld: number, panelStride: number) => void;

interface WasmGemm {
  memory: WasmMemory;
  gemmBlock: GemmBlock;
  pack: { linesA: Packer; kMajorA: Packer; linesB: Packer; kMajorB: Packer };
  view: Float32Array;
}

let state: WasmGemm | null | undefined;

let gemmModule: object | undefined;

function instantiate(pages = 16): WasmGemm | null {
  if (wasmApi === undefined) return null;
  try {
    gemmModule ??= new wasmApi.Module(gemmKernelBytes());
    const memory = new wasmApi.Memory({ initial: pages });
    const e = new wasmApi.Instance(gemmModule, { env: { memory } }).exports;
    const pack = { linesA: e.packLinesA as Packer, kMajorA: e.packKMajorA as Packer, linesB: e.packLinesB as Packer, kMajorB: e.packKMajorB as Packer };
    return { memory, gemmBlock: e.gemmBlock as GemmBlock, pack, view: new Float32Array(memory.buffer) };
  } catch {
    // No wasm SIMD in this runtime (validation fails): the TypeScript kernel is the fallback.
    return null;
  }
}

/** True when the runtime compiles the SIMD kernel (checked once). */
export function wasmGemmAvailable(): boolean {
  if (state === undefined) state = instantiate();
  return state !== null;
}

/**
 * The memory as float32, at least `floats` long. A call's data is staged afresh each time, so a larger
 * memory is a new instance over a new memory, never `memory.grow`: growing detaches the old buffer,
 * which switches off V8's typed-array fast path in the whole process (docs/benchmarks.md). Returns
 * the instance to use (the same one, or its larger successor).
 */
function reserve(w: WasmGemm, floats: number): WasmGemm {
  if (floats * 4 <= w.memory.buffer.byteLength) return w;
  const pages = Math.max(Math.ceil((floats * 4) / 65536), (2 * w.memory.buffer.byteLength) / 65536);
  const bigger = instantiate(pages);
  if (bigger === null) throw new FailedPreconditionError(`gemmWasm: cannot allocate ${pages} pages of WebAssembly memory`);
  state = bigger;
  return bigger;
}

const roundUp = (x: number, to: number): number => Math.ceil(x / to) * to;

interface Operand {
  src: Float32Array;
  /** Lines of the operand (m for A, n for B); k values each. */
  lines: number;
  k: number;
  /** Stored as [lines, k] (A, or Bᵀ); otherwise k-major [k, lines] (Aᵀ, or B). */
  lineMajor: boolean;
  width: number;
  stage: number;
  packed: number;
}

/**
 * Copies an operand into its stage region and packs it into [panel][k][width] at `packed`. The last
 * k % 4 columns of a line-major operand are packed here, the SIMD packer doing whole 4 x 4 blocks.
 */
function packOperand(mem: Float32Array, o: Operand, packers: { lines: Packer; kMajor: Packer }): void {
  const { src, lines, k, width } = o;
  const panels = Math.ceil(lines / width);
  mem.set(src.subarray(0, lines * k), o.stage);
  if (!o.lineMajor) {
    packers.kMajor(4 * o.stage, 4 * o.packed, panels, k, 4 * lines, 4 * k * width);
    return;
  }
  const steps = k >> 2;
  packers.lines(4 * o.stage, 4 * o.packed, panels, steps, 4 * k, 4 * k * width);
  for (let kk = 4 * steps; kk < k; kk++) {
    for (let l = 0; l < lines; l++) mem[o.packed + Math.floor(l / width) * k * width + kk * width + (l % width)] = src[l * k + kk] as number;
  }
}

/**
 * C (+)= op(A) · op(B) with the wasm SIMD kernel. Shapes are checked by `gemm`.
 * @throws FailedPreconditionError when the runtime has no wasm SIMD.
 */
export function gemmWasm(a: Float32Array, b: Float32Array, c: Float32Array, shape: GemmShape): void {
  if (!wasmGemmAvailable() || state === null || state === undefined) {
    throw new FailedPreconditionError('gemmWasm: this runtime cannot compile WebAssembly SIMD; use the blocked kernel');
  }
  const { m, n, k } = shape;
  const mp = roundUp(m, MR);
  const np = roundUp(n, NR);
  const perRow = 2 * k + np;
  if (shape.transA !== true && m > MR && mp * perRow + 2 * k * np > MAX_FLOATS) {
    const rows = Math.max(MR, roundUp(Math.floor((MAX_FLOATS - 2 * k * np) / perRow), MR) - MR);
    for (let i0 = 0; i0 < m; i0 += rows) {
      gemmWasm(a.subarray(i0 * k), b, c.subarray(i0 * n), { ...shape, m: Math.min(rows, m - i0) });
    }
    return;
  }
  // Slack after each stage: the packers read up to width - 1 lines (or values) past the end.
  const slack = (width: number, lineLength: number): number => roundUp(width * Math.max(lineLength, 4) + 64, 4);
  const stageA = 0;
  const stageB = stageA + roundUp(m * k, 4) + slack(MR, Math.max(k, m));
  const packedA = stageB + roundUp(k * n, 4) + slack(NR, Math.max(k, n));
  const packedB = packedA + mp * k;
  const cOffset = packedB + np * k;
  const w = reserve(state, cOffset + mp * np);
  const mem = w.view;
  packOperand(mem, { src: a, lines: m, k, lineMajor: shape.transA !== true, width: MR, stage: stageA, packed: packedA }, { lines: w.pack.linesA, kMajor: w.pack.kMajorA });
  packOperand(mem, { src: b, lines: n, k, lineMajor: shape.transB === true, width: NR, stage: stageB, packed: packedB }, { lines: w.pack.linesB, kMajor: w.pack.kMajorB });
  if (shape.accumulate === true) {
    for (let i = 0; i < m; i++) mem.set(c.subarray(i * n, i * n + n), cOffset + i * np);
  } else mem.fill(0, cOffset, cOffset + mp * np);

  // Byte strides: one panel to the next, one k step to the next.
  const [aPanel, aStep, bPanel, bStep] = [4 * k * MR, 4 * MR, 4 * k * NR, 4 * NR];
  for (let kb = 0; kb < k; kb += KC) {
    const kc = Math.min(KC, k - kb);
    for (let mb = 0; mb < mp; mb += MC) {
      const mPanels = Math.min(MC, mp - mb) / MR;
      const aStart = 4 * packedA + kb * aStep + (mb / MR) * aPanel;
      w.gemmBlock(aStart, 4 * packedB + kb * bStep, 4 * (cOffset + mb * np), mPanels, np / NR, kc, aPanel, aStep, bPanel, bStep, 4 * np);
    }
  }
  if (np === n) c.set(mem.subarray(cOffset, cOffset + m * n));
  else for (let i = 0; i < m; i++) c.set(mem.subarray(cOffset + i * np, cOffset + i * np + n), i * n);
}
