import { describe, expect, it } from 'vitest';
import { Rng } from '../core/rng.js';
import { MemoryAccountant, backward, withAccountant } from './autograd.js';
import { checkpoint } from './checkpoint.js';
import { dropout } from './dropout.js';
import { add, gelu, mul } from './elementwise.js';
import { matmul } from './matmul.js';
import { rmsNorm } from './norm.js';
import { sum } from './reduce.js';
import { param } from './test-support.js';
import type { Tensor } from './tensor.js';

/** Four residual blocks of norm → matmul → gelu → dropout → matmul, each optionally checkpointed. */
function model(useCheckpoint: boolean, seed: number): { loss: () => Tensor; params: Tensor[]; input: Tensor } {
  const input = param([6, 8], `${seed}/x`);
  const blocks = [0, 1, 2, 3].map((i) => ({ w1: param([8, 16], `${seed}/${i}/1`, 0.3), w2: param([16, 8], `${seed}/${i}/2`, 0.3), norm: param([8], `${seed}/${i}/n`) }));
  const rng = new Rng(seed);
  const loss = (): Tensor => {
    let h = input;
    for (const b of blocks) {
      const block = (x: Tensor): Tensor => add(x, matmul(dropout(gelu(matmul(rmsNorm(x, b.norm), b.w1)), 0.2, rng), b.w2));
      h = useCheckpoint ? checkpoint(block, h) : block(h);
    }
    return sum(mul(h, h));
  };
  return { loss, params: [input, ...blocks.flatMap((b) => [b.w1, b.w2, b.norm])], input };
}

describe('checkpoint', () => {
  it('gives the same gradients as the plain graph, dropout included', () => {
    const plain = model(false, 5);
    const ckpt = model(true, 5);
    const plainLoss = plain.loss();
    const ckptLoss = ckpt.loss();
    expect(ckptLoss.item()).toBe(plainLoss.item());
    backward(plainLoss);
    backward(ckptLoss);
    plain.params.forEach((p, i) => {
      const q = ckpt.params[i] as Tensor;
      expect(Array.from(q.grad ?? [])).toEqual(Array.from(p.grad ?? []));
    });
  });

  it('keeps fewer activation bytes alive at the peak, and releases them all after backward', () => {
    const peaks = [false, true].map((useCheckpoint) => {
      const m = model(useCheckpoint, 9);
      const counter = new MemoryAccountant();
      withAccountant(counter, () => backward(m.loss()));
      expect(counter.liveBytes).toBe(0);
      return counter.peakBytes;
    });
    const [plainPeak, ckptPeak] = peaks as [number, number];
    expect(ckptPeak).toBeLessThan(plainPeak / 2);
  });
});
