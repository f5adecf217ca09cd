import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { add, div, exp, gelu, log, mul, relu, sigmoid, silu, sqrt, sub, tanh, unary } from './elementwise.js';
import type { UnaryOp } from './elementwise.js';
import { broadcastableTo, expectGradientsMatch, param, shapeArb } from './test-support.js';
import { tensor } from './tensor.js';

describe('binary ops', () => {
  it('broadcast like NumPy: [2, 1] + [3] is [2, 3]', () => {
    const out = add(tensor([1, 2], [2, 1]), tensor([10, 20, 30]));
    expect(out.shape).toEqual([2, 3]);
    expect(Array.from(out.data)).toEqual([11, 21, 31, 12, 22, 32]);
  });

  it('have central-difference gradients on random broadcast shapes', () => {
    const arb = shapeArb().chain((shape) => fc.tuple(fc.constant(shape), broadcastableTo(shape), fc.nat()));
    fc.assert(
      fc.property(arb, ([shapeA, shapeB, seed]) => {
        const a = param(shapeA, seed);
        const b = param(shapeB, seed + 1);
        // Keep divisors away from zero so the quotient is smooth within ε.
        for (let i = 0; i < b.size; i++) b.data[i] = 1.5 + Math.abs(b.data[i] as number);
        for (const op of [add, sub, mul, div]) expectGradientsMatch(op, [a, b]);
      }),
      { numRuns: 25 },
    );
  });

  it('name both shapes when they do not broadcast', () => {
    expect(() => add(tensor([1, 2, 3]), tensor([1, 2]))).toThrow(/shapes \[3\] and \[2\] do not broadcast/);
  });

  it('take numbers as constants', () => {
    expect(Array.from(mul(tensor([1, 2]), 3).data)).toEqual([3, 6]);
    expect(Array.from(sub(1, tensor([1, 2])).data)).toEqual([0, -1]);
  });
});

describe('unary ops', () => {
  const ops: UnaryOp[] = ['neg', 'exp', 'log', 'sqrt', 'square', 'tanh', 'sigmoid', 'relu', 'silu', 'gelu', 'abs'];
  it.each(ops)('%s has central-difference gradients on random shapes', (op) => {
    fc.assert(
      fc.property(shapeArb(), fc.nat(), (shape, seed) => {
        const x = param(shape, seed);
        // log and sqrt need positive inputs; relu and abs need inputs away from their kink at 0.
        for (let i = 0; i < x.size; i++) {
          const v = x.data[i] as number;
          x.data[i] = op === 'log' || op === 'sqrt' ? 0.5 + Math.abs(v) : Math.abs(v) < 0.05 ? v + 0.1 : v;
        }
        expectGradientsMatch((t) => unary(op, t), [x]);
      }),
      { numRuns: 8 },
    );
  });

  it('compute the textbook values', () => {
    const x = tensor([-1, 0, 2]);
    expect(Array.from(relu(x).data)).toEqual([0, 0, 2]);
    expect(sigmoid(tensor([0])).item()).toBe(0.5);
    expect(silu(tensor([2])).item()).toBeCloseTo(2 / (1 + Math.exp(-2)), 6);
    // GELU(1) with the tanh approximation is 0.8412 (exact form: 0.8413).
    expect(gelu(tensor([1])).item()).toBeCloseTo(0.8412, 4);
    expect(tanh(tensor([0.5])).item()).toBeCloseTo(Math.tanh(0.5), 6);
    expect(log(exp(tensor([1.5]))).item()).toBeCloseTo(1.5, 6);
    expect(sqrt(tensor([9])).item()).toBe(3);
  });

  it('keep sigmoid finite for large negative inputs', () => {
    expect(sigmoid(tensor([-800])).item()).toBe(0);
  });
});
