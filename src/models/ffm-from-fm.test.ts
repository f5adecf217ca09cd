import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../core/index.js';
import { runCtrExperiment } from './ctr-experiment.js';
import { FactorizationMachine } from './factorization-machine.js';
import { initFfmFromFm } from './ffm-from-fm.js';
import { FieldAwareFactorizationMachine } from './field-aware-factorization-machine.js';
import { fitCtrModel, meanLogloss } from './fit.js';
import { plantedCtrData } from './test-data.js';

describe('initFfmFromFm', () => {
  const train = plantedCtrData({ rows: 1_500, nFields: 4, perField: 3, seed: 'warm-train', randomValues: true }).batch;
  const valid = plantedCtrData({ rows: 500, nFields: 4, perField: 3, seed: 'warm-valid', randomValues: true }).batch;
  const shape = { nFeatures: train.nFeatures, nFields: train.nFields };

  it.each([true, false])('makes the FFM score every row as the FM does (instance normalisation %s)', (normalize) => {
    const fm = new FactorizationMachine({ ...shape, config: { k: 4, normalize }, seed: 'fm' });
    fitCtrModel(fm, train, { epochs: 2 });
    const ffm = new FieldAwareFactorizationMachine({ ...shape, config: { k: 4, normalize }, seed: 'ffm' });
    const before = ffm.predictBatch(valid);
    initFfmFromFm(ffm, fm);
    const fmScores = fm.predictBatch(valid);
    const ffmScores = ffm.predictBatch(valid);
    for (let r = 0; r < valid.size; r++) expect(ffmScores[r]).toBeCloseTo(fmScores[r] as number, 5);
    // It did change the FFM: the random start scored differently.
    expect(before.some((p, r) => Math.abs(p - (fmScores[r] as number)) > 1e-3)).toBe(true);
  });

  it('names every difference that prevents the start', () => {
    const fm = new FactorizationMachine({ ...shape, config: { k: 4, normalize: true } });
    const ffm = new FieldAwareFactorizationMachine({ ...shape, config: { k: 8, normalize: false, linear: false } });
    expect(() => initFfmFromFm(ffm, fm)).toThrow(InvalidArgumentError);
    expect(() => initFfmFromFm(ffm, fm)).toThrow(/k 4 vs 8; instance normalisation true vs false; the FFM has no linear terms/);
  });

  it('starts an experiment from the FM and never ends worse than the FM on the validation data', () => {
    const fm = new FactorizationMachine({ ...shape, config: { k: 4 }, seed: 'fm' });
    fitCtrModel(fm, train, { epochs: 3 });
    const fmLoss = meanLogloss(fm, valid);
    // A learning rate so large that every fine-tuning epoch is worse: the start is kept.
    const wild = runCtrExperiment({ spec: { kind: 'ffm', config: { k: 4, learningRate: 50 } }, init: fm, train, valid, test: valid, fit: { epochs: 3, patience: 2 } });
    expect(wild.fit.bestEpoch).toBe(0);
    expect(meanLogloss(wild.model, valid)).toBeCloseTo(fmLoss, 6);
    const tuned = runCtrExperiment({ spec: { kind: 'ffm', config: { k: 4, learningRate: 0.02 } }, init: fm, train, valid, test: valid, fit: { epochs: 4, patience: 2 } });
    expect(meanLogloss(tuned.model, valid)).toBeLessThanOrEqual(fmLoss + 1e-9);
    expect(() => runCtrExperiment({ spec: { kind: 'fm' }, init: fm, train, test: valid })).toThrow(/only an FFM can be started .* \(got fm from fm\)/);
  });
});
