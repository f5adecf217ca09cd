import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backward } from './autograd.js';
import { mul } from './elementwise.js';
import { embedding, gatherRows, scatterAdd } from './gather.js';
import { sum } from './reduce.js';
import { expectGradientsMatch, param } from './test-support.js';
import { Tensor, tensor } from './tensor.js';

const idsArb = (rows: number) => fc.array(fc.integer({ min: 0, max: rows - 1 }), { minLength: 1, maxLength: 6 }).map((a) => Int32Array.from(a));

describe('gather and scatter', () => {
  it('have central-difference gradients, repeated ids included', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 3 }), fc.nat(), (rows, width, seed) => {
        const ids = Int32Array.from({ length: 4 }, (_, i) => (i * 7 + seed) % rows);
        const x = param([rows, width], seed);
        const src = param([ids.length, width], seed + 1);
        expectGradientsMatch((t) => gatherRows(t, ids, [2, 2]), [x]);
        expectGradientsMatch((t, s) => scatterAdd(t, ids, s), [x, src]);
      }),
      { numRuns: 20 },
    );
  });

  it('embedding gives a row-sparse gradient equal to the dense one on touched rows, zero elsewhere', () => {
    fc.assert(
      fc.property(idsArb(8), fc.nat(), (ids, seed) => {
        const dense = param([8, 3], seed);
        const sparse = new Tensor(dense.data.slice(), [8, 3], { requiresGrad: true, sparse: true });
        const weights = param([ids.length, 3], seed + 1);
        weights.requiresGrad = false;
        backward(sum(mul(gatherRows(dense, ids), weights)));
        backward(sum(mul(embedding(sparse, ids), weights)));
        expect(sparse.grad).toBeNull();
        const rebuilt = new Float32Array(24);
        sparse.sparseGrad?.addTo(rebuilt);
        expect(Array.from(rebuilt)).toEqual(Array.from(dense.grad ?? []));
        expect(new Set(sparse.sparseGrad?.rowIds())).toEqual(new Set(ids));
      }),
      { numRuns: 30 },
    );
  });

  it('names the id and the table when an id is out of range', () => {
    expect(() => embedding(tensor([1, 2, 3, 4], [2, 2]), Int32Array.from([0, 2]))).toThrow(/index 2 \(position 1\) is out of range for shape \[2, 2\]/);
    expect(() => scatterAdd(tensor([1, 2], [1, 2]), Int32Array.from([0]), tensor([1, 2, 3], [1, 3]))).toThrow(/src shape \[1, 3\] does not match x shape \[1, 2\]/);
  });
});
