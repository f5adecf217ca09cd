import { InvalidArgumentError } from '../core/index.js';
import { FP8_MAX, encodeFp8, fp8DecodeTable } from '../numeric/index.js';
import type { Metric } from './distance.js';

/** How an HNSW index stores the vectors it searches: float32 only, or compressed codes beside them. */
export type Quantization = 'none' | 'int8' | 'fp8';

export const QUANTIZATIONS: readonly Quantization[] = ['none', 'int8', 'fp8'];

/**
 * Compressed copies of the index's vectors, searched with asymmetric distances: the query stays
 * float32, only the stored side is decoded on the fly. Under `l2` the distance is
 * sum((q_i - x^_i)^2), summed a block at a time so it can stop once it exceeds the bound (as
 * `l2SquaredBounded` does for float32); under `ip` and `cos` it is 1 - q.x^.
 */
export interface VectorCodes {
  readonly kind: Exclude<Quantization, 'none'>;
  /** Bytes stored per vector: the codes and their scales. */
  readonly bytesPerVector: number;
  /** Encodes `row[offset .. offset + dim)` as the codes of `slot`. */
  encode(slot: number, row: Float32Array, offset: number): void;
  /** Sets the query for the `distance` calls that follow (kept by reference, not copied). */
  setQuery(query: Float32Array): void;
  /** The distance from the query to the codes of `slot`; any value above `bound` once it is known to exceed it (l2). */
  distance(slot: number, bound: number): number;
  /** Loads the first cache lines of `slot`'s codes ahead of its distance (see `HnswGraph.searchLayer`). */
  touch(slot: number): number;
  /** The reconstruction of `slot` (for tests and error bounds). */
  decode(slot: number, out?: Float32Array): Float32Array;
}

/** Dimensions between two checks of the bound (int8; fp8 checks after each scale block). */
const BOUND_BLOCK = 32;

/** Makes room for `capacity` rows of `width` elements, keeping what is there. */
function grown<T extends Uint8Array | Float32Array>(array: T, capacity: number, width: number, make: (n: number) => T): T {
  if (array.length >= capacity * width) return array;
  const next = make(Math.max(capacity, (2 * array.length) / Math.max(1, width)) * width);
  next.set(array);
  return next;
}

/**
 * 8-bit scalar quantisation with one affine scale per vector (not per dimension): x_i ≈ lo + step * u_i
 * with u_i in 0..255 stored as a byte, lo = min_i x_i, step = (max_i x_i - lo) / 255. Per vector
 * because it needs no training pass over the data and a new vector never falls outside a range
 * learned earlier; the price is that one outlier dimension coarsens the whole vector.
 * Error bound: |x_i - x^_i| <= step / 2 = (max - min) / 510.
 */
export class Int8Codes implements VectorCodes {
  readonly kind = 'int8';
  readonly bytesPerVector: number;
  private readonly dim: number;
  private readonly isL2: boolean;
  /** [capacity, dim] row-major codes u_i. */
  private codes: Uint8Array;
  /** [capacity, 2]: lo, step. */
  private params: Float32Array;
  private query: Float32Array = new Float32Array(0);
  private querySum = 0;

  constructor(dim: number, metric: Metric, capacity: number) {
    this.dim = dim;
    this.isL2 = metric === 'l2';
    this.bytesPerVector = dim + 8;
    this.codes = new Uint8Array(capacity * dim);
    this.params = new Float32Array(capacity * 2);
  }

