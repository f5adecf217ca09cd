import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backward } from './autograd.js';
import { packedAttention, scaledDotProductAttention } from './attention.js';
import { add, mul } from './elementwise.js';
import { permute, reshape } from './layout.js';
import { matmul } from './matmul.js';
import { cuSeqlensFromLengths, keyMaskFromCuSeqlens, packSequences, unpackSequences } from './packing.js';
import { softmax, sum } from './reduce.js';
import { expectGradientsMatch, param } from './test-support.js';
import { Tensor } from './tensor.js';

/** Attention composed from matmul and softmax with an additive mask: the reference for the fused op. */
function composedAttention(q: Tensor, k: Tensor, v: Tensor, mask: Float32Array): Tensor {
  const dh = q.shape[q.rank - 1] as number;
  const scores = add(mul(matmul(q, k, { transB: true }), 1 / Math.sqrt(dh)), new Tensor(mask, [q.shape[q.rank - 2] as number, k.shape[k.rank - 2] as number]));
  return matmul(softmax(scores), v);
}

describe('scaledDotProductAttention', () => {
  it('equals attention composed from matmul and softmax (causal)', () => {
    const [q, k, v] = [param([1, 5, 4], 1), param([1, 5, 4], 2), param([1, 5, 4], 3)];
    const mask = new Float32Array(25).map((_, i) => (i % 5 > Math.floor(i / 5) ? -1e9 : 0));
    const fused = scaledDotProductAttention(q, k, v, { causal: true });
    const reference = composedAttention(q, k, v, mask);
    fused.data.forEach((x, i) => expect(x).toBeCloseTo(reference.data[i] as number, 5));
  });

  it('has central-difference gradients, causal or not, with a key mask', () => {
    const dim = fc.integer({ min: 1, max: 4 });
    fc.assert(
      fc.property(dim, dim, dim, dim, fc.boolean(), fc.nat(), (batch, heads, t, dh, causal, seed) => {
        const shape = [batch, heads, t, dh];
        // Key 0 is always visible, so no query row is fully masked.
        const keyMask = Uint8Array.from({ length: batch * t }, (_, i) => (i % t === 0 || (i + seed) % 3 !== 0 ? 1 : 0));
        expectGradientsMatch((q, k, v) => scaledDotProductAttention(q, k, v, { causal, keyMask }), [param(shape, seed), param(shape, seed + 1), param(shape, seed + 2)]);
      }),
      { numRuns: 15 },
    );
  });

  it('outputs zeros for a query that sees no key', () => {
    const q = param([1, 2, 2], 1);
    const out = scaledDotProductAttention(q, q, q, { keyMask: new Uint8Array([0, 0]) });
    expect(Array.from(out.data)).toEqual([0, 0, 0, 0]);
  });

  it('names the shapes when k does not fit q', () => {
    expect(() => scaledDotProductAttention(param([1, 2, 3], 1), param([1, 2, 4], 2), param([1, 2, 4], 3))).toThrow(
      /q \[1, 2, 3\], k \[1, 2, 4\], v \[1, 2, 4\]: k must match q/,
    );
  });
});

describe('packed attention', () => {
  it('equals padded attention on the real tokens, values and gradients', () => {
    const lengthsArb = fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 4 });
    fc.assert(
      fc.property(lengthsArb, fc.boolean(), fc.nat(), (lengths, causal, seed) => {
        const heads = 2;
        const dh = 3;
        const maxLen = Math.max(...lengths);
        const cu = cuSeqlensFromLengths(lengths);
        const keyMask = keyMaskFromCuSeqlens(cu, maxLen);
        const x = [0, 1, 2].map((i) => param([lengths.length, maxLen, heads, dh], seed + i)); // q, k, v as [B, T, H, dh]
        const padded = scaledDotProductAttention(...(x.map((t) => permute(t, [0, 2, 1, 3])) as [Tensor, Tensor, Tensor]), { causal, keyMask });
        const paddedBack = permute(padded, [0, 2, 1, 3]); // [B, T, H, dh]
        const total = cu[cu.length - 1] as number;
        // Packed path: [total, H, dh] → [H, total, dh].
        const packedInputs = x.map((t) => {
          const leaf = new Tensor(t.data.slice(), t.shape, { requiresGrad: true });
          return { leaf, packed: permute(reshape(packSequences(leaf, cu), [total, heads, dh]), [1, 0, 2]) };
        });
        const [pq, pk, pv] = packedInputs.map((p) => p.packed) as [Tensor, Tensor, Tensor];
        const packedOut = permute(packedAttention(pq, pk, pv, cu, { causal }), [1, 0, 2]);
        const unpacked = unpackSequences(packedOut, cu, maxLen);
        // Compare on real tokens only: padding rows of the padded path attend to real keys and are garbage.
        const weights = new Float32Array(paddedBack.size);
        keyMask.forEach((real, row) => weights.fill(real === 1 ? 1 + (row % 3) : 0, row * heads * dh, (row + 1) * heads * dh));
        const w = new Tensor(weights, paddedBack.shape);
        paddedBack.data.forEach((v, i) => {
          if ((weights[i] as number) !== 0) expect(unpacked.data[i]).toBeCloseTo(v, 5);
        });
        backward(sum(mul(paddedBack, w)));
        backward(sum(mul(unpacked, w)));
        x.forEach((t, i) => {
          const g = packedInputs[i]?.leaf.grad ?? new Float32Array(0);
          (t.grad ?? new Float32Array(0)).forEach((v, j) => expect(g[j]).toBeCloseTo(v, 4));
        });
      }),
      { numRuns: 20 },
    );
  });

  it('rejects cuSeqlens that do not cover the tokens', () => {
    const q = param([1, 4, 2], 1);
    expect(() => packedAttention(q, q, q, Int32Array.from([0, 3]))).toThrow(/from 0 to total = 4, got 0 \.\. 3/);
  });
});
