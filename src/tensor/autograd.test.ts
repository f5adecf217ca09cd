import { describe, expect, it } from 'vitest';
import { MemoryAccountant, backward, isGradEnabled, noGrad, withAccountant } from './autograd.js';
import { add, mul } from './elementwise.js';
import { matmul } from './matmul.js';
import { sum } from './reduce.js';
import { param } from './test-support.js';
import { tensor } from './tensor.js';

describe('autograd', () => {
  it('adds the gradients of every use of a tensor (x·x + x has gradient 2x + 1)', () => {
    const x = tensor([1, -2, 3], [3], { requiresGrad: true });
    backward(sum(add(mul(x, x), x)));
    expect(Array.from(x.grad ?? [])).toEqual([3, -3, 7]);
  });

  it('accumulates across backward passes until zeroGrad', () => {
    const x = tensor([2], [1], { requiresGrad: true });
    backward(sum(mul(x, 3)));
    backward(sum(mul(x, 3)));
    expect(x.grad?.[0]).toBe(6);
    x.zeroGrad();
    expect(x.grad).toBeNull();
  });

  it('records nothing under noGrad', () => {
    const x = param([2, 2], 1);
    const y = noGrad(() => {
      expect(isGradEnabled()).toBe(false);
      return matmul(x, x);
    });
    expect(isGradEnabled()).toBe(true);
    expect(y.node).toBeNull();
    expect(y.requiresGrad).toBe(false);
  });

  it('frees the tape: intermediate tensors lose their node and gradient after backward', () => {
    const x = param([2, 2], 1);
    const h = matmul(x, x);
    backward(sum(h));
    expect(h.node).toBeNull();
    expect(h.grad).toBeNull();
    expect(x.grad).not.toBeNull();
  });

  it('counts live activation bytes: outputs stay alive until their backward rule has run', () => {
    const counter = new MemoryAccountant();
    const x = param([4, 4], 1);
    withAccountant(counter, () => {
      const loss = sum(matmul(matmul(x, x), x)); // two [4, 4] products (64 bytes each) and a scalar (4)
      expect(counter.liveBytes).toBe(64 + 64 + 4);
      backward(loss);
    });
    expect(counter.peakBytes).toBe(132);
    expect(counter.liveBytes).toBe(0);
  });

  it('refuses a non-scalar root without a gradient, naming its shape', () => {
    expect(() => backward(param([2, 3], 1))).toThrow(/root has shape \[2, 3\]/);
    expect(() => backward(param([2], 1), { gradient: new Float32Array(3) })).toThrow(/gradient has 3 values, root shape \[2\] has 2/);
  });
});
