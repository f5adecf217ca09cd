import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { auc, calibrationRatio, classificationMetrics, gauc, logloss, normalizedEntropy, reliabilityBins } from './classification.js';

/** AUC by its definition: over every (positive, negative) pair, 1 if the positive scores higher, 1/2 on a tie. */
function pairCountAuc(scores: number[], labels: number[]): number {
  let wins = 0;
  let pairs = 0;
  scores.forEach((sp, i) => {
    if (labels[i] !== 1) return;
    scores.forEach((sn, j) => {
      if (labels[j] !== 0) return;
      pairs++;
      wins += sp > sn ? 1 : sp === sn ? 0.5 : 0;
    });
  });
  return pairs === 0 ? Number.NaN : wins / pairs;
}

// Few distinct scores, so ties are common.
const scored = fc.array(fc.record({ score: fc.integer({ min: 0, max: 5 }).map((s) => s / 5), label: fc.integer({ min: 0, max: 1 }) }), { maxLength: 40 });

describe('auc', () => {
  it('equals the brute-force pair count, ties counting one half', () => {
    fc.assert(
      fc.property(scored, (rows) => {
        const scores = rows.map((r) => r.score);
        const labels = rows.map((r) => r.label);
        const expected = pairCountAuc(scores, labels);
        if (Number.isNaN(expected)) expect(auc(scores, labels)).toBeNaN();
        else expect(auc(scores, labels)).toBeCloseTo(expected, 12);
      }),
    );
  });

  it('is 1 for a perfect ranking, 0.5 when every score ties, NaN with one class', () => {
    expect(auc([0.1, 0.2, 0.8, 0.9], [0, 0, 1, 1])).toBe(1);
    expect(auc([0.3, 0.3, 0.3], [0, 1, 1])).toBe(0.5);
    expect(auc([0.3, 0.4], [1, 1])).toBeNaN();
  });
});

describe('gauc', () => {
  it("weights each group's AUC by its impressions and skips groups with one class", () => {
    // Group 1: perfect (AUC 1, 4 rows). Group 2: inverted (AUC 0, 2 rows). Group 3: all clicks (skipped).
    const scores = [0.9, 0.8, 0.2, 0.1, 0.1, 0.9, 0.5, 0.6];
    const labels = [1, 1, 0, 0, 1, 0, 1, 1];
    const groups = [1, 1, 1, 1, 2, 2, 3, 3];
    expect(gauc(scores, labels, groups)).toEqual({ gauc: (4 * 1 + 2 * 0) / 6, groups: 2, skippedGroups: 1, rows: 6 });
  });
});

describe('logloss, normalised entropy, calibration', () => {
  it('computes the mean cross-entropy and clips certain mistakes instead of returning Infinity', () => {
    expect(logloss([0.8, 0.4], [1, 0])).toBeCloseTo(-(Math.log(0.8) + Math.log(0.6)) / 2, 12);
    expect(Number.isFinite(logloss([0], [1]))).toBe(true);
  });

  it('gives normalised entropy 1 to the constant base-rate predictor (He et al. 2014)', () => {
    expect(normalizedEntropy([0.25, 0.25, 0.25, 0.25], [1, 0, 0, 0])).toBeCloseTo(1, 12);
    expect(normalizedEntropy([0.9, 0.1, 0.1, 0.1], [1, 0, 0, 0])).toBeLessThan(1);
  });

  it('reports predicted over observed clicks, and reliability bins with the mean prediction and the observed rate', () => {
    expect(calibrationRatio([0.5, 0.5, 0.5, 0.5], [1, 0, 0, 0])).toBe(2);
    const bins = reliabilityBins([0.05, 0.15, 0.12, 0.95], [0, 1, 0, 1], 10);
    expect(bins).toEqual([
      { lower: 0, upper: 0.1, count: 1, meanPredicted: 0.05, observedRate: 0 },
      { lower: 0.1, upper: 0.2, count: 2, meanPredicted: (0.15 + 0.12) / 2, observedRate: 0.5 },
      { lower: 0.9, upper: 1, count: 1, meanPredicted: 0.95, observedRate: 1 },
    ]);
    expect(reliabilityBins([1], [1], 4)[0]?.upper).toBe(1); // p = 1 falls in the last bin
  });

  it('gathers the metrics and refuses arrays of different lengths', () => {
    expect(classificationMetrics([0.9, 0.1], [1, 0])).toMatchObject({ count: 2, positives: 1, auc: 1, calibrationRatio: 1 });
    expect(() => auc([0.1], [1, 0])).toThrow(/1 scores, 2 labels/);
  });
});
