import { describe, expect, it } from 'vitest';
import { Rng } from '../core/rng.js';
import { noGrad } from './autograd.js';
import { dropout, recordSeeds, replaySeeds } from './dropout.js';
import { expectGradientsMatch, param } from './test-support.js';
import { tensor } from './tensor.js';

describe('dropout', () => {
  it('drops about p of the elements, scales the rest by 1/(1-p), and is the same for the same seed', () => {
    const x = tensor(new Float32Array(10000).fill(1));
    const y = noGrad(() => dropout(x, 0.3, new Rng(7)));
    const kept = y.data.filter((v) => v !== 0);
    expect(kept.length / 10000).toBeGreaterThan(0.67);
    expect(kept.length / 10000).toBeLessThan(0.73);
    expect(kept[0]).toBeCloseTo(1 / 0.7, 6);
    expect(Array.from(noGrad(() => dropout(x, 0.3, new Rng(7))).data)).toEqual(Array.from(y.data));
  });

  it('has the gradient of its mask', () => {
    const x = param([3, 4], 1);
    // The mask depends on the seed drawn, so each evaluation replays the same recorded seed.
    const { seeds } = recordSeeds(() => dropout(x, 0.5, new Rng(3)));
    expectGradientsMatch((t) => replaySeeds(seeds, () => dropout(t, 0.5, new Rng(0))), [x]);
  });

  it('replays recorded seeds instead of drawing', () => {
    const x = tensor([1, 2, 3, 4, 5, 6, 7, 8]);
    const { result, seeds } = recordSeeds(() => dropout(x, 0.5, new Rng(11)));
    const again = replaySeeds(seeds, () => dropout(x, 0.5, new Rng('another')));
    expect(Array.from(again.data)).toEqual(Array.from(result.data));
  });

  it('rejects p outside [0, 1)', () => {
    expect(() => dropout(tensor([1]), 1, new Rng(1))).toThrow(/p must be in \[0, 1\), got 1/);
  });
});
