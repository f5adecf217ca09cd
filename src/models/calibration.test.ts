import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rng } from '../core/index.js';
import { calibrate, downsamplingCorrection, fitIsotonic, fitPlatt, poolAdjacentViolators } from './calibration.js';
import { runCtrExperiment } from './ctr-experiment.js';
import { plantedCtrData } from './test-data.js';

describe('downsampling correction', () => {
  it('inverts the odds inflation of keeping a share w of the negatives: q = p / (p + (1 - p) w) maps back to p', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.001, max: 0.999, noNaN: true }), fc.double({ min: 0.01, max: 1, noNaN: true }), (p, w) => {
        // Keeping all positives and a share w of negatives turns a rate p into q.
        const q = p / (p + (1 - p) * w);
        expect(calibrate([downsamplingCorrection(w)], q)).toBeCloseTo(p, 9);
      }),
    );
  });

  it('makes a model trained on down-sampled data predict the true rate again (predicted/observed near 1)', () => {
    const train = plantedCtrData({ rows: 20_000, seed: 'calibration-train' });
    const test = plantedCtrData({ rows: 10_000, seed: 'calibration-test' });
    const run = (negativeRate: number) =>
      runCtrExperiment({ spec: { kind: 'lr', config: { alpha: 0.1, l1: 0 } }, train: train.batch, test: test.batch, negativeRate, fit: { epochs: 3 } });
    const corrected = run(0.2);
    expect(corrected.trainRows).toBeLessThan(train.batch.size * 0.7);
    expect(corrected.calibration).toEqual([{ kind: 'downsampling', negativeRate: 0.2 }]);
    expect(Math.abs(corrected.test.calibrationRatio - 1)).toBeLessThan(0.06);
    // Without the correction the same model would over-predict by far.
    const raw = corrected.model.predictBatch(test.batch).reduce((s, p) => s + p, 0) / test.batch.labels.reduce((s, y) => s + y, 0);
    expect(raw).toBeGreaterThan(1.3);
  });

  it('refuses a rate outside (0, 1]', () => {
    expect(() => downsamplingCorrection(0)).toThrow(/\(0, 1\]/);
    expect(() => downsamplingCorrection(1.5)).toThrow(/\(0, 1\]/);
  });
});

describe('Platt scaling', () => {
  it('recovers the slope and intercept that generated the labels from the scores', () => {
    const rng = new Rng('platt');
    const n = 40_000;
    const p = new Float64Array(n);
    const labels = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const s = rng.normal(0, 1.5);
      p[i] = 1 / (1 + Math.exp(-s)); // the model's probability, logit s
      labels[i] = rng.next() < 1 / (1 + Math.exp(-(0.5 * s - 1))) ? 1 : 0; // truth: sigma(0.5 s - 1)
    }
    const step = fitPlatt(p, labels);
    expect(step.kind).toBe('platt');
    if (step.kind !== 'platt') return;
    expect(step.a).toBeCloseTo(0.5, 1);
    expect(step.b).toBeCloseTo(-1, 1);
  });

  it('refuses inputs of different lengths or with non-finite values', () => {
    expect(() => fitPlatt([0.5], [1, 0])).toThrow(/as many/);
    expect(() => fitPlatt([Number.NaN], [1])).toThrow(/not finite/);
  });
});

describe('isotonic regression (pool adjacent violators)', () => {
  /** The min-max formula: f(i) = max_{j <= i} min_{l >= i} mean(y[j..l]) over points sorted by x (distinct x). */
  function bruteForce(y: number[]): number[] {
    return y.map((_, i) => {
      let best = -Infinity;
      for (let j = 0; j <= i; j++) {
        let worst = Infinity;
        for (let l = i; l < y.length; l++) {
          const slice = y.slice(j, l + 1);
          worst = Math.min(worst, slice.reduce((s, v) => s + v, 0) / slice.length);
        }
        best = Math.max(best, worst);
      }
      return best;
    });
  }

  it('equals the brute-force min-max solution on distinct x', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 1 }), { minLength: 1, maxLength: 12 }), (y) => {
        const x = y.map((_, i) => i / y.length);
        const blocks = poolAdjacentViolators(x, y);
        const fitted = blocks.flatMap((b) => Array.from({ length: b.weight }, () => b.sum / b.weight));
        bruteForce(y).forEach((v, i) => expect(fitted[i]).toBeCloseTo(v, 12));
      }),
    );
  });

  it('pools equal predictions before merging: x = [1, 2, 2], y = [0.4, 0, 1] gives 0.4 and 0.5', () => {
    const blocks = poolAdjacentViolators([1, 2, 2], [0.4, 0, 1]);
    expect(blocks.map((b) => b.sum / b.weight)).toEqual([0.4, 0.5]);
  });

  it('is non-decreasing, interpolates between blocks and is constant beyond them', () => {
    const step = fitIsotonic([0.1, 0.2, 0.3, 0.4, 0.5, 0.6], [0, 1, 0, 0, 1, 1]);
    const at = (p: number) => calibrate([step], p);
    expect(at(0)).toBe(at(0.1));
    expect(at(1)).toBe(1);
    for (let p = 0; p < 1; p += 0.01) expect(at(p + 0.01)).toBeGreaterThanOrEqual(at(p));
    // Blocks: {0.1} -> 0, {0.2, 0.3, 0.4} -> 1/3, {0.5, 0.6} -> 1; between 0.1 and 0.2 linear.
    expect(at(0.15)).toBeCloseTo(1 / 6, 9);
    expect(at(0.3)).toBeCloseTo(1 / 3, 9);
  });
});
