import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dot, l2Squared, l2SquaredBounded, normalizeRow, rowDistance } from './distance.js';

const rows = fc
  .integer({ min: 1, max: 150 })
  .chain((dim) => fc.tuple(fc.constant(dim), fc.float32Array({ minLength: 3 * dim, maxLength: 3 * dim, noNaN: true, noDefaultInfinity: true, min: -1e3, max: 1e3 })));

describe('distance kernels against the plain loops', () => {
  it('l2Squared and dot equal the textbook sums at any dimension and offset (unrolling remainders included)', () => {
    fc.assert(
      fc.property(rows, fc.integer({ min: 0, max: 2 }), ([dim, data], shift) => {
        let l2 = 0;
        let d = 0;
        for (let i = 0; i < dim; i++) {
          l2 += (data[shift * (dim / 3 | 0) + i]! - data[2 * dim + i]!) ** 2;
          d += data[shift * (dim / 3 | 0) + i]! * data[2 * dim + i]!;
        }
        const off = shift * (dim / 3 | 0);
        expect(l2Squared(data, off, data, 2 * dim, dim)).toBeCloseTo(l2, Math.max(0, 6 - Math.ceil(Math.log10(1 + l2))));
        expect(dot(data, off, data, 2 * dim, dim)).toBeCloseTo(d, Math.max(0, 6 - Math.ceil(Math.log10(1 + Math.abs(d)))));
      }),
      { numRuns: 300, seed: 5 },
    );
  });

  it('l2SquaredBounded is exact below the bound and only ever stops above it', () => {
    fc.assert(
      fc.property(rows, fc.double({ min: 0, max: 2e6, noNaN: true }), ([dim, data], bound) => {
        const full = l2Squared(data, 0, data, dim, dim);
        const bounded = l2SquaredBounded(data, 0, data, dim, dim, bound);
        if (full <= bound) expect(bounded).toBe(full);
        else expect(bounded).toBeGreaterThan(bound);
        expect(bounded).toBeLessThanOrEqual(full);
      }),
      { numRuns: 300, seed: 6 },
    );
  });

  it('computes cos as |a - b|^2 / 2 on unit rows, which is 1 - cos(a, b)', () => {
    const a = Float32Array.from([3, 4, 0]);
    const b = Float32Array.from([0, 4, 3]);
    normalizeRow(a, 0, 3);
    normalizeRow(b, 0, 3);
    expect(rowDistance('cos', a, 0, b, 0, 3)).toBeCloseTo(1 - 16 / 25, 6);
    expect(rowDistance('ip', a, 0, b, 0, 3)).toBeCloseTo(1 - 16 / 25, 6);
  });
});
