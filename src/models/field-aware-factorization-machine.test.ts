import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FieldAwareFactorizationMachine } from './field-aware-factorization-machine.js';
import { fitCtrModel } from './fit.js';
import { expectGradientsClose, finiteDifference, referenceLoss } from './gradient-check.js';
import { rowScale, SparseBatchBuilder, type SparseBatch } from './sparse-batch.js';
import { plantedCtrData } from './test-data.js';

const N_FEATURES = 10;
const N_FIELDS = 4;

interface Entry {
  field: number;
  feature: number;
  value: number;
}

function oneRow(entries: Entry[], label = 1): SparseBatch {
  const builder = new SparseBatchBuilder();
  builder.push({ label, fields: entries.map((e) => e.field), indices: entries.map((e) => e.feature), values: entries.map((e) => e.value) });
  return builder.build({ nFeatures: N_FEATURES, nFields: N_FIELDS });
}

/**
 * Juan et al. 2016 eq. 3 pair by pair, from a float64 parameter vector laid out as the model's arrays
 * [bias, linear[n], weights[n * m * k]].
 */
function referenceLogit(p: Float64Array, entries: Entry[], options: { k: number; normalize: boolean; linear: boolean }): number {
  const { k } = options;
  const w = (feature: number, field: number, d: number) => p[1 + N_FEATURES + (feature * N_FIELDS + field) * k + d] as number;
  const norm = entries.reduce((s, e) => s + Math.fround(e.value) ** 2, 0);
  const scale = options.normalize && norm > 1e-30 ? Math.fround(1 / norm) : 1;
  let t = options.linear ? (p[0] as number) : 0;
  entries.forEach((a, i) => {
    if (options.linear) t += (p[1 + a.feature] as number) * Math.fround(a.value);
    for (const b of entries.slice(i + 1)) {
      let dot = 0;
      for (let d = 0; d < k; d++) dot += w(a.feature, b.field, d) * w(b.feature, a.field, d);
      t += dot * Math.fround(a.value) * Math.fround(b.value) * scale;
    }
  });
  return t;
}

function parametersOf(model: FieldAwareFactorizationMachine): Float64Array {
  return Float64Array.from([...model.bias, ...model.linear, ...model.weights]);
}

const entryArbitrary = fc.record({
  field: fc.integer({ min: 0, max: N_FIELDS - 1 }),
  feature: fc.integer({ min: 0, max: N_FEATURES - 1 }),
  value: fc.double({ min: -2, max: 2, noNaN: true }),
});

