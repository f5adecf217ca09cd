/**
 * One offline CTR experiment, as `quarry eval ctr` runs it: optional negative down-sampling of the
 * training data, training with early stopping on the validation data, calibration fitted on the
 * validation data, and the metrics of the calibrated predictions on the validation and test data.
 */

import { InvalidArgumentError, type Seed } from '../core/index.js';
import { classificationMetrics, gauc, reliabilityBins, type ClassificationMetrics, type ReliabilityBin } from '../eval/index.js';
import { calibrateAll, downsamplingCorrection, fitIsotonic, fitPlatt, type Calibration } from './calibration.js';
import { createCtrModel, type CtrModelSpec } from './create-ctr-model.js';
import type { CtrModel } from './ctr-model.js';
import { FactorizationMachine } from './factorization-machine.js';
import { initFfmFromFm } from './ffm-from-fm.js';
import { FieldAwareFactorizationMachine } from './field-aware-factorization-machine.js';
import { fitCtrModel, type FitConfig, type FitOptions, type FitReport } from './fit.js';
import { downsampleNegatives, type SparseBatch } from './sparse-batch.js';

export interface CtrExperimentOptions {
  spec: CtrModelSpec;
  train: SparseBatch;
  /** Early stopping and calibration data; without it every epoch is trained and no calibrator is fitted. */
  valid?: SparseBatch;
  test: SparseBatch;
  /** Seed of the initialisation, the visiting order and the down-sampling; default `quarry`. */
  seed?: Seed;
  fit?: Partial<Omit<FitConfig, 'seed'>>;
  /** Keep each negative training row with this probability (1 = all), then correct the predictions. */
  negativeRate?: number;
  /** Calibrator fitted on the validation predictions (needs `valid`). */
  calibration?: 'platt' | 'isotonic';
  /**
   * A trained FM to start an FFM from (`initFfmFromFm`); the only start supported. With validation
   * data, the start itself is kept when no epoch improves on it (`keepStart`).
   */
  init?: CtrModel;
  /** A group per test row (user, query): adds GAUC to the test metrics. */
  testGroups?: ArrayLike<number>;
  signal?: AbortSignal;
  onProgress?: FitOptions['onProgress'];
  onEpoch?: FitOptions['onEpoch'];
}

export interface CtrSplitMetrics extends ClassificationMetrics {
  /** Per-group AUC weighted by impressions, when groups were given. */
  gauc?: number;
}

export interface CtrExperimentResult {
  model: CtrModel;
  /** Applied to the model's probabilities, in order (saved with the model). */
  calibration: Calibration;
  fit: FitReport;
  /** Training rows after down-sampling. */
  trainRows: number;
  valid?: CtrSplitMetrics;
  test: CtrSplitMetrics;
  /** Reliability bins of the calibrated test predictions (10 equal-width bins). */
  testReliability: ReliabilityBin[];
}

/**
 * Trains and evaluates one model.
 * @throws InvalidArgumentError for bad hyperparameters, a calibrator without validation data, or an `init`
 *   the model cannot start from;
 *   CancelledError when `signal` aborts; IncompatibleFormatError when the batches disagree in shape.
 */
export function runCtrExperiment(options: CtrExperimentOptions): CtrExperimentResult {
  const seed = options.seed ?? 'quarry';
  const negativeRate = options.negativeRate ?? 1;
  const train = negativeRate < 1 ? downsampleNegatives(options.train, negativeRate, seed) : options.train;
  const nFeatures = Math.max(train.nFeatures, options.valid?.nFeatures ?? 0, options.test.nFeatures);
  const nFields = Math.max(train.nFields, options.valid?.nFields ?? 0, options.test.nFields);
  const model = createCtrModel(options.spec, { nFeatures, nFields, seed });
  if (options.init !== undefined) {
    if (!(model instanceof FieldAwareFactorizationMachine) || !(options.init instanceof FactorizationMachine)) {
      throw new InvalidArgumentError(`only an FFM can be started from a trained model, and only from an FM (got ${model.kind} from ${options.init.kind})`);
    }
    initFfmFromFm(model, options.init);
  }
  const fit = fitCtrModel(model, train, {
    ...options.fit,
    ...(options.init !== undefined ? { keepStart: true } : {}),
    seed,
    ...(options.valid ? { valid: options.valid, validLogitOffset: Math.log(negativeRate) } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    ...(options.onEpoch ? { onEpoch: options.onEpoch } : {}),
  });
  const calibration: Calibration = negativeRate < 1 ? [downsamplingCorrection(negativeRate)] : [];
  const predict = (batch: SparseBatch) => calibrateAll(calibration, model.predictBatch(batch));
  if (options.calibration !== undefined) {
    if (options.valid === undefined) throw new InvalidArgumentError(`a ${options.calibration} calibrator is fitted on validation data; none was given`);
    const fitted = options.calibration === 'platt' ? fitPlatt : fitIsotonic;
    calibration.push(fitted(predict(options.valid), options.valid.labels));
  }
  const testPredictions = predict(options.test);
  const test: CtrSplitMetrics = classificationMetrics(testPredictions, options.test.labels);
  if (options.testGroups !== undefined) test.gauc = gauc(testPredictions, options.test.labels, options.testGroups).gauc;
  return {
    model,
    calibration,
    fit,
    trainRows: train.size,
    ...(options.valid ? { valid: classificationMetrics(predict(options.valid), options.valid.labels) } : {}),
    test,
    testReliability: reliabilityBins(testPredictions, options.test.labels),
  };
}
