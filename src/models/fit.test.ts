import { describe, expect, it } from 'vitest';
import { CancelledError, InvalidArgumentError } from '../core/index.js';
import { FieldAwareFactorizationMachine } from './field-aware-factorization-machine.js';
import { fitCtrModel, meanLogloss } from './fit.js';
import { selectRows, type SparseBatch } from './sparse-batch.js';
import { plantedCtrData } from './test-data.js';

function ffm(batch: SparseBatch, seed = 'fit'): FieldAwareFactorizationMachine {
  return new FieldAwareFactorizationMachine({ nFeatures: batch.nFeatures, nFields: batch.nFields, config: { k: 4 }, seed });
}

/** The same rows with every label flipped: whatever fits the training data fits these worse. */
function flipped(batch: SparseBatch): SparseBatch {
  const copy = selectRows(batch, Int32Array.from({ length: batch.size }, (_, i) => i));
  copy.labels.forEach((y, i) => (copy.labels[i] = 1 - y));
  return copy;
}

describe('fitCtrModel', () => {
  const { batch: train } = plantedCtrData({ rows: 2_000, seed: 'fit-train' });
  const { batch: valid } = plantedCtrData({ rows: 500, seed: 'fit-valid' });

  it('is deterministic: the same seed gives the same parameters, another seed others', () => {
    const a = ffm(train);
    const b = ffm(train);
    const c = ffm(train);
    fitCtrModel(a, train, { epochs: 2, seed: 1 });
    fitCtrModel(b, train, { epochs: 2, seed: 1 });
    fitCtrModel(c, train, { epochs: 2, seed: 2 });
    expect([...a.weights]).toEqual([...b.weights]);
    expect([...a.weights]).not.toEqual([...c.weights]);
  });

  it('without validation data trains every epoch and lowers the training loss', () => {
    const report = fitCtrModel(ffm(train), train, { epochs: 4 });
    expect(report.epochs).toHaveLength(4);
    expect(report).toMatchObject({ bestEpoch: 4, stoppedEarly: false });
    expect(report.epochs[3]?.trainLogloss).toBeLessThan(report.epochs[0]?.trainLogloss ?? 0);
  });

  it('stops when the validation logloss stops improving and restores the best epoch', () => {
    // Validation labels are the training labels flipped: the first epoch is the least bad one.
    const opposite = flipped(train);
    const model = ffm(train);
    const report = fitCtrModel(model, train, { epochs: 10, patience: 2, valid: opposite });
    expect(report.bestEpoch).toBe(1);
    expect(report.epochs).toHaveLength(3);
    expect(report.stoppedEarly).toBe(true);
    expect(meanLogloss(model, opposite)).toBeCloseTo(report.epochs[0]?.validLogloss ?? Number.NaN, 6);
  });

  it('reports the validation logloss of each epoch on real validation data', () => {
    const report = fitCtrModel(ffm(train), train, { epochs: 3, valid });
    for (const epoch of report.epochs) expect(epoch.validLogloss).toBeGreaterThan(0);
  });

  it('stops with CancelledError when the signal aborts, and refuses a bad epoch count', () => {
    const controller = new AbortController();
    controller.abort();
    expect(() => fitCtrModel(ffm(train), train, { signal: controller.signal })).toThrow(CancelledError);
    expect(() => fitCtrModel(ffm(train), train, { epochs: 0 })).toThrow(InvalidArgumentError);
  });
});
