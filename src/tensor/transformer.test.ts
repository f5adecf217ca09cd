import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rng } from '../core/rng.js';
import { backward } from './autograd.js';
import { mul } from './elementwise.js';
import { Embedding, LayerNorm, Linear } from './layers.js';
import { cuSeqlensFromLengths, keyMaskFromCuSeqlens, packSequences, unpackSequences } from './packing.js';
import { sum } from './reduce.js';
import { param } from './test-support.js';
import { Tensor } from './tensor.js';
import { TransformerBlock } from './transformer.js';

describe('Module', () => {
  it('names parameters by field path in declaration order', () => {
    const block = new TransformerBlock({ dim: 4, nHeads: 2, interDim: 8 }, new Rng(1));
    expect(block.namedParameters().map(([name]) => name)).toEqual([
      'attnNorm.weight', 'attn.wq.weight', 'attn.wk.weight', 'attn.wv.weight', 'attn.wo.weight', 'ffnNorm.weight', 'ffn.w1.weight', 'ffn.w2.weight', 'ffn.w3.weight',
    ]);
    expect(block.parameterCount()).toBe(4 + 4 * 16 + 4 + 3 * 32);
    expect(block.eval().ffn.training).toBe(false);
  });

  it('Linear, LayerNorm and Embedding compute their forward', () => {
    const linear = new Linear(2, 1, { rng: new Rng(1) });
    linear.weight.data.set([2, 3]);
    expect(linear.forward(new Tensor(new Float32Array([1, 1]), [1, 2])).item()).toBe(5);
    expect(new LayerNorm(2).forward(new Tensor(new Float32Array([1, 3]), [1, 2])).data[1]).toBeCloseTo(1, 4);
    const emb = new Embedding(5, 3, { rng: new Rng(1) });
    expect(emb.weight.sparse).toBe(true);
    expect(emb.forward(Int32Array.from([4, 4]), [1, 2]).shape).toEqual([1, 2, 3]);
  });
});

describe('TransformerBlock', () => {
  it('gives the same values and parameter gradients packed as padded, on real tokens', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 3 }), fc.nat(), (lengths, seed) => {
        const dim = 4;
        const block = new TransformerBlock({ dim, nHeads: 2, interDim: 6, causal: seed % 2 === 0 }, new Rng(seed));
        const maxLen = Math.max(...lengths);
        const cu = cuSeqlensFromLengths(lengths);
        const keyMask = keyMaskFromCuSeqlens(cu, maxLen);
        const x = param([lengths.length, maxLen, dim], seed);
        x.requiresGrad = false;
        const weights = new Float32Array(x.size);
        keyMask.forEach((real, row) => weights.fill(real, row * dim, (row + 1) * dim));
        const w = new Tensor(weights, x.shape);

        const padded = block.forward(x, { kind: 'padded', keyMask });
        backward(sum(mul(padded, w)));
        const paddedGrads = block.parameters().map((p) => p.grad?.slice() ?? new Float32Array(0));
        block.zeroGrad();
        const packed = unpackSequences(block.forward(packSequences(x, cu), { kind: 'packed', cuSeqlens: cu }), cu, maxLen);
        backward(sum(mul(packed, w)));

        padded.data.forEach((v, i) => weights[i] !== 0 && expect(packed.data[i]).toBeCloseTo(v, 5));
        block.parameters().forEach((p, i) => (p.grad ?? []).forEach((g, j) => expect(g).toBeCloseTo(paddedGrads[i]?.[j] ?? Number.NaN, 4)));
      }),
      { numRuns: 10 },
    );
  });

  it('names the shape when the input does not fit the layout', () => {
    const block = new TransformerBlock({ dim: 4, nHeads: 2, interDim: 6 }, new Rng(1));
    expect(() => block.forward(param([3, 4], 1), { kind: 'padded' })).toThrow(/padded input must be \[B, T, dim\], got \[3, 4\]/);
    expect(() => new TransformerBlock({ dim: 5, nHeads: 2, interDim: 6 }, new Rng(1))).toThrow(/dim 5 is not a multiple of nHeads 2/);
  });
});