describe('FieldAwareFactorizationMachine', () => {
  it('scores every row as the pair-by-pair formula, for k a multiple of 4 (unrolled) or not', () => {
    fc.assert(
      fc.property(fc.array(entryArbitrary, { maxLength: 8 }), fc.constantFrom(1, 3, 4, 8), fc.boolean(), fc.boolean(), (entries, k, normalize, linear) => {
        const model = new FieldAwareFactorizationMachine({ nFeatures: N_FEATURES, nFields: N_FIELDS, config: { k, normalize, linear }, seed: k });
        model.linear.forEach((_, i) => (model.linear[i] = Math.sin(i)));
        model.bias[0] = -0.5;
        const expected = referenceLogit(parametersOf(model), entries, { k, normalize, linear });
        expect(model.logit(oneRow(entries), 0)).toBeCloseTo(expected, 6);
      }),
    );
  });

  it("trains with the same forward pass it serves with: a row's training loss is the loss of its score", () => {
    const { batch } = plantedCtrData({ rows: 50, nFields: N_FIELDS, perField: 2, randomValues: true });
    const model = new FieldAwareFactorizationMachine({ nFeatures: batch.nFeatures, nFields: batch.nFields, config: { k: 4 } });
    for (let r = 0; r < batch.size; r++) {
      const expected = referenceLoss(model.logit(batch, r), batch.labels[r] as number);
      expect(model.trainRows(batch, Int32Array.of(r))).toBeCloseTo(expected, 6);
    }
  });

  const gradientCases: [string, { k: number; normalize: boolean; linear: boolean; lambda: number }][] = [
    ['k = 4, normalised, with linear terms', { k: 4, normalize: true, linear: true, lambda: 0.01 }],
    ['k = 3, raw values, pairs only', { k: 3, normalize: false, linear: false, lambda: 0 }],
    // k = 4 and k = 8 have their own training loops, any other k the generic one (by fours when it can).
    ['k = 8, raw values, with linear terms', { k: 8, normalize: false, linear: true, lambda: 0.01 }],
    ['k = 12, normalised, pairs only', { k: 12, normalize: true, linear: false, lambda: 0.001 }],
  ];
  it.each((['coordinate', 'row'] as const).flatMap((adagrad) => gradientCases.map(([name, config]) => [`${adagrad} accumulators, ${name}`, { ...config, adagrad }] as const)))(
    'takes an AdaGrad step along the gradient of logloss + L2 (finite differences, %s)',
    (_, config) => {
      const lr = 0.1;
      const { k, adagrad } = config;
      const model = new FieldAwareFactorizationMachine({ nFeatures: N_FEATURES, nFields: N_FIELDS, config: { ...config, learningRate: lr }, seed: 5 });
      model.linear.forEach((_, i) => (model.linear[i] = 0.2 * Math.cos(i)));
      // One entry per field: each (feature, field) vector is in exactly one pair, so the step is one gradient step.
      const entries: Entry[] = [
        { field: 0, feature: 1, value: 1 },
        { field: 1, feature: 3, value: 0.5 },
        { field: 2, feature: 6, value: -1.25 },
        { field: 3, feature: 8, value: 2 },
      ];
      const batch = oneRow(entries, 0);
      const before = parametersOf(model);
      const accumulators = Float64Array.from([...model.biasG, ...model.linearG, ...model.weightsG]);
      model.trainRows(batch, Int32Array.of(0));
      const after = parametersOf(model);
      const accumulatorsAfter = Float64Array.from([...model.biasG, ...model.linearG, ...model.weightsG]);
      // Parameter i's accumulator: its own, or (row-wise) its latent vector's.
      const latentStart = 1 + N_FEATURES;
      const accumulatorOf = (i: number) => (adagrad === 'row' && i >= latentStart ? latentStart + Math.floor((i - latentStart) / k) : i);
      expect(model.weightsG.length).toBe(N_FEATURES * N_FIELDS * (adagrad === 'row' ? 1 : k));

      const touched = touchedParameters(entries, config);
      const objective = (p: Float64Array) => {
        let l2 = 0;
        for (const i of touched) if (i > 0) l2 += (p[i] as number) ** 2;
        return referenceLoss(referenceLogit(p, entries, config), 0) + 0.5 * config.lambda * l2;
      };
      // AdaGrad moved each touched parameter by -lr g / sqrt(G after the step): recover g from the step and G.
      const pairs = touched.map((i) => ({
        name: `parameter ${i}`,
        analytic: (-((after[i] as number) - (before[i] as number)) * Math.sqrt(accumulatorsAfter[accumulatorOf(i)] as number)) / lr,
        numeric: finiteDifference(objective, before, i),
      }));
      expectGradientsClose(pairs, { absolute: 1e-5, relative: 2e-3 });
      // And each accumulator grew by exactly g^2 (row-wise: the mean g^2 of its vector's k coordinates).
      const growth = new Map<number, number>();
      pairs.forEach(({ analytic }, n) => {
        const i = touched[n] as number;
        const share = adagrad === 'row' && i >= latentStart ? 1 / k : 1;
        growth.set(accumulatorOf(i), (growth.get(accumulatorOf(i)) ?? 0) + share * analytic * analytic);
      });
      for (const [a, grown] of growth) expect((accumulatorsAfter[a] as number) - (accumulators[a] as number)).toBeCloseTo(grown, 4);
      // Untouched parameters and accumulators did not move.
      after.forEach((value, i) => {
        if (!touched.includes(i)) expect(value).toBe(before[i]);
      });
      accumulatorsAfter.forEach((value, a) => {
        if (!growth.has(a)) expect(value).toBe(accumulators[a]);
      });
    },
  );

  it('ranks planted interactions: test logloss clearly under the base rate', () => {
    const train = plantedCtrData({ rows: 4_000, seed: 'ffm-train' });
    const test = plantedCtrData({ rows: 2_000, seed: 'ffm-test' });
    const model = new FieldAwareFactorizationMachine({ nFeatures: train.batch.nFeatures, nFields: train.batch.nFields, config: { k: 4, lambda: 1e-4 } });
    fitCtrModel(model, train.batch, { epochs: 6 });
    const loss = meanLoss(model.predictBatch(test.batch), test.batch.labels);
    const rate = test.batch.labels.reduce((s, y) => s + y, 0) / test.batch.size;
    expect(loss).toBeLessThan(meanLoss(new Float32Array(test.batch.size).fill(rate), test.batch.labels) * 0.95);
  });

  it('scores one sample given as arrays as it scores the same row in a batch', () => {
    const { batch } = plantedCtrData({ rows: 5, nFields: N_FIELDS, perField: 2, randomValues: true });
    const model = new FieldAwareFactorizationMachine({ nFeatures: batch.nFeatures, nFields: batch.nFields });
    const [from, to] = [batch.offsets[3] as number, batch.offsets[4] as number];
    const sample = { fields: batch.fields.subarray(from, to), indices: batch.indices.subarray(from, to), values: batch.values.subarray(from, to) };
    expect(model.predictSample(sample)).toBeCloseTo(model.predictBatch(batch)[3] as number, 6);
  });

  it('keeps a row of near-zero values finite under instance normalisation', () => {
    const model = new FieldAwareFactorizationMachine({ nFeatures: N_FEATURES, nFields: N_FIELDS });
    const batch = oneRow([{ field: 0, feature: 0, value: 1e-40 }, { field: 1, feature: 1, value: 1e-40 }]);
    expect(rowScale(batch, 0)).toBe(1);
    expect(Number.isFinite(model.logit(batch, 0))).toBe(true);
  });
});

/** Indices (in parametersOf's layout) of the bias, the row's linear weights and the vectors its pairs use. */
function touchedParameters(entries: Entry[], config: { k: number; linear: boolean }): number[] {
  const { k } = config;
  const out: number[] = config.linear ? [0, ...entries.map((e) => 1 + e.feature)] : [];
  entries.forEach((a, i) => {
    for (const b of entries.slice(i + 1)) {
      for (let d = 0; d < k; d++) {
        out.push(1 + N_FEATURES + (a.feature * N_FIELDS + b.field) * k + d, 1 + N_FEATURES + (b.feature * N_FIELDS + a.field) * k + d);
      }
    }
  });
  return out;
}

function meanLoss(p: ArrayLike<number>, labels: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < labels.length; i++) sum -= (labels[i] as number) > 0.5 ? Math.log(p[i] as number) : Math.log(1 - (p[i] as number));
  return sum / labels.length;
}
