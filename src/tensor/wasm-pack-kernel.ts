/**
 * WebAssembly SIMD packing: the operands of the matmul rearranged into the panels the micro-kernel
 * streams ([panel][k][width], width 4 for A and 8 for B), inside wasm memory. The packing in plain
 * TypeScript cost 10% of a 256 x 256 product and a third of a 64 x 64 one; here a 4 x 4 block moves
 * as four vector loads, eight shuffles and four vector stores.
 *
 *   packLines<W>(src, dst, panels, kSteps, ld, panelStride)
 *     source lines are rows of k values (A as [m, k], or Bᵀ as [n, k]), `ld` bytes apart; each panel
 *     of W lines becomes [k][W]: a 4 x 4 transpose per 4 lines and 4 k. Only kSteps = floor(k / 4)
 *     steps; the caller packs the last k % 4 columns.
 *   packKMajor<W>(src, dst, panels, k, ld, panelStride)
 *     the source is k-major (Aᵀ as [k, m], or B as [k, n]), rows `ld` bytes apart; each panel copies
 *     W contiguous values per k.
 * Lines past the end of the last panel are read from whatever follows the source (they only reach C
 * entries that are never kept), so the caller leaves slack after it.
 */

import { FunctionBody } from './wasm-emitter.js';

const P = { src: 0, dst: 1, panels: 2, steps: 3, ld: 4, panelStride: 5 } as const;

/** The 4 x 4 transpose of rows r0..r3 (locals), stored as 4 vectors `rowBytes` apart from `d`. */
function emitTranspose4(f: FunctionBody, r: readonly number[], t: readonly number[], d: number, rowBytes: number): void {
  const [r0, r1, r2, r3] = r as [number, number, number, number];
  const [t0, t1, t2, t3] = t as [number, number, number, number];
  f.localGet(r0).localGet(r1).f32x4Shuffle([0, 4, 1, 5]).localSet(t0);
  f.localGet(r0).localGet(r1).f32x4Shuffle([2, 6, 3, 7]).localSet(t1);
  f.localGet(r2).localGet(r3).f32x4Shuffle([0, 4, 1, 5]).localSet(t2);
  f.localGet(r2).localGet(r3).f32x4Shuffle([2, 6, 3, 7]).localSet(t3);
  f.localGet(d).localGet(t0).localGet(t2).f32x4Shuffle([0, 1, 4, 5]).v128Store(0);
  f.localGet(d).localGet(t0).localGet(t2).f32x4Shuffle([2, 3, 6, 7]).v128Store(rowBytes);
  f.localGet(d).localGet(t1).localGet(t3).f32x4Shuffle([0, 1, 4, 5]).v128Store(2 * rowBytes);
  f.localGet(d).localGet(t1).localGet(t3).f32x4Shuffle([2, 3, 6, 7]).v128Store(3 * rowBytes);
}

/** Loops p over panels around `body`, which sees the panel index in local `p`. */
function emitPanelLoop(f: FunctionBody, p: number, body: () => void): void {
  f.i32Const(0).localSet(p);
  f.block().loop();
  f.localGet(p).localGet(P.panels).i32GeU().brIf(1);
  body();
  f.localGet(p).i32Const(1).i32Add().localSet(p);
  f.br(0).end().end();
}

export function emitPackLines(width: number): FunctionBody {
  const f = new FunctionBody(new Array<'i32'>(6).fill('i32'));
  const [p, ks, s, d, ld2, ld3] = Array.from({ length: 6 }, () => f.local('i32')) as [number, number, number, number, number, number];
  const r = Array.from({ length: 4 }, () => f.local('v128'));
  const t = Array.from({ length: 4 }, () => f.local('v128'));
  f.localGet(P.ld).i32Const(2).i32Mul().localSet(ld2);
  f.localGet(P.ld).i32Const(3).i32Mul().localSet(ld3);
  emitPanelLoop(f, p, () => {
    for (let g = 0; g < width / 4; g++) {
      f.localGet(p).i32Const(width).i32Mul().i32Const(4 * g).i32Add().localGet(P.ld).i32Mul().localGet(P.src).i32Add().localSet(s);
      f.localGet(p).localGet(P.panelStride).i32Mul().localGet(P.dst).i32Add().i32Const(16 * g).i32Add().localSet(d);
      f.localGet(P.steps).localSet(ks);
      f.block().localGet(ks).i32Eqz().brIf(0).loop();
      f.localGet(s).v128Load().localSet(r[0] as number);
      f.localGet(s).localGet(P.ld).i32Add().v128Load().localSet(r[1] as number);
      f.localGet(s).localGet(ld2).i32Add().v128Load().localSet(r[2] as number);
      f.localGet(s).localGet(ld3).i32Add().v128Load().localSet(r[3] as number);
      emitTranspose4(f, r, t, d, 4 * width);
      f.localGet(s).i32Const(16).i32Add().localSet(s);
      f.localGet(d).i32Const(16 * width).i32Add().localSet(d);
      f.localGet(ks).i32Const(1).i32Sub().localTee(ks).brIf(0);
      f.end().end();
    }
  });
  return f;
}

export function emitPackKMajor(width: number): FunctionBody {
  const f = new FunctionBody(new Array<'i32'>(6).fill('i32'));
  const [p, kk, s, d] = Array.from({ length: 4 }, () => f.local('i32')) as [number, number, number, number];
  emitPanelLoop(f, p, () => {
    f.localGet(p).i32Const(4 * width).i32Mul().localGet(P.src).i32Add().localSet(s);
    f.localGet(p).localGet(P.panelStride).i32Mul().localGet(P.dst).i32Add().localSet(d);
    f.localGet(P.steps).localSet(kk);
    f.block().localGet(kk).i32Eqz().brIf(0).loop();
    for (let v = 0; v < width / 4; v++) f.localGet(d).localGet(s).v128Load(16 * v).v128Store(16 * v);
    f.localGet(s).localGet(P.ld).i32Add().localSet(s);
    f.localGet(d).i32Const(4 * width).i32Add().localSet(d);
    f.localGet(kk).i32Const(1).i32Sub().localTee(kk).brIf(0);
    f.end().end();
  });
  return f;
}
