/**
 * The l2 distances of one graph expansion in WebAssembly SIMD: `l2Batch` computes the bounded squared
 * distances from one row to a list of rows, all in one wasm memory. It adds in exactly the order of
 * `l2SquaredBounded` (distance.ts), in float64: each float32 value is widened (`f64x2.promote_low_f32x4`),
 * lanes 0 and 1 of two f64x2 accumulators are that kernel's s0..s3, and the block sums and the bound
 * checks come in the same places. So every distance is the same float, bit for bit, as the JavaScript
 * kernel's, and the graph built with it is the same graph; it only takes fewer instructions (two
 * dimensions per operation, no bounds checks, one call per expanded node).
 *
 * The module is assembled here from its bytes (WebAssembly Core Specification 2.0, §5 binary format,
 * with the fixed-width SIMD opcodes); no wasm toolchain is installed. It imports its memory
 * (`env.memory`), which `VectorSlots` owns.
 */

import { encodeI32, encodeU32 } from '../tensor/wasm-emitter.js';
import { wasmApi as wasm, type WasmMemory } from '../tensor/wasm-runtime.js';

export type { WasmMemory } from '../tensor/wasm-runtime.js';

/** `bytes` rounded up to a multiple of 16 (v128 alignment). */
export function align16(bytes: number): number {
  return Math.ceil(bytes / 16) * 16;
}

/** Bytes per wasm memory page. */
export const WASM_PAGE = 65536;
/** The most pages a 32-bit wasm memory can have (4 GiB). */
export const WASM_MAX_PAGES = 65536;

/**
 * `l2Batch(data, rowBytes, q, slots, count, end8, stop, bound, out)`, all offsets in bytes of the
 * memory: for k in [0, count), the row at `data + slots[k] * rowBytes` (slots: i32 at `slots`) against
 * the row at `q`, over the first `stop` bytes (`end8`: `stop` rounded down to 32 bytes, the part done
 * 8 values at a time), writes `l2SquaredBounded(row, q, stop / 4, bound)` as f64 at `out + 8k`.
 * Before that it reads the first `touch` bytes of every row, one value per 64-byte line (and writes
 * their sum, an i32, at `out + 8 * count`: room for it is the caller's).
 */
export type L2Batch = (data: number, rowBytes: number, q: number, slots: number, count: number, end8: number, stop: number, bound: number, out: number, touch: number) => void;

// Opcodes (§5.4).
const BLOCK = 0x02;
const LOOP = 0x03;
const VOID = 0x40;
const END = 0x0b;
const BR = 0x0c;
const BR_IF = 0x0d;
const SELECT = 0x1b;
const GET = 0x20;
const SET = 0x21;
const TEE = 0x22;
const I32_LOAD = 0x28;
const F32_LOAD = 0x2a;
const I32_STORE = 0x36;
const F64_STORE = 0x39;
const I32_CONST = 0x41;
const F64_CONST = 0x44;
const I32_LT_U = 0x49;
const I32_GE_U = 0x4f;
const F64_GT = 0x64;
const I32_ADD = 0x6a;
const I32_MUL = 0x6c;
const I32_SHL = 0x74;
const F64_ADD = 0xa0;
const F64_SUB = 0xa1;
const F64_MUL = 0xa2;
const F64_PROMOTE_F32 = 0xbb;
const SIMD = 0xfd;
const V128_CONST = [SIMD, 0x0c];
const F64X2_EXTRACT_LANE = [SIMD, 0x21];
const V128_LOAD64_ZERO = [SIMD, 0x5d];
const F64X2_PROMOTE_LOW_F32X4 = [SIMD, 0x5f];
const F64X2_ADD = [SIMD, 0xf0, 0x01];
const F64X2_SUB = [SIMD, 0xf1, 0x01];
const F64X2_MUL = [SIMD, 0xf2, 0x01];
const I32 = 0x7f;
const F64 = 0x7c;
const V128 = 0x7b;

