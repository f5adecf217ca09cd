/**
 * 8-bit floating point (OCP "OFP8" specification, rev. 1.0, 2023): E4M3 and E5M2 encode and decode,
 * and fine-grained block scaling as DeepSeek-V3 uses it (§3.3.2: one scale per 1 x 128 activation
 * tile or 128 x 128 weight block, so an outlier only costs precision inside its own block).
 *
 *   format  bits (s|e|m)  bias  max normal  min normal  min subnormal  specials
 *   e4m3    1|4|3         7     448         2^-6        2^-9           NaN = S.1111.111 (no infinity)
 *   e5m2    1|5|2         15    57344       2^-14       2^-16          inf = S.11111.00, NaN = S.11111.{01,10,11}
 *
 * Encoding rounds to nearest, ties to even, and saturates: a finite value beyond the largest normal
 * becomes ±max (OCP §5 "saturating" conversion, the mode DeepSeek-V3 and NVIDIA's `__NV_SATFINITE` use).
 * An infinite input saturates to ±448 in e4m3 (which has no infinity) and stays ±inf in e5m2. NaN
 * encodes to 0x7F (e4m3) or 0x7E (e5m2), with the sign bit of the input.
 */

import { InvalidArgumentError } from '../core/errors.js';

export type Fp8Format = 'e4m3' | 'e5m2';

/** The largest finite magnitude of each format. */
export const FP8_MAX: Record<Fp8Format, number> = { e4m3: 448, e5m2: 57344 };

interface Fp8Spec {
  mantissaBits: number;
  bias: number;
  /** Code (without sign) of the largest finite value. */
  maxCode: number;
  /** Code (without sign) that infinite inputs encode to. */
  infCode: number;
  nanCode: number;
  /** Unbiased exponent of the smallest normal: 1 - bias. */
  minExponent: number;
  /** 2^(minExponent - mantissaBits): the spacing of subnormals. */
  subnormalStep: number;
}

const SPECS: Record<Fp8Format, Fp8Spec> = {
  e4m3: { mantissaBits: 3, bias: 7, maxCode: 0x7e, infCode: 0x7e, nanCode: 0x7f, minExponent: -6, subnormalStep: 2 ** -9 },
  e5m2: { mantissaBits: 2, bias: 15, maxCode: 0x7b, infCode: 0x7c, nanCode: 0x7e, minExponent: -14, subnormalStep: 2 ** -16 },
};

// The float64 bits of the value being encoded: word HI holds sign | 11-bit exponent | top 20 mantissa
// bits, word LO the low 32 mantissa bits. Which array index is which depends on the platform's byte order.
const scratch = new Float64Array(1);
const words = new Uint32Array(scratch.buffer);
const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;
const LO = 1 - HI;

function specOf(format: Fp8Format): Fp8Spec {
  const spec = SPECS[format] as Fp8Spec | undefined;
  if (spec === undefined) throw new InvalidArgumentError(`fp8 format must be 'e4m3' or 'e5m2', got '${String(format)}'`);
  return spec;
}

/**
 * Rounds `v` (>= 0) to an integer, ties to even. Math.round is exact but sends ties up; `r - v` is
 * exact here (Sterbenz), so a tie is recognised and moved down when it landed on an odd integer.
 */
function roundHalfEven(v: number): number {
  const r = Math.round(v);
  return r - v === 0.5 && (r & 1) === 1 ? r - 1 : r;
}

/** The fp8 code of `x` under `spec`: the float64 bits are rounded directly, so there is one rounding only. */
function encodeWith(x: number, spec: Fp8Spec): number {
  scratch[0] = x;
  const hi = words[HI] as number;
  const sign = (hi >>> 24) & 0x80;
  const biasedExp64 = (hi >>> 20) & 0x7ff;
  if (biasedExp64 === 0x7ff) {
    const isNan = (hi & 0xfffff) !== 0 || words[LO] !== 0;
    return sign | (isNan ? spec.nanCode : spec.infCode);
  }
  const e = biasedExp64 - 1023;
  if (e < spec.minExponent) {
    // Subnormal range (or zero): count multiples of the subnormal step. k = 2^m is the smallest normal's code.
    return sign | roundHalfEven(Math.abs(x) / spec.subnormalStep);
  }
  const m = spec.mantissaBits;
  const shift = 20 - m;
  const mantissa = (hi >>> shift) & ((1 << m) - 1);
  const rest = hi & ((1 << shift) - 1);
  const half = 1 << (shift - 1);
  const roundUp = rest > half || (rest === half && (words[LO] !== 0 || (mantissa & 1) === 1));
  // A carry out of the mantissa increments the exponent field, which is the right next value.
  const code = (((e + spec.bias) << m) | mantissa) + (roundUp ? 1 : 0);
  return sign | (code > spec.maxCode ? spec.maxCode : code);
}

/**
 * Encodes `x` as one fp8 byte (0..255): round to nearest even, finite overflow saturating to ±max.
 * @throws InvalidArgumentError for an unknown format.
 */
export function encodeFp8(x: number, format: Fp8Format): number {
  return encodeWith(x, specOf(format));
}

