import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dot, l2Squared, type Metric } from './distance.js';
import { Fp8Codes, Int8Codes, createCodes, e8m0ScaleByte } from './vector-codes.js';
import { expectQuarryError } from './vector-index-suite.js';

const vectorArbitrary = (dim: number) =>
  fc.array(fc.double({ min: -100, max: 100, noNaN: true, noDefaultInfinity: true }), { minLength: dim, maxLength: dim }).map((v) => Float32Array.from(v));

/** The distance the codes should give: the exact distance from the query to the reconstruction. */
function reconstructedDistance(metric: Metric, query: Float32Array, decoded: Float32Array): number {
  return metric === 'l2' ? l2Squared(query, 0, decoded, 0, query.length) : 1 - dot(query, 0, decoded, 0, query.length);
}

describe('Int8Codes (per-vector affine scale, 256 levels)', () => {
  it('reconstructs every value within half a step, step = (max - min) / 255', () => {
    fc.assert(
      fc.property(vectorArbitrary(37), (v) => {
        const codes = new Int8Codes(37, 'l2', 1);
        codes.encode(0, v, 0);
        const back = codes.decode(0);
        const step = (Math.max(...v) - Math.min(...v)) / 255;
        for (let i = 0; i < v.length; i++) expect(Math.abs(back[i]! - v[i]!)).toBeLessThanOrEqual(step / 2 + 1e-5 * (1 + Math.abs(v[i]!)));
      }),
      { numRuns: 200, seed: 1 },
    );
  });

  it('keeps a constant vector exactly (step 0)', () => {
    const codes = new Int8Codes(4, 'ip', 1);
    codes.encode(0, Float32Array.from([2.5, 2.5, 2.5, 2.5]), 0);
    expect(Array.from(codes.decode(0))).toEqual([2.5, 2.5, 2.5, 2.5]);
  });
});

describe('Fp8Codes (e4m3, one scale per block)', () => {
  it('reconstructs every value within 2^-4 relative, or half a subnormal step of its block scale near 0', () => {
    fc.assert(
      fc.property(vectorArbitrary(70), fc.integer({ min: 1, max: 64 }), (v, blockSize) => {
        const codes = new Fp8Codes(70, 'l2', 1, blockSize);
        codes.encode(0, v, 0);
        const back = codes.decode(0);
        for (let i = 0; i < v.length; i++) {
          const start = Math.floor(i / blockSize) * blockSize;
          const amax = Math.max(...Array.from(v.subarray(start, start + blockSize), Math.abs));
          // The block scale: the smallest power of two with amax / scale <= 448, so below 2 * amax / 448.
          const scale = codes.scale(0, Math.floor(i / blockSize));
          expect(amax / scale).toBeLessThanOrEqual(448);
          // (Unless amax is so small that the scale is clamped to its least value, 2^-127.)
          if (amax > 448 * 2 ** -127) expect(scale).toBeLessThan((2 * amax) / 448);
          // e4m3: 3 mantissa bits, so round-to-nearest is within 2^-4 relative for normals; below 2^-6
          // (in block units) values are subnormal with step 2^-9, half of it 2^-10.
          const bound = Math.max(Math.abs(v[i]!) * 2 ** -4, scale * 2 ** -10);
          expect(Math.abs(back[i]! - v[i]!)).toBeLessThanOrEqual(bound * (1 + 1e-6));
        }
      }),
      { numRuns: 200, seed: 2 },
    );
  });

  it('scales each block by its own power of two, so an outlier only coarsens its block', () => {
    const v = Float32Array.from([0.1, -3, 0.2, 0.3, 1000, 1, 2, 3]);
    const codes = new Fp8Codes(8, 'ip', 1, 4);
    codes.encode(0, v, 0);
    expect([codes.scale(0, 0), codes.scale(0, 1)]).toEqual([2 ** -7, 2 ** 2]);
    const back = codes.decode(0);
    expect(back[1]).toBe(-3);
    expect(back[0]).toBeCloseTo(0.1, 2);
    expect(back[4]).toBe(1024);
  });

  it('picks the smallest E8M0 scale that keeps the block amax within 448, from 2^-127 to 2^127', () => {
    expect(e8m0ScaleByte(448)).toBe(127);
    expect(e8m0ScaleByte(448.0001)).toBe(128);
    expect(e8m0ScaleByte(224)).toBe(126);
    expect(e8m0ScaleByte(0)).toBe(0);
    expect(e8m0ScaleByte(1e-45)).toBe(0);
    expect(e8m0ScaleByte(3.4e38)).toBe(127 + 120);
  });

  it('takes 1 byte per dimension plus 1 per block: at most 30% of float32 at 784, 64 and 8 dims', () => {
    expect(new Fp8Codes(784, 'l2', 1).bytesPerVector).toBe(784 + 25);
    expect(new Fp8Codes(64, 'cos', 1, 128).bytesPerVector).toBe(64 + 1);
    for (const dim of [784, 64, 8]) expect(new Fp8Codes(dim, 'l2', 1).bytesPerVector / (4 * dim)).toBeLessThanOrEqual(0.3);
  });

  it('rejects a bad block size', () => {
    expectQuarryError(() => new Fp8Codes(8, 'l2', 1, 0), 'INVALID_ARGUMENT', /fp8 block size must be a positive integer, got 0/);
  });
});

describe.each(['int8', 'fp8'] as const)('%s asymmetric distance', (kind) => {
  it.each(['l2', 'ip', 'cos'] as const)('equals the exact distance from the float32 query to the reconstruction (%s)', (metric) => {
    fc.assert(
      fc.property(vectorArbitrary(45), vectorArbitrary(45), (stored, query) => {
        const codes = createCodes(kind, { dim: 45, metric, capacity: 2, fp8BlockSize: 16 })!;
        codes.encode(1, stored, 0);
        codes.setQuery(query);
        const want = reconstructedDistance(metric, query, codes.decode(1));
        expect(codes.distance(1, Infinity)).toBeCloseTo(want, Math.max(0, 3 - Math.ceil(Math.log10(1 + Math.abs(want)))));
        // Under a bound, l2 may stop early but only above the bound.
        if (metric === 'l2' && want > 1) expect(codes.distance(1, want / 2)).toBeGreaterThan(want / 2);
      }),
      { numRuns: 100, seed: 3 },
    );
  });

  it('grows past its first capacity and keeps earlier codes', () => {
    const codes = createCodes(kind, { dim: 3, metric: 'l2', capacity: 1, fp8BlockSize: 32 })!;
    for (let slot = 0; slot < 50; slot++) codes.encode(slot, Float32Array.from([slot, -slot, 1]), 0);
    expect(codes.decode(0)[2]).toBeCloseTo(1, 1);
    expect(Math.abs(codes.decode(49)[0]! - 49)).toBeLessThanOrEqual(49 * 2 ** -4);
  });
});