  encode(slot: number, row: Float32Array, offset: number): void {
    const dim = this.dim;
    this.codes = grown(this.codes, slot + 1, dim, (n) => new Uint8Array(n));
    this.params = grown(this.params, slot + 1, 2, (n) => new Float32Array(n));
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < dim; i++) {
      const x = row[offset + i]!;
      if (x < lo) lo = x;
      if (x > hi) hi = x;
    }
    const step = Math.fround((hi - lo) / 255);
    const inverse = step > 0 ? 1 / step : 0;
    for (let i = 0; i < dim; i++) this.codes[slot * dim + i] = Math.min(255, Math.max(0, Math.round((row[offset + i]! - lo) * inverse)));
    this.params[slot * 2] = lo;
    this.params[slot * 2 + 1] = step;
  }

  setQuery(query: Float32Array): void {
    this.query = query;
    let sum = 0;
    for (let i = 0; i < this.dim; i++) sum += query[i]!;
    this.querySum = sum;
  }

  distance(slot: number, bound: number): number {
    const { dim, codes, query: q } = this;
    const base = slot * dim;
    const lo = this.params[slot * 2]!;
    const step = this.params[slot * 2 + 1]!;
    if (!this.isL2) {
      let s = 0;
      for (let i = 0; i < dim; i++) s += q[i]! * codes[base + i]!;
      return 1 - (lo * this.querySum + step * s);
    }
    let s = 0;
    for (let start = 0; start < dim; start += BOUND_BLOCK) {
      const end = Math.min(dim, start + BOUND_BLOCK);
      let s0 = 0;
      let s1 = 0;
      let i = start;
      for (; i + 1 < end; i += 2) {
        const d0 = q[i]! - lo - step * codes[base + i]!;
        const d1 = q[i + 1]! - lo - step * codes[base + i + 1]!;
        s0 += d0 * d0;
        s1 += d1 * d1;
      }
      if (i < end) {
        const d = q[i]! - lo - step * codes[base + i]!;
        s0 += d * d;
      }
      s += s0 + s1;
      if (s > bound) return s;
    }
    return s;
  }

  touch(slot: number): number {
    let sum = this.params[slot * 2]!;
    for (let i = 0; i < Math.min(this.dim, 256); i += 64) sum += this.codes[slot * this.dim + i]!;
    return sum;
  }

  decode(slot: number, out: Float32Array = new Float32Array(this.dim)): Float32Array {
    const lo = this.params[slot * 2]!;
    const step = this.params[slot * 2 + 1]!;
    for (let i = 0; i < this.dim; i++) out[i] = lo + step * this.codes[slot * this.dim + i]!;
    return out;
  }
}

/** E8M0 scale bytes (OCP Microscaling v1.0's shared scale): byte b stands for 2^(b - 127). */
const SCALE_BIAS = 127;
/** The largest scale byte used (MX keeps 255 for NaN). */
const SCALE_MAX_BYTE = 254;
/** [255] the scale of each E8M0 byte. */
const SCALE_OF_BYTE = Float64Array.from({ length: SCALE_MAX_BYTE + 1 }, (_, b) => 2 ** (b - SCALE_BIAS));
const E4M3_MAX = FP8_MAX.e4m3;

/**
 * The E8M0 byte of the smallest power-of-two scale s with amax / s <= 448 (E4M3's largest value), so
 * no value of the block saturates: s = 2^ceil(log2(amax / 448)), clamped to 2^-127 .. 2^127. A zero
 * block gets the smallest scale.
 */
export function e8m0ScaleByte(amax: number): number {
  if (!(amax > 0)) return 0;
  let e = Math.ceil(Math.log2(amax / E4M3_MAX));
  // log2 is not exact: settle on the smallest exponent that still fits.
  while (amax / 2 ** e > E4M3_MAX) e++;
  while (amax / 2 ** (e - 1) <= E4M3_MAX) e--;
  return Math.min(SCALE_MAX_BYTE, Math.max(0, e + SCALE_BIAS));
}

/**
 * fp8 E4M3 codes with fine-grained scaling: one scale per block of `blockSize` consecutive dimensions
 * (32 by default), as DeepSeek-V3 (§3.3.2) scales its fp8 tensors per tile, stored in one byte as a
 * power of two (E8M0, the shared scale of the OCP Microscaling formats, whose MXFP8 blocks are also
 * 32 values): scale = 2^ceil(log2(amax(block) / 448)), so each block uses the format's range without
 * saturating and an outlier only coarsens its own block. A power-of-two scale costs E4M3 no
 * precision (a float's relative error does not depend on its scale); it only moves the subnormal
 * threshold by at most a factor 2. So a vector takes dim + ceil(dim / blockSize) bytes: 25.8% of
 * float32 at 784 or 64 dims, 28.1% at 8 dims (one block).
 * Error per value: <= 2^-4 relative (3 mantissa bits, round to nearest) or, near zero, half a
 * subnormal step, scale * 2^-10 (see `numeric/fp8.ts`).
 * The distance decodes through the 256-entry table of E4M3 values.
 */
export class Fp8Codes implements VectorCodes {
  readonly kind = 'fp8';
  readonly bytesPerVector: number;
  readonly blockSize: number;
  private readonly dim: number;
  private readonly blocks: number;
  private readonly isL2: boolean;
  private readonly table = fp8DecodeTable('e4m3');
  /** [capacity, dim] row-major fp8 codes. */
  private codes: Uint8Array;
  /** [capacity, blocks] one E8M0 scale byte per block. */
  private scales: Uint8Array;
  private query: Float32Array = new Float32Array(0);