function decodeWith(code: number, spec: Fp8Spec): number {
  const m = spec.mantissaBits;
  const sign = code & 0x80 ? -1 : 1;
  const magnitude = code & 0x7f;
  if (magnitude === spec.nanCode || (spec.infCode !== spec.maxCode && magnitude > spec.infCode)) return Number.NaN;
  if (spec.infCode !== spec.maxCode && magnitude === spec.infCode) return sign * Number.POSITIVE_INFINITY;
  const exponentField = magnitude >>> m;
  const mantissa = magnitude & ((1 << m) - 1);
  if (exponentField === 0) return sign * mantissa * spec.subnormalStep;
  return sign * (1 + mantissa / (1 << m)) * 2 ** (exponentField - spec.bias);
}

/**
 * The value of an fp8 byte.
 * @throws InvalidArgumentError for a code outside 0..255 or an unknown format.
 */
export function decodeFp8(code: number, format: Fp8Format): number {
  if (!Number.isInteger(code) || code < 0 || code > 255) {
    throw new InvalidArgumentError(`fp8 code must be an integer in 0..255, got ${code}`);
  }
  return fp8DecodeTable(format)[code] as number;
}

const tables = new Map<Fp8Format, Float32Array>();

/**
 * All 256 values of a format, indexed by code (every fp8 value is exact in float32). Built once and
 * cached: callers must not write to it.
 * @throws InvalidArgumentError for an unknown format.
 */
export function fp8DecodeTable(format: Fp8Format): Float32Array {
  let table = tables.get(format);
  if (table === undefined) {
    const spec = specOf(format);
    table = new Float32Array(256);
    for (let code = 0; code < 256; code++) table[code] = decodeWith(code, spec);
    tables.set(format, table);
  }
  return table;
}

/** Codes and per-block scales: value i ≈ decode(codes[i]) * scales[floor(i / blockSize)]. */
export interface Fp8Blocks {
  /** [n] fp8 codes. */
  codes: Uint8Array;
  /** [ceil(n / blockSize)] one float32 scale per consecutive block. */
  scales: Float32Array;
}

/**
 * Quantises `src` in consecutive blocks of `blockSize` values (the last block may be shorter): each
 * block gets scale = amax / FP8_MAX[format], so its largest magnitude maps onto the format's maximum
 * (DeepSeek-V3 §3.3.2, online amax per tile). An all-zero block (or one whose amax / FP8_MAX underflows
 * float32) gets scale 1.
 * @throws InvalidArgumentError when blockSize is not a positive integer or a value is not finite.
 */
export function quantizeBlocks(src: Float32Array, blockSize: number, format: Fp8Format): Fp8Blocks {
  if (!Number.isInteger(blockSize) || blockSize <= 0) {
    throw new InvalidArgumentError(`quantizeBlocks: blockSize must be a positive integer, got ${blockSize}`);
  }
  const spec = specOf(format);
  const n = src.length;
  const blockCount = Math.ceil(n / blockSize);
  const codes = new Uint8Array(n);
  const scales = new Float32Array(blockCount);
  for (let b = 0; b < blockCount; b++) {
    const start = b * blockSize;
    const end = Math.min(n, start + blockSize);
    let amax = 0;
    for (let i = start; i < end; i++) {
      const a = Math.abs(src[i] as number);
      if (!(a < Number.POSITIVE_INFINITY)) {
        throw new InvalidArgumentError(`quantizeBlocks: value ${i} is ${src[i]}; block scaling needs finite values`);
      }
      if (a > amax) amax = a;
    }
    // A block so small that amax / FP8_MAX underflows float32 to 0 is stored like a zero block (its
    // values are below float32's own resolution at that scale anyway).
    const ratio = Math.fround(amax / FP8_MAX[format]);
    const scale = ratio > 0 ? ratio : 1;
    scales[b] = scale;
    const inverse = 1 / scale;
    for (let i = start; i < end; i++) codes[i] = encodeWith((src[i] as number) * inverse, spec);
  }
  return { codes, scales };
}

/**
 * The inverse of {@link quantizeBlocks}: out[i] = decode(codes[i]) * scales[floor(i / blockSize)].
 * `out` defaults to a new Float32Array of codes.length.
 * @throws InvalidArgumentError when the scales do not cover the codes or `out` is too short.
 */
export function dequantizeBlocks(
  codes: Uint8Array,
  scales: Float32Array,
  blockSize: number,
  format: Fp8Format,
  out: Float32Array = new Float32Array(codes.length),
): Float32Array {
  if (!Number.isInteger(blockSize) || blockSize <= 0) {
    throw new InvalidArgumentError(`dequantizeBlocks: blockSize must be a positive integer, got ${blockSize}`);
  }
  const blockCount = Math.ceil(codes.length / blockSize);
  if (scales.length < blockCount) {
    throw new InvalidArgumentError(`dequantizeBlocks: ${codes.length} codes in blocks of ${blockSize} need ${blockCount} scales, got ${scales.length}`);
  }
  if (out.length < codes.length) {
    throw new InvalidArgumentError(`dequantizeBlocks: out has ${out.length} values, codes have ${codes.length}`);
  }
  const table = fp8DecodeTable(format);
  for (let b = 0; b < blockCount; b++) {
    const scale = scales[b] as number;
    const end = Math.min(codes.length, (b + 1) * blockSize);
    for (let i = b * blockSize; i < end; i++) out[i] = (table[codes[i] as number] as number) * scale;
  }
  return out;
}
