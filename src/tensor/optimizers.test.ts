import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backward } from './autograd.js';
import { mul } from './elementwise.js';
import { embedding, gatherRows } from './gather.js';
import { Adam, AdamW, AdaGrad, Sgd, clipGradNorm } from './optimizers.js';
import type { Optimizer } from './optimizers.js';
import { sum } from './reduce.js';
import { warmupCosine, warmupMultiStep } from './schedules.js';
import { param } from './test-support.js';
import { Tensor, tensor } from './tensor.js';

type Make = (params: Tensor[]) => Optimizer;
const makers: [string, Make][] = [
  ['sgd', (p) => new Sgd(p, { lr: 0.1 })],
  ['sgd+momentum', (p) => new Sgd(p, { lr: 0.1, momentum: 0.9, nesterov: true, weightDecay: 0.01 })],
  ['adagrad', (p) => new AdaGrad(p, { lr: 1 })],
  ['adam', (p) => new Adam(p, { lr: 0.05, weightDecay: 0.01 })],
  ['adamw', (p) => new AdamW(p, { lr: 0.05 })],
];

describe.each(makers)('%s', (_name, make) => {
  it('minimises a quadratic', () => {
    const x = tensor([3, -2], [1, 2], { requiresGrad: true });
    const opt = make([x]);
    for (let i = 0; i < 300; i++) {
      opt.zeroGrad();
      backward(sum(mul(x, x)));
      opt.step();
    }
    expect(Math.abs(x.data[0] as number)).toBeLessThan(0.05);
  });

  it('sparse updates equal dense updates on rows touched at every step, and leave other rows alone', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 4 }), fc.nat(), (always, seed) => {
        const start = param([10, 3], seed);
        const dense = new Tensor(start.data.slice(), [10, 3], { requiresGrad: true });
        const sparse = new Tensor(start.data.slice(), [10, 3], { requiresGrad: true, sparse: true });
        const [od, os] = [make([dense]), make([sparse])];
        for (let step = 0; step < 3; step++) {
          // Rows `always` plus one row that changes per step (6..9).
          const ids = Int32Array.from([...always, 6 + ((step + seed) % 4)]);
          const w = param([ids.length, 3], `${seed}/${step}`);
          w.requiresGrad = false;
          od.zeroGrad();
          os.zeroGrad();
          backward(sum(mul(gatherRows(dense, ids), w)));
          backward(sum(mul(embedding(sparse, ids), w)));
          od.step();
          os.step();
        }
        for (const row of always) {
          for (let j = 0; j < 3; j++) expect(sparse.data[row * 3 + j]).toBeCloseTo(dense.data[row * 3 + j] as number, 5);
        }
        for (let row = 0; row < 6; row++) {
          if (!always.includes(row)) expect(Array.from(sparse.data.subarray(row * 3, row * 3 + 3))).toEqual(Array.from(start.data.subarray(row * 3, row * 3 + 3)));
        }
      }),
      { numRuns: 15 },
    );
  });
});

describe('Adam', () => {
  it('takes a first step of size lr in the direction of -sign(g) (bias correction)', () => {
    const x = tensor([1, 1], [2], { requiresGrad: true });
    x.grad = new Float32Array([0.3, -5]);
    new Adam([x], { lr: 0.1 }).step();
    expect(x.data[0]).toBeCloseTo(0.9, 5);
    expect(x.data[1]).toBeCloseTo(1.1, 5);
  });

  it('AdamW decays matrices but not vectors', () => {
    const w = tensor([1, 1], [1, 2], { requiresGrad: true });
    const b = tensor([1, 1], [2], { requiresGrad: true });
    w.grad = new Float32Array(2);
    b.grad = new Float32Array(2);
    new AdamW([w, b], { lr: 0.1, weightDecay: 0.5 }).step();
    expect(w.data[0]).toBeCloseTo(0.95, 6);
    expect(b.data[0]).toBe(1);
  });
});

describe('clipGradNorm', () => {
  it('scales dense and sparse gradients together to the max norm', () => {
    const a = tensor([0, 0], [2], { requiresGrad: true });
    a.grad = new Float32Array([3, 0]);
    const table = new Tensor(new Float32Array(4), [2, 2], { requiresGrad: true, sparse: true });
    backward(sum(mul(embedding(table, Int32Array.from([1])), tensor([4, 0], [1, 2]))));
    expect(clipGradNorm([a, table], 1)).toBeCloseTo(5, 6);
    expect(a.grad[0]).toBeCloseTo(0.6, 6);
    expect(table.sparseGrad?.rows()[0]).toBeCloseTo(0.8, 6);
  });
});

describe('schedules', () => {
  it('warmupCosine rises linearly, peaks at baseLr and ends at minLr', () => {
    const lr = warmupCosine({ baseLr: 1, warmupSteps: 10, totalSteps: 110, minLr: 0.1 });
    expect(lr(0)).toBeCloseTo(0.1, 9);
    expect(lr(9)).toBeCloseTo(1, 9);
    expect(lr(60)).toBeCloseTo(0.55, 9);
    expect(lr(110)).toBeCloseTo(0.1, 9);
  });

  it("warmupMultiStep follows DeepSeek LLM: full rate, 31.6% after 80% of steps, 10% after 90%", () => {
    const lr = warmupMultiStep({ baseLr: 2, warmupSteps: 5, totalSteps: 100 });
    expect(lr(4)).toBe(2);
    expect(lr(79)).toBe(2);
    expect(lr(80)).toBeCloseTo(0.632, 9);
    expect(lr(89)).toBeCloseTo(0.632, 9);
    expect(lr(90)).toBeCloseTo(0.2, 9);
    expect(() => warmupMultiStep({ baseLr: 1, warmupSteps: 0, totalSteps: 10, milestones: [0.9, 0.8] })).toThrow(/must rise/);
  });
});
