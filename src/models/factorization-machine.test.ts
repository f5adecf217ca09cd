import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FactorizationMachine, type FmConfig } from './factorization-machine.js';
import { expectGradientsClose, finiteDifference, referenceLoss } from './gradient-check.js';
import { SparseBatchBuilder, rowScale, type SparseBatch } from './sparse-batch.js';
import { fitCtrModel } from './fit.js';
import { plantedCtrData } from './test-data.js';

const N_FEATURES = 12;

/** Rendle 2010 eq. 1 summed pair by pair: the reference for the O(kn) identity. */
function naiveLogit(model: FactorizationMachine, batch: SparseBatch, row: number): number {
  const k = model.config.k;
  const start = batch.offsets[row] as number;
  const end = batch.offsets[row + 1] as number;
  const scale = model.config.normalize ? rowScale(batch, row) : 1;
  let t = model.bias[0] as number;
  for (let a = start; a < end; a++) {
    const ja = batch.indices[a] as number;
    const xa = batch.values[a] as number;
    t += (model.linear[ja] as number) * xa;
    for (let b = a + 1; b < end; b++) {
      const jb = batch.indices[b] as number;
      let dot = 0;
      for (let f = 0; f < k; f++) dot += (model.factors[ja * k + f] as number) * (model.factors[jb * k + f] as number);
      t += dot * xa * (batch.values[b] as number) * scale;
    }
  }
  return t;
}

const rowArbitrary = fc.array(fc.record({ feature: fc.integer({ min: 0, max: N_FEATURES - 1 }), value: fc.double({ min: -2, max: 2, noNaN: true }) }), {
  minLength: 0,
  maxLength: 9,
});

function oneRow(entries: { feature: number; value: number }[], label = 1): SparseBatch {
  const builder = new SparseBatchBuilder();
  builder.push({ label, fields: entries.map(() => 0), indices: entries.map((e) => e.feature), values: entries.map((e) => e.value) });
  return builder.build({ nFeatures: N_FEATURES, nFields: 1 });
}

