import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FP8_MAX, decodeFp8, dequantizeBlocks, encodeFp8, fp8DecodeTable, quantizeBlocks } from './fp8.js';
import type { Fp8Format } from './fp8.js';

const FORMATS: Fp8Format[] = ['e4m3', 'e5m2'];

/** Reference encoder: the nearest finite table value by brute force, ties to the even code, saturating. */
function nearestCode(x: number, format: Fp8Format): number {
  const table = fp8DecodeTable(format);
  if (Math.abs(x) >= FP8_MAX[format]) return encodeFp8(Math.sign(x) * FP8_MAX[format], format);
  let best = -1;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (let code = 0; code < 256; code++) {
    const v = table[code] as number;
    const negativeCode = (code & 0x80) !== 0;
    if (!Number.isFinite(v) || negativeCode !== (x < 0 || Object.is(x, -0))) continue;
    const d = Math.abs(v - x);
    if (d < bestDistance || (d === bestDistance && (code & 1) === 0)) {
      best = code;
      bestDistance = d;
    }
  }
  return best;
}

describe('fp8 known values (OCP OFP8 rev 1.0, tables 1 and 2)', () => {
  const known: [Fp8Format, number, number][] = [
    ['e4m3', 0x00, 0],
    ['e4m3', 0x01, 2 ** -9],
    ['e4m3', 0x07, 7 * 2 ** -9],
    ['e4m3', 0x08, 2 ** -6],
    ['e4m3', 0x38, 1],
    ['e4m3', 0x3c, 1.5],
    ['e4m3', 0x77, 240],
    ['e4m3', 0x7e, 448],
    ['e4m3', 0xfe, -448],
    ['e4m3', 0xb8, -1],
    ['e5m2', 0x00, 0],
    ['e5m2', 0x01, 2 ** -16],
    ['e5m2', 0x03, 3 * 2 ** -16],
    ['e5m2', 0x04, 2 ** -14],
    ['e5m2', 0x3c, 1],
    ['e5m2', 0x3e, 1.5],
    ['e5m2', 0x7b, 57344],
    ['e5m2', 0xfb, -57344],
  ];
  it.each(known)('%s code %i decodes and encodes exactly', (format, code, value) => {
    expect(decodeFp8(code, format)).toBe(value);
    expect(encodeFp8(value, format)).toBe(code);
  });

  it('has the specials of each format: e4m3 only NaN, e5m2 inf and NaN', () => {
    expect(decodeFp8(0x7f, 'e4m3')).toBeNaN();
    expect(decodeFp8(0xff, 'e4m3')).toBeNaN();
    expect(decodeFp8(0x7c, 'e5m2')).toBe(Number.POSITIVE_INFINITY);
    expect(decodeFp8(0xfc, 'e5m2')).toBe(Number.NEGATIVE_INFINITY);
    for (const code of [0x7d, 0x7e, 0x7f, 0xfd, 0xfe, 0xff]) expect(decodeFp8(code, 'e5m2')).toBeNaN();
    expect(Object.is(decodeFp8(0x80, 'e4m3'), -0)).toBe(true);
    expect(encodeFp8(-0, 'e4m3')).toBe(0x80);
  });

  it('encodes NaN to the NaN code and infinity by saturating (e4m3) or to infinity (e5m2)', () => {
    expect(encodeFp8(Number.NaN, 'e4m3') & 0x7f).toBe(0x7f);
    expect(encodeFp8(Number.NaN, 'e5m2') & 0x7f).toBe(0x7e);
    expect(encodeFp8(Number.POSITIVE_INFINITY, 'e4m3')).toBe(0x7e);
    expect(encodeFp8(Number.NEGATIVE_INFINITY, 'e4m3')).toBe(0xfe);
    expect(encodeFp8(Number.POSITIVE_INFINITY, 'e5m2')).toBe(0x7c);
  });
});

