/**
 * The WebAssembly SIMD micro-kernel of the matmul: C[MR x NR] += A-panel · B-panel over one block of
 * the shared dimension, for every pair of packed panels (BLIS loops 2 and 1: Van Zee & van de Geijn,
 * "BLIS: A Framework for Rapidly Instantiating BLAS Functionality", 2015). The packers are in
 * `wasm-pack-kernel.ts`, the outer loops in `gemm-wasm.ts`; this file only emits instructions.
 *
 * Layouts (all f32, byte addresses into the shared memory; strides are parameters):
 *   A packed: panels of MR rows, panel p at a + p * aPanel, k step s at + s * aStep (MR values)
 *   B packed: panels of NR columns, panel q at b + q * bPanel, k step s at + s * bStep (NR values)
 *   C:        row-major with `ldc` bytes per row; tile (p, q) at c + p * MR * ldc + q * NR * 4
 * The tile's MR x NR accumulators stay in v128 locals (registers) for the whole k loop; each k step
 * loads NR/4 vectors of B and splats MR scalars of A.
 */

import { FunctionBody, encodeModule } from './wasm-emitter.js';
import { emitPackKMajor, emitPackLines } from './wasm-pack-kernel.js';

export interface GemmKernelShape {
  /** Rows of the C tile. */
  mr: number;
  /** f32x4 vectors per C tile row: NR = 4 * vectors. */
  vectors: number;
}

/**
 * Tile 4 x 8: 8 accumulators, 2 B vectors and 1 A splat use 11 of the 16 xmm registers V8 allocates
 * on x64, so nothing spills. Kernel alone on packed 256 x 256 operands (AMD EPYC, Node 20): 4 x 8
 * 35 GFLOP/s, 4 x 12 33, 5 x 8 32, 6 x 8 28 (spills), and unrolling k by 2 or 4 did not help.
 * MR must be a multiple of 4 (the SIMD packer moves 4 x 4 blocks).
 */
export const DEFAULT_GEMM_KERNEL: GemmKernelShape = { mr: 4, vectors: 2 };

/**
 * Parameter order of the exported
 * `gemmBlock(a, b, c, mPanels, nPanels, kc, aPanelStride, aStepStride, bPanelStride, bStepStride, ldc)`;
 * strides in bytes. A's MR values of one k step are contiguous, as are B's NR values.
 */
const P = { a: 0, b: 1, c: 2, mPanels: 3, nPanels: 4, kc: 5, aPanel: 6, aStep: 7, bPanel: 8, bStep: 9, ldc: 10 } as const;

interface TileLocals {
  ap: number;
  bp: number;
  cp: number;
  k: number;
  row: number;
  acc: number[];
  bv: number[];
  av: number;
}

/** Emits one tile: loads the C tile, runs the k loop, stores the tile back. */
function emitTile(f: FunctionBody, shape: GemmKernelShape, v: TileLocals): void {
  const { mr, vectors } = shape;
  const forTileRows = (body: (accIndex: number, vec: number) => void): void => {
    f.localGet(v.cp).localSet(v.row);
    for (let r = 0; r < mr; r++) {
      for (let j = 0; j < vectors; j++) body(r * vectors + j, j);
      f.localGet(v.row).localGet(P.ldc).i32Add().localSet(v.row);
    }
  };
  forTileRows((i, j) => f.localGet(v.row).v128Load(16 * j).localSet(v.acc[i] as number));
  f.localGet(P.kc).localSet(v.k);
  f.loop();
  for (let j = 0; j < vectors; j++) f.localGet(v.bp).v128Load(16 * j).localSet(v.bv[j] as number);
  for (let r = 0; r < mr; r++) {
    f.localGet(v.ap).v128Load32Splat(4 * r).localSet(v.av);
    for (let j = 0; j < vectors; j++) {
      const acc = v.acc[r * vectors + j] as number;
      f.localGet(acc).localGet(v.av).localGet(v.bv[j] as number).f32x4Mul().f32x4Add().localSet(acc);
    }
  }
  f.localGet(v.ap).localGet(P.aStep).i32Add().localSet(v.ap);
  f.localGet(v.bp).localGet(P.bStep).i32Add().localSet(v.bp);
  f.localGet(v.k).i32Const(1).i32Sub().localTee(v.k).brIf(0);
  f.end();
  forTileRows((i, j) => f.localGet(v.row).localGet(v.acc[i] as number).v128Store(16 * j));
}

/**
 * The `gemmBlock` function: B panels in the outer loop (one KC x NR panel stays in L1), A panels in
 * the inner loop (the MC x KC block streams from L2). `kc` must be positive.
 */
export function emitGemmBlock(shape: GemmKernelShape): FunctionBody {
  const f = new FunctionBody(new Array<'i32'>(11).fill('i32'));
  const [q, p, k, ap, bp, cp, cq, row] = Array.from({ length: 8 }, () => f.local('i32')) as [number, number, number, number, number, number, number, number];
  const acc = Array.from({ length: shape.mr * shape.vectors }, () => f.local('v128'));
  const bv = Array.from({ length: shape.vectors }, () => f.local('v128'));
  const av = f.local('v128');
  const nrBytes = 16 * shape.vectors;

  f.i32Const(0).localSet(q);
  f.block().loop();
  f.localGet(q).localGet(P.nPanels).i32GeU().brIf(1);
  f.localGet(P.c).localGet(q).i32Const(nrBytes).i32Mul().i32Add().localSet(cq);
  f.i32Const(0).localSet(p);
  f.block().loop();
  f.localGet(p).localGet(P.mPanels).i32GeU().brIf(1);
  f.localGet(P.a).localGet(p).localGet(P.aPanel).i32Mul().i32Add().localSet(ap);
  f.localGet(P.b).localGet(q).localGet(P.bPanel).i32Mul().i32Add().localSet(bp);
  f.localGet(cq).localGet(p).i32Const(shape.mr).i32Mul().localGet(P.ldc).i32Mul().i32Add().localSet(cp);
  emitTile(f, shape, { ap, bp, cp, k, row, acc, bv, av });
  f.localGet(p).i32Const(1).i32Add().localSet(p);
  f.br(0).end().end();
  f.localGet(q).i32Const(1).i32Add().localSet(q);
  f.br(0).end().end();
  return f;
}

/**
 * The module bytes: exports `gemmBlock` and the packers for A (width MR) and B (width NR), imports
 * `env.memory`.
 */
export function gemmKernelBytes(shape: GemmKernelShape = DEFAULT_GEMM_KERNEL): Uint8Array {
  const nr = 4 * shape.vectors;
  return encodeModule({
    minPages: 1,
    functions: {
      gemmBlock: emitGemmBlock(shape),
      packLinesA: emitPackLines(shape.mr),
      packKMajorA: emitPackKMajor(shape.mr),
      packLinesB: emitPackLines(nr),
      packKMajorB: emitPackKMajor(nr),
    },
  });
}