describe('FactorizationMachine', () => {
  it("computes the pairwise term in O(kn) equal to the naive sum over pairs (Rendle's Lemma 3.1), repeated features included", () => {
    fc.assert(
      fc.property(rowArbitrary, fc.integer({ min: 1, max: 9 }), fc.boolean(), fc.integer(), (entries, k, normalize, seed) => {
        const model = new FactorizationMachine({ nFeatures: N_FEATURES, nFields: 1, config: { k, normalize, initStd: 0.5 }, seed });
        model.linear.forEach((_, i) => (model.linear[i] = Math.sin(i)));
        model.bias[0] = 0.25;
        const batch = oneRow(entries);
        expect(model.logit(batch, 0)).toBeCloseTo(naiveLogit(model, batch, 0), 9);
      }),
    );
  });

  it.each<[string, Partial<FmConfig>]>([
    ['sgd without L2', { optimizer: 'sgd', lambda: 0 }],
    ['sgd with L2', { optimizer: 'sgd', lambda: 0.05 }],
    ['adagrad with L2 and normalisation', { optimizer: 'adagrad', lambda: 0.05, normalize: true }],
  ])('takes steps along the gradient of logloss + L2 (finite differences, %s)', (_, config) => {
    const lr = 0.01;
    const model = new FactorizationMachine({ nFeatures: N_FEATURES, nFields: 1, config: { k: 3, learningRate: lr, normalize: false, initStd: 0.4, ...config }, seed: 3 });
    model.linear.forEach((_, i) => (model.linear[i] = 0.1 * Math.cos(i)));
    // Distinct features: each weight gets exactly one update from the row.
    const batch = oneRow([{ feature: 1, value: 1 }, { feature: 4, value: 0.5 }, { feature: 7, value: -1.5 }, { feature: 9, value: 2 }], 1);
    const before = { bias: model.bias.slice(), linear: model.linear.slice(), factors: model.factors.slice() };
    model.trainRows(batch, Int32Array.of(0));

    // Analytic gradient from the step: SGD moves by -lr g; AdaGrad by -lr g / sqrt(G_new).
    const adagrad = model.config.optimizer === 'adagrad';
    const stepGradient = (name: 'bias' | 'linear' | 'factors', i: number) => {
      const delta = (model[name][i] as number) - (before[name][i] as number);
      return adagrad ? (-delta * Math.sqrt(model[`${name}G`][i] as number)) / lr : -delta / lr;
    };
    const params = Float64Array.from([...before.bias, ...before.linear, ...before.factors]);
    const k = model.config.k;
    const lambda = model.config.lambda;
    const scale = model.config.normalize ? rowScale(batch, 0) : 1;
    const objective = (p: Float64Array) => {
      let l2 = 0;
      for (const j of [1, 4, 7, 9]) {
        l2 += (p[1 + j] as number) ** 2;
        for (let f = 0; f < k; f++) l2 += (p[1 + N_FEATURES + j * k + f] as number) ** 2;
      }
      return referenceLoss(naiveLogitFromParams(p, batch, { k, n: N_FEATURES, scale }), 1) + 0.5 * lambda * l2;
    };
    const pairs = [{ name: 'bias', analytic: stepGradient('bias', 0), numeric: finiteDifference(objective, params, 0) }];
    for (const j of [1, 4, 7, 9]) {
      pairs.push({ name: `w${j}`, analytic: stepGradient('linear', j), numeric: finiteDifference(objective, params, 1 + j) });
      for (let f = 0; f < k; f++) {
        pairs.push({ name: `v${j},${f}`, analytic: stepGradient('factors', j * k + f), numeric: finiteDifference(objective, params, 1 + N_FEATURES + j * k + f) });
      }
    }
    expectGradientsClose(pairs, { absolute: 2e-5, relative: 2e-3 });
  });

  it('learns an interaction: its test logloss beats the base rate on planted data', () => {
    const train = plantedCtrData({ rows: 4_000, seed: 'fm-train' });
    const test = plantedCtrData({ rows: 2_000, seed: 'fm-test' });
    const model = new FactorizationMachine({ nFeatures: train.batch.nFeatures, nFields: train.batch.nFields, config: { k: 4, learningRate: 0.1 } });
    fitCtrModel(model, train.batch, { epochs: 8 });
    const p = model.predictBatch(test.batch);
    let loss = 0;
    let baseLoss = 0;
    const rate = test.batch.labels.reduce((s, y) => s + y, 0) / test.batch.size;
    for (let r = 0; r < test.batch.size; r++) {
      const y = test.batch.labels[r] as number;
      loss -= y > 0.5 ? Math.log(p[r] as number) : Math.log(1 - (p[r] as number));
      baseLoss -= y > 0.5 ? Math.log(rate) : Math.log(1 - rate);
    }
    expect(loss / test.batch.size).toBeLessThan((baseLoss / test.batch.size) * 0.95);
  });
});

/** The naive FM logit of row 0 from a flat float64 parameter vector [bias, linear[n], factors[n * k]]. */
function naiveLogitFromParams(p: Float64Array, batch: SparseBatch, shape: { k: number; n: number; scale: number }): number {
  const { k, n, scale } = shape;
  let t = p[0] as number;
  const start = batch.offsets[0] as number;
  const end = batch.offsets[1] as number;
  for (let a = start; a < end; a++) {
    const ja = batch.indices[a] as number;
    const xa = batch.values[a] as number;
    t += (p[1 + ja] as number) * xa;
    for (let b = a + 1; b < end; b++) {
      const jb = batch.indices[b] as number;
      let dot = 0;
      for (let f = 0; f < k; f++) dot += (p[1 + n + ja * k + f] as number) * (p[1 + n + jb * k + f] as number);
      t += dot * xa * (batch.values[b] as number) * scale;
    }
  }
  return t;
}
