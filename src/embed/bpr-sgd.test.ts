import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rng } from '../core/index.js';
import type { BprTables } from './bpr-model.js';
import { BprSgd, bprTripleLoss, negLogSigmoid, type BprStepParams } from './bpr-sgd.js';

function randomTables(seed: number, dim: number, nUsers: number, nItems: number): BprTables {
  const rng = new Rng(seed);
  const fill = (n: number, sd: number) => Float32Array.from({ length: n }, () => rng.normal(0, sd));
  return { dim, userFactors: fill(nUsers * dim, 0.5), itemFactors: fill(nItems * dim, 0.5), itemBias: fill(nItems, 0.3) };
}

/** Every parameter one step touches, as (table, index) pairs. */
function touched(tables: BprTables, u: number, i: number, j: number): [Float32Array, number][] {
  const out: [Float32Array, number][] = [];
  for (let f = 0; f < tables.dim; f++) {
    out.push([tables.userFactors, u * tables.dim + f], [tables.itemFactors, i * tables.dim + f], [tables.itemFactors, j * tables.dim + f]);
  }
  out.push([tables.itemBias, i], [tables.itemBias, j]);
  return out;
}

describe('BprSgd.step', () => {
  it('moves every touched parameter by -learningRate x the gradient of the BPR objective (central finite differences)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.integer({ min: 1, max: 8 }),
        fc.double({ min: 0, max: 0.2, noNaN: true }),
        fc.double({ min: 0.1, max: 3, noNaN: true }),
        (seed, dim, reg, weight) => {
          const tables = randomTables(seed, dim, 2, 4);
          const params: BprStepParams = { learningRate: 1e-3, regularization: reg, biasRegularization: reg / 2 };
          const triple = { u: 1, i: 2, j: 0, weight };
          // The finite-difference gradient, taken before the step (float32 storage: eps 1e-2 keeps
          // rounding error near 1e-5 while the O(eps^2) truncation stays near 1e-4).
          const eps = 1e-2;
          const expected = touched(tables, 1, 2, 0).map(([table, index]) => {
            const original = table[index] as number;
            table[index] = original + eps;
            const up = bprTripleLoss(tables, triple, params);
            table[index] = original - eps;
            const down = bprTripleLoss(tables, triple, params);
            table[index] = original;
            return (up - down) / (2 * eps);
          });
          const before = touched(tables, 1, 2, 0).map(([table, index]) => table[index] as number);
          new BprSgd(tables, params).step(1, 2, 0, weight);
          touched(tables, 1, 2, 0).forEach(([table, index], n) => {
            const stepGradient = ((before[n] as number) - (table[index] as number)) / params.learningRate;
            expect(Math.abs(stepGradient - (expected[n] as number))).toBeLessThan(2e-3 + 1e-2 * Math.abs(expected[n] as number));
          });
        },
      ),
      { numRuns: 60 },
    );
  });

  it('returns the loss term before the step, and a small step lowers the triple objective (it is a descent step)', () => {
    const tables = randomTables(7, 6, 3, 5);
    const params = { learningRate: 0.01, regularization: 0.01, biasRegularization: 0.01 };
    const triple = { u: 2, i: 1, j: 4, weight: 1 };
    const lossBefore = bprTripleLoss(tables, triple, params);
    const dataTerm = new BprSgd(tables, params).step(2, 1, 4, 1);
    expect(dataTerm).toBeGreaterThan(0);
    expect(dataTerm).toBeLessThanOrEqual(lossBefore); // the objective adds the L2 term to it
    expect(bprTripleLoss(tables, triple, params)).toBeLessThan(lossBefore);
  });

  it('leaves everything but the five touched rows alone (sparse updates)', () => {
    const tables = randomTables(3, 4, 3, 6);
    const users = tables.userFactors.slice();
    const items = tables.itemFactors.slice();
    new BprSgd(tables, { learningRate: 0.1, regularization: 0.1, biasRegularization: 0.1 }).step(0, 1, 2, 1);
    expect(tables.userFactors.subarray(4)).toEqual(users.subarray(4));
    expect(tables.itemFactors.subarray(0, 4)).toEqual(items.subarray(0, 4));
    expect(tables.itemFactors.subarray(12)).toEqual(items.subarray(12));
  });
});

describe('negLogSigmoid', () => {
  it('equals -ln(1 / (1 + e^-x)) where that is computable, and stays finite where it is not', () => {
    for (const x of [-5, -1, 0, 0.5, 3]) expect(negLogSigmoid(x)).toBeCloseTo(-Math.log(1 / (1 + Math.exp(-x))), 12);
    expect(negLogSigmoid(1000)).toBe(0);
    expect(negLogSigmoid(-1000)).toBe(1000);
  });
});
