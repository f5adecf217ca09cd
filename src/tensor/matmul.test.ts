import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matmul } from './matmul.js';
import { expectGradientsMatch, param } from './test-support.js';
import { tensor } from './tensor.js';

describe('matmul', () => {
  it('multiplies 2-D matrices', () => {
    const c = matmul(tensor([1, 2, 3, 4], [2, 2]), tensor([5, 6, 7, 8], [2, 2]));
    expect(Array.from(c.data)).toEqual([19, 22, 43, 50]);
  });

  it('has central-difference gradients for every transpose combination, batched and shared', () => {
    const dims = fc.integer({ min: 1, max: 4 });
    fc.assert(
      fc.property(dims, dims, dims, fc.integer({ min: 0, max: 2 }), fc.boolean(), fc.boolean(), fc.boolean(), fc.nat(), (m, n, k, batch, transA, transB, shared, seed) => {
        const batchShape = batch === 0 ? [] : [batch];
        const a = param([...batchShape, ...(transA ? [k, m] : [m, k])], seed);
        const b = param([...(shared ? [] : batchShape), ...(transB ? [n, k] : [k, n])], seed + 1);
        expectGradientsMatch((x, y) => matmul(x, y, { transA, transB }), [a, b]);
      }),
      { numRuns: 40 },
    );
  });

  it('names both shapes when they do not multiply', () => {
    expect(() => matmul(tensor([1, 2, 3, 4, 5, 6], [2, 3]), tensor([1, 2, 3, 4], [2, 2]))).toThrow(
      /shapes \[2, 3\] and \[2, 2\] do not multiply \(inner dimensions 3 and 2\)/,
    );
    expect(() => matmul(param([2, 2, 2], 1), param([3, 2, 2], 2))).toThrow(/batch dimensions differ/);
  });
});