// Parameters and locals of l2Batch.
const DATA = 0;
const ROW_BYTES = 1;
const Q = 2;
const SLOTS = 3;
const COUNT = 4;
const END8 = 5;
const STOP = 6;
const BOUND = 7;
const OUT = 8;
const TOUCH = 9;
const K = 10;
const A = 11;
const I = 12;
const BLOCK_END = 13;
const PA = 14;
const PQ = 15;
const T = 16;
const S = 17;
const D = 18;
const ACC01 = 19;
const ACC23 = 20;
const TAIL_D = 21;

function section(id: number, body: number[]): number[] {
  return [id, ...encodeU32(body.length), ...body];
}

function name(text: string): number[] {
  const bytes = Array.from(new TextEncoder().encode(text));
  return [...encodeU32(bytes.length), ...bytes];
}

/** d = widen(a[pa + offset .. +8]) - widen(q[pq + offset .. +8]): two differences in one f64x2. */
function difference(offset: number): number[] {
  return [
    GET, PA, ...V128_LOAD64_ZERO, 2, ...encodeU32(offset), ...F64X2_PROMOTE_LOW_F32X4,
    GET, PQ, ...V128_LOAD64_ZERO, 2, ...encodeU32(offset), ...F64X2_PROMOTE_LOW_F32X4,
    ...F64X2_SUB,
  ];
}

/** acc = acc + (d(lo)^2 + d(hi)^2): the kernel's `s0 += d0 * d0 + d4 * d4` for two lanes at once. */
function accumulate(acc: number, lo: number, hi: number): number[] {
  return [
    GET, acc,
    ...difference(lo), TEE, D, GET, D, ...F64X2_MUL,
    ...difference(hi), TEE, D, GET, D, ...F64X2_MUL,
    ...F64X2_ADD,
    ...F64X2_ADD,
    SET, acc,
  ];
}