describe('fp8 rounding', () => {
  it('rounds ties to the even mantissa', () => {
    // Between 1 (0x38, even) and 1.125 (0x39): the tie goes down; between 1.125 and 1.25 (0x3a) it goes up.
    expect(encodeFp8(1.0625, 'e4m3')).toBe(0x38);
    expect(encodeFp8(1.1875, 'e4m3')).toBe(0x3a);
    expect(encodeFp8(1.0625 + 2 ** -30, 'e4m3')).toBe(0x39);
    // Subnormal ties: 2^-10 is half the smallest subnormal; 7.5 * 2^-9 lies between 0x07 and the smallest normal.
    expect(encodeFp8(2 ** -10, 'e4m3')).toBe(0x00);
    expect(encodeFp8(3 * 2 ** -10, 'e4m3')).toBe(0x02);
    expect(encodeFp8(7.5 * 2 ** -9, 'e4m3')).toBe(0x08);
    expect(encodeFp8(1.125, 'e5m2')).toBe(0x3c);
    expect(encodeFp8(1.375, 'e5m2')).toBe(0x3e);
  });

  it('saturates finite overflow to the largest normal', () => {
    expect(encodeFp8(449, 'e4m3')).toBe(0x7e);
    expect(encodeFp8(464, 'e4m3')).toBe(0x7e);
    expect(encodeFp8(1e30, 'e4m3')).toBe(0x7e);
    expect(encodeFp8(-1e30, 'e4m3')).toBe(0xfe);
    expect(encodeFp8(61440, 'e5m2')).toBe(0x7b);
    expect(encodeFp8(Number.MAX_VALUE, 'e5m2')).toBe(0x7b);
  });

  it.each(FORMATS)('%s: every non-NaN code survives decode then encode', (format) => {
    for (let code = 0; code < 256; code++) {
      const value = decodeFp8(code, format);
      if (Number.isNaN(value)) continue;
      expect(encodeFp8(value, format)).toBe(code);
    }
  });

  it.each(FORMATS)('%s: encode picks the nearest value (ties to even) like a brute-force search', (format) => {
    const max = FP8_MAX[format];
    const arbitrary = fc.oneof(
      fc.double({ min: -1.2 * max, max: 1.2 * max, noNaN: true }),
      fc.double({ min: -(2 ** -5), max: 2 ** -5, noNaN: true }),
      fc.integer({ min: 0, max: 255 }).chain((code) => fc.constant(decodeFp8(code, format) * 1.03125)),
    );
    fc.assert(
      fc.property(arbitrary, (x) => {
        if (!Number.isFinite(x)) return;
        expect(encodeFp8(x, format)).toBe(nearestCode(x, format));
      }),
      { numRuns: 400 },
    );
  });

  it('rejects bad codes and formats by naming them', () => {
    expect(() => decodeFp8(256, 'e4m3')).toThrow(/0\.\.255, got 256/);
    expect(() => encodeFp8(1, 'e3m4' as Fp8Format)).toThrow(/got 'e3m4'/);
  });
});

describe('block scaling', () => {
  it('maps each block maximum onto the format maximum and reconstructs within half an ulp', () => {
    const src = new Float32Array([0.5, -2, 0.25, 1, 300, 3, -0.003, 7, 0.1]);
    const { codes, scales } = quantizeBlocks(src, 4, 'e4m3');
    expect(scales.length).toBe(3); // 4 + 4 + a last block of 1
    expect(scales[0]).toBeCloseTo(2 / 448, 9);
    expect(decodeFp8(codes[1] as number, 'e4m3')).toBe(-448);
    expect(decodeFp8(codes[4] as number, 'e4m3')).toBe(448);
    const back = dequantizeBlocks(codes, scales, 4, 'e4m3');
    for (let i = 0; i < src.length; i++) {
      const blockMax = [2, 300, 0.1][Math.floor(i / 4)] as number;
      // Relative error of e4m3 is at most 2^-4 for normals; subnormals are bounded by half their step.
      const bound = Math.max(Math.abs(src[i] as number) * 2 ** -4, (blockMax / 448) * 2 ** -10);
      expect(Math.abs((back[i] as number) - (src[i] as number))).toBeLessThanOrEqual(bound * 1.0001);
    }
  });

  it('gives an all-zero block scale 1 and zero codes, so it decodes to zeros', () => {
    const { codes, scales } = quantizeBlocks(new Float32Array(6), 3, 'e5m2');
    expect(Array.from(scales)).toEqual([1, 1]);
    expect(Array.from(codes)).toEqual([0, 0, 0, 0, 0, 0]);
    const out = new Float32Array(6).fill(9);
    expect(Array.from(dequantizeBlocks(codes, scales, 3, 'e5m2', out))).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('rejects what cannot be scaled, naming the value', () => {
    expect(() => quantizeBlocks(new Float32Array([1, Number.NaN]), 2, 'e4m3')).toThrow(/value 1 is NaN/);
    expect(() => quantizeBlocks(new Float32Array(2), 0, 'e4m3')).toThrow(/blockSize/);
    expect(() => dequantizeBlocks(new Uint8Array(5), new Float32Array(1), 4, 'e4m3')).toThrow(/need 2 scales, got 1/);
  });
});

describe('quantizeBlocks on tiny values', () => {
  it('gives finite codes and scale 1 when amax / FP8_MAX underflows float32', () => {
    const tiny = Float32Array.from([1e-44, -1e-44, 0, 1e-45]);
    const { codes, scales } = quantizeBlocks(tiny, 4, 'e4m3');
    expect(scales[0]).toBe(1);
    for (const x of dequantizeBlocks(codes, scales, 4, 'e4m3')) expect(Number.isFinite(x)).toBe(true);
  });
});
