import type { Seed } from '../core/index.js';
import type { CtrModel, CtrModelKind } from './ctr-model.js';
import { FactorizationMachine, type FmConfig } from './factorization-machine.js';
import { FieldAwareFactorizationMachine, type FfmConfig } from './field-aware-factorization-machine.js';
import { FtrlLogisticRegression, type FtrlConfig } from './ftrl-logistic-regression.js';

/** Each kind's hyperparameters. */
export interface CtrModelConfigs {
  lr: FtrlConfig;
  fm: FmConfig;
  ffm: FfmConfig;
}

export type CtrModelSpec = { [K in CtrModelKind]: { kind: K; config?: Partial<CtrModelConfigs[K]> } }[CtrModelKind];

export interface CreateCtrModelOptions {
  nFeatures: number;
  nFields: number;
  /** Seed of the random initialisation (FM, FFM); default `quarry`. */
  seed?: Seed;
  /** Arrays of a loaded model, by parameter name. */
  state?: Record<string, Float32Array>;
}

/**
 * A new (or loaded, with `state`) model of the given kind.
 * @throws InvalidArgumentError for a bad hyperparameter; IncompatibleFormatError for state of the wrong size.
 */
export function createCtrModel(spec: CtrModelSpec, options: CreateCtrModelOptions): CtrModel {
  const { nFeatures, nFields, seed, state } = options;
  switch (spec.kind) {
    case 'lr': {
      const ftrlState = state?.z !== undefined && state.n !== undefined ? { z: state.z, n: state.n } : undefined;
      return new FtrlLogisticRegression({ nFeatures, nFields, config: spec.config ?? {}, ...(ftrlState ? { state: ftrlState } : {}) });
    }
    case 'fm':
      return new FactorizationMachine({ nFeatures, nFields, config: spec.config ?? {}, ...optional({ seed, state }) });
    case 'ffm':
      return new FieldAwareFactorizationMachine({ nFeatures, nFields, config: spec.config ?? {}, ...optional({ seed, state }) });
  }
}

function optional(values: { seed: Seed | undefined; state: Record<string, Float32Array> | undefined }) {
  return {
    ...(values.seed === undefined ? {} : { seed: values.seed }),
    ...(values.state === undefined ? {} : { state: values.state }),
  };
}