  /** @throws InvalidArgumentError when `blockSize` is not a positive integer. */
  constructor(dim: number, metric: Metric, capacity: number, blockSize = 32) {
    if (!Number.isInteger(blockSize) || blockSize <= 0) throw new InvalidArgumentError(`fp8 block size must be a positive integer, got ${blockSize}`);
    this.dim = dim;
    this.blockSize = blockSize;
    this.blocks = Math.ceil(dim / blockSize);
    this.isL2 = metric === 'l2';
    this.bytesPerVector = dim + this.blocks;
    this.codes = new Uint8Array(capacity * dim);
    this.scales = new Uint8Array(capacity * this.blocks);
  }

  encode(slot: number, row: Float32Array, offset: number): void {
    const { dim, blockSize } = this;
    this.codes = grown(this.codes, slot + 1, dim, (n) => new Uint8Array(n));
    this.scales = grown(this.scales, slot + 1, this.blocks, (n) => new Uint8Array(n));
    for (let b = 0, start = 0; start < dim; b++, start += blockSize) {
      const end = Math.min(dim, start + blockSize);
      let amax = 0;
      for (let i = start; i < end; i++) amax = Math.max(amax, Math.abs(row[offset + i]!));
      const scaleByte = e8m0ScaleByte(amax);
      // Dividing by a power of two is exact (short of float64's subnormals, far below these values).
      const inverse = 1 / SCALE_OF_BYTE[scaleByte]!;
      this.scales[slot * this.blocks + b] = scaleByte;
      for (let i = start; i < end; i++) this.codes[slot * dim + i] = encodeFp8(row[offset + i]! * inverse, 'e4m3');
    }
  }

  setQuery(query: Float32Array): void {
    this.query = query;
  }

  /** The scale of block `block` of `slot`. */
  scale(slot: number, block: number): number {
    return SCALE_OF_BYTE[this.scales[slot * this.blocks + block]!]!;
  }

  distance(slot: number, bound: number): number {
    const { dim, blockSize, table, codes, query: q } = this;
    const base = slot * dim;
    const scaleBase = slot * this.blocks;
    let s = 0;
    for (let b = 0, start = 0; start < dim; b++, start += blockSize) {
      const end = Math.min(dim, start + blockSize);
      const scale = SCALE_OF_BYTE[this.scales[scaleBase + b]!]!;
      let s0 = 0;
      let s1 = 0;
      let i = start;
      if (this.isL2) {
        for (; i + 1 < end; i += 2) {
          const d0 = q[i]! - scale * table[codes[base + i]!]!;
          const d1 = q[i + 1]! - scale * table[codes[base + i + 1]!]!;
          s0 += d0 * d0;
          s1 += d1 * d1;
        }
        if (i < end) {
          const d = q[i]! - scale * table[codes[base + i]!]!;
          s0 += d * d;
        }
        s += s0 + s1;
        if (s > bound) return s;
      } else {
        for (; i < end; i++) s0 += q[i]! * table[codes[base + i]!]!;
        s += scale * s0;
      }
    }
    return this.isL2 ? s : 1 - s;
  }

  touch(slot: number): number {
    let sum = this.scales[slot * this.blocks]!;
    for (let i = 0; i < Math.min(this.dim, 256); i += 64) sum += this.codes[slot * this.dim + i]!;
    return sum;
  }

  decode(slot: number, out: Float32Array = new Float32Array(this.dim)): Float32Array {
    for (let i = 0; i < this.dim; i++) out[i] = this.table[this.codes[slot * this.dim + i]!]! * this.scale(slot, Math.floor(i / this.blockSize));
    return out;
  }
}

/**
 * The codes for a quantisation kind, or undefined for `none`.
 * @throws InvalidArgumentError for an unknown kind or a bad block size.
 */
export function createCodes(kind: Quantization, options: { dim: number; metric: Metric; capacity: number; fp8BlockSize: number }): VectorCodes | undefined {
  switch (kind) {
    case 'none':
      return undefined;
    case 'int8':
      return new Int8Codes(options.dim, options.metric, options.capacity);
    case 'fp8':
      return new Fp8Codes(options.dim, options.metric, options.capacity, options.fp8BlockSize);
    default:
      throw new InvalidArgumentError(`quantization must be one of ${QUANTIZATIONS.join(', ')}, got ${String(kind)}`);
  }
}
