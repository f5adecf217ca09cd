import { describe, expect, it } from 'vitest';
import { fitCtrModel } from './fit.js';
import { FtrlLogisticRegression } from './ftrl-logistic-regression.js';
import { expectGradientsClose, finiteDifference, referenceLoss } from './gradient-check.js';
import { SparseBatchBuilder } from './sparse-batch.js';
import { plantedCtrData } from './test-data.js';

describe('FtrlLogisticRegression', () => {
  it('feeds FTRL the gradient of logloss (finite differences at a trained, non-zero point)', () => {
    const { batch } = plantedCtrData({ rows: 200, randomValues: true });
    const model = new FtrlLogisticRegression({ nFeatures: batch.nFeatures, nFields: batch.nFields, config: { alpha: 0.3, l1: 0, l2: 0.5 } });
    model.trainRows(batch, Int32Array.from({ length: 199 }, (_, i) => i));
    const row = 199;
    const w = Float64Array.from(model.weights());
    const z = model.z.slice();
    const n = model.n.slice();
    model.trainRows(batch, Int32Array.of(row));

    // Algorithm 1: n_i += g_i^2 and z_i += g_i - sigma_i w_i, sigma_i = (sqrt(n_i + g_i^2) - sqrt(n_i)) / alpha.
    const bias = batch.nFeatures;
    const entries = Array.from({ length: (batch.offsets[row + 1] as number) - (batch.offsets[row] as number) }, (_, e) => (batch.offsets[row] as number) + e);
    const values = new Map(entries.map((p) => [batch.indices[p] as number, batch.values[p] as number]));
    const objective = (weights: Float64Array) => {
      let t = weights[bias] as number;
      for (const [i, x] of values) t += (weights[i] as number) * x;
      return referenceLoss(t, batch.labels[row] as number);
    };
    const pairs = [bias, ...values.keys()].map((i) => {
      const sigma = (Math.sqrt(model.n[i] as number) - Math.sqrt(n[i] as number)) / model.config.alpha;
      return { name: `coordinate ${i}`, analytic: (model.z[i] as number) - (z[i] as number) + sigma * (w[i] as number), numeric: finiteDifference(objective, w, i) };
    });
    expectGradientsClose(pairs, { absolute: 1e-5, relative: 1e-3 });
    for (const { numeric } of pairs) expect(Math.abs(numeric)).toBeGreaterThan(1e-4);
  });

  it('sets a weight to exactly 0 while |z| <= l1 and leaves the bias unpenalised (McMahan et al. 2013)', () => {
    const model = new FtrlLogisticRegression({ nFeatures: 2, nFields: 1, config: { l1: 1 } });
    model.z.set([0.9, -1.5, 0.9]);
    model.n.set([4, 4, 4]);
    expect(model.weight(0)).toBe(0);
    expect(model.weight(1)).toBeCloseTo(-(-1.5 + 1) / ((1 + 2) / model.config.alpha + model.config.l2), 6);
    expect(model.weight(2)).not.toBe(0); // the bias: |z| below l1, yet a weight
  });

  it('learns the sign of each feature on separable data', () => {
    const builder = new SparseBatchBuilder();
    for (let r = 0; r < 400; r++) {
      const positive = r % 2 === 0;
      builder.push({ label: positive ? 1 : 0, fields: [0], indices: [positive ? 0 : 1], values: [1] });
    }
    const batch = builder.build();
    const model = new FtrlLogisticRegression({ nFeatures: 2, nFields: 1, config: { alpha: 0.5, l1: 0, l2: 0 } });
    fitCtrModel(model, batch, { epochs: 3 });
    expect(model.predict(batch, 0)).toBeGreaterThan(0.9);
    expect(model.predict(batch, 1)).toBeLessThan(0.1);
  });

  it('refuses hyperparameters FTRL cannot use', () => {
    expect(() => new FtrlLogisticRegression({ nFeatures: 1, nFields: 1, config: { alpha: 0 } })).toThrow(/alpha > 0/);
    expect(() => new FtrlLogisticRegression({ nFeatures: 1, nFields: 1, config: { l1: -1 } })).toThrow(/l1/);
  });
});