function l2BatchBody(): number[] {
  const zero = [...V128_CONST, ...new Array<number>(16).fill(0)];
  const code = [
    // First load one value of each 64-byte line in the first `touch` bytes of every row, all
    // independent loads, so the memory system fetches the rows at once rather than one after another
    // (wasm has no prefetch; the sum is stored so the loads stay).
    I32_CONST, 0, SET, K,
    BLOCK, VOID,
    LOOP, VOID,
    GET, K, GET, COUNT, I32_GE_U, BR_IF, 1,
    GET, DATA, GET, SLOTS, GET, K, I32_CONST, 2, I32_SHL, I32_ADD, I32_LOAD, 2, 0, GET, ROW_BYTES, I32_MUL, I32_ADD, SET, A,
    I32_CONST, 0, SET, I,
    BLOCK, VOID,
    LOOP, VOID,
    GET, I, GET, TOUCH, I32_GE_U, BR_IF, 1,
    GET, T, GET, A, GET, I, I32_ADD, I32_LOAD, 2, 0, I32_ADD, SET, T,
    GET, I, I32_CONST, ...encodeI32(64), I32_ADD, SET, I,
    BR, 0,
    END, END,
    GET, K, I32_CONST, 1, I32_ADD, SET, K,
    BR, 0,
    END, END,
    GET, OUT, GET, COUNT, I32_CONST, 3, I32_SHL, I32_ADD, GET, T, I32_STORE, 2, 0,
    I32_CONST, 0, SET, K,
    BLOCK, VOID, // $exit (depth from the slot loop: 1)
    LOOP, VOID, // $slots
    GET, K, GET, COUNT, I32_GE_U, BR_IF, 1,
    // a = data + slots[k] * rowBytes
    GET, DATA, GET, SLOTS, GET, K, I32_CONST, 2, I32_SHL, I32_ADD, I32_LOAD, 2, 0, GET, ROW_BYTES, I32_MUL, I32_ADD, SET, A,
    F64_CONST, 0, 0, 0, 0, 0, 0, 0, 0, SET, S,
    I32_CONST, 0, SET, I,
    BLOCK, VOID, // $done
    BLOCK, VOID, // $tail
    LOOP, VOID, // $blocks
    GET, I, GET, END8, I32_GE_U, BR_IF, 1,
    // blockEnd = min(end8, i + 128)
    GET, I, I32_CONST, ...encodeI32(128), I32_ADD, TEE, BLOCK_END, GET, END8, GET, BLOCK_END, GET, END8, I32_LT_U, SELECT, SET, BLOCK_END,
    ...zero, SET, ACC01,
    ...zero, SET, ACC23,
    LOOP, VOID, // $steps
    GET, A, GET, I, I32_ADD, SET, PA,
    GET, Q, GET, I, I32_ADD, SET, PQ,
    ...accumulate(ACC01, 0, 16),
    ...accumulate(ACC23, 8, 24),
    GET, I, I32_CONST, 32, I32_ADD, TEE, I, GET, BLOCK_END, I32_LT_U, BR_IF, 0,
    END, // $steps
    // s = s + (((s0 + s1) + s2) + s3)
    GET, S,
    GET, ACC01, ...F64X2_EXTRACT_LANE, 0, GET, ACC01, ...F64X2_EXTRACT_LANE, 1, F64_ADD,
    GET, ACC23, ...F64X2_EXTRACT_LANE, 0, F64_ADD,
    GET, ACC23, ...F64X2_EXTRACT_LANE, 1, F64_ADD,
    F64_ADD, TEE, S, GET, BOUND, F64_GT, BR_IF, 2, // to $done
    BR, 0, // $blocks
    END, // $blocks
    END, // $tail
    // The last stop % 8 values, one at a time.
    BLOCK, VOID,
    LOOP, VOID,
    GET, I, GET, STOP, I32_GE_U, BR_IF, 1,
    GET, A, GET, I, I32_ADD, F32_LOAD, 2, 0, F64_PROMOTE_F32,
    GET, Q, GET, I, I32_ADD, F32_LOAD, 2, 0, F64_PROMOTE_F32,
    F64_SUB, SET, TAIL_D,
    GET, S, GET, TAIL_D, GET, TAIL_D, F64_MUL, F64_ADD, SET, S,
    GET, I, I32_CONST, 4, I32_ADD, SET, I,
    BR, 0,
    END, END,
    END, // $done
    GET, OUT, GET, K, I32_CONST, 3, I32_SHL, I32_ADD, GET, S, F64_STORE, 3, 0,
    GET, K, I32_CONST, 1, I32_ADD, SET, K,
    BR, 0, // $slots
    END, // $slots
    END, // $exit
    END, // function
  ];
  // Locals after the 10 parameters: k, a, i, blockEnd, pa, pq, t (i32); s (f64); d, acc01, acc23 (v128); tailD (f64).
  const locals = [4, ...encodeU32(7), I32, ...encodeU32(1), F64, ...encodeU32(3), V128, ...encodeU32(1), F64];
  const body = [...locals, ...code];
  return [...encodeU32(body.length), ...body];
}

function moduleBytes(): Uint8Array {
  const params = [I32, I32, I32, I32, I32, I32, I32, F64, I32, I32];
  const type = [0x60, ...encodeU32(params.length), ...params, 0];
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [1, ...type]),
    ...section(2, [1, ...name('env'), ...name('memory'), 0x02, 0x00, 0x01]),
    ...section(3, [1, 0]),
    ...section(7, [1, ...name('l2Batch'), 0x00, 0]),
    ...section(10, [1, ...l2BatchBody()]),
  ]);
}

let compiled: object | undefined | null;

/**
 * A new memory of `pages` pages (at most 4 GiB; never grown: a larger one replaces it, see `VectorSlots`) and `l2Batch` over it, or undefined where the
 * runtime has no WebAssembly SIMD or the memory cannot be had: callers then keep a plain
 * `Float32Array` and the JavaScript kernel.
 */
export function createL2Batch(pages: number): { memory: WasmMemory; l2Batch: L2Batch } | undefined {
  if (wasm === undefined || pages > WASM_MAX_PAGES) return undefined;
  if (compiled === undefined) {
    const bytes = moduleBytes();
    compiled = wasm.validate(bytes) ? new wasm.Module(bytes) : null;
  }
  if (compiled === null) return undefined;
  let memory: WasmMemory;
  try {
    memory = new wasm.Memory({ initial: pages });
  } catch {
    return undefined;
  }
  const instance = new wasm.Instance(compiled, { env: { memory } });
  return { memory, l2Batch: instance.exports.l2Batch as L2Batch };
}
