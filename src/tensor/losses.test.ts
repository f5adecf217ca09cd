import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bceWithLogits, sampledSoftmaxLoss, softmaxCrossEntropy } from './losses.js';
import { expectGradientsMatch, param } from './test-support.js';
import { Tensor, tensor } from './tensor.js';

describe('losses', () => {
  it('have textbook values: BCE at logit 0 is ln 2, CE of uniform logits is ln C', () => {
    expect(bceWithLogits(tensor([0, 0]), new Float32Array([0, 1])).item()).toBeCloseTo(Math.LN2, 6);
    expect(softmaxCrossEntropy(tensor([0, 0, 0, 0], [1, 4]), Int32Array.from([2])).item()).toBeCloseTo(Math.log(4), 6);
    expect(bceWithLogits(tensor([1000]), new Float32Array([0])).item()).toBeCloseTo(1000, 3);
  });

  it('have central-difference gradients', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 2, max: 5 }), fc.nat(), (n, c, seed) => {
        const targets = Float32Array.from({ length: n * c }, (_, i) => ((i + seed) % 3) / 2);
        const labels = Int32Array.from({ length: n }, (_, i) => (i + seed) % c);
        expectGradientsMatch((z) => bceWithLogits(z, targets), [param([n, c], seed)]);
        expectGradientsMatch((z) => softmaxCrossEntropy(z, labels), [param([n, c], seed)]);
      }),
      { numRuns: 20 },
    );
  });

  it('sampled softmax has gradients for query and items and masks accidental hits', () => {
    const query = param([3, 4], 1, 0.5);
    const items = param([6, 4], 2, 0.5);
    const positives = Int32Array.from([0, 1, 2]);
    const negatives = Int32Array.from([3, 1, 5]);
    const logQ = Float32Array.from([-1, -2, -1.5, -0.5, -3, -1]);
    expectGradientsMatch((q, e) => sampledSoftmaxLoss({ query: q, items: e, positives, negatives, logQ, temperature: 0.5 }), [query, items]);
    // Row 1's positive (item 1) is also negative 1: masked, so the loss equals CE over the other columns.
    const single = sampledSoftmaxLoss({ query: tensor([1, 0, 0, 0], [1, 4]), items: tensor([...new Array<number>(4).fill(0), 2, 0, 0, 0, 1, 0, 0, 0], [3, 4]), positives: Int32Array.from([1]), negatives: Int32Array.from([1, 2]) });
    expect(single.item()).toBeCloseTo(-Math.log(Math.exp(2) / (Math.exp(2) + Math.exp(1))), 5);
  });

  it('name the shapes when labels or ids do not fit', () => {
    expect(() => softmaxCrossEntropy(tensor([1, 2], [1, 2]), Int32Array.from([0, 1]))).toThrow(/logits \[1, 2\] need \[N, C\] with N = 2/);
    expect(() => sampledSoftmaxLoss({ query: new Tensor(new Float32Array(6), [2, 3]), items: new Tensor(new Float32Array(8), [2, 4]), positives: Int32Array.from([0, 1]), negatives: Int32Array.from([0]) })).toThrow(
      /query \[2, 3\] and items \[2, 4\]/,
    );
  });
});
