// models/: sparse CTR models (FTRL logistic regression, FM, FFM) on their own typed-array kernels, the
// libffm/libsvm readers, the training loop with early stopping, calibration and the model file.
export * from './sparse-batch.js';
export * from './feature-map.js';
export * from './sparse-reader.js';
export { CtrModel, sigmoid, logitLoss, type CtrModelKind, type CtrModelHeader } from './ctr-model.js';
export { FtrlLogisticRegression, DEFAULT_FTRL_CONFIG, type FtrlConfig } from './ftrl-logistic-regression.js';
export { FactorizationMachine, DEFAULT_FM_CONFIG, type FmConfig, type FmOptions } from './factorization-machine.js';
export { FieldAwareFactorizationMachine, DEFAULT_FFM_CONFIG, type FfmConfig, type FfmOptions } from './field-aware-factorization-machine.js';
export { initFfmFromFm } from './ffm-from-fm.js';
export { createCtrModel, type CtrModelConfigs, type CtrModelSpec, type CreateCtrModelOptions } from './create-ctr-model.js';
export { fitCtrModel, meanLogloss, DEFAULT_FIT_CONFIG, type FitConfig, type FitOptions, type FitReport, type EpochReport } from './fit.js';
export * from './calibration.js';
export * from './model-file.js';
export * from './movielens-ctr.js';
export { runCtrExperiment, type CtrExperimentOptions, type CtrExperimentResult, type CtrSplitMetrics } from './ctr-experiment.js';
