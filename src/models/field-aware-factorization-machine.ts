/**
 * Field-aware factorization machine (Juan et al. 2016, "Field-aware Factorization Machines for CTR
 * Prediction", eq. 3), trained as libffm does (section 3.1: AdaGrad, instance normalisation, L2):
 *
 *   t(x) = w0 + sum_j w_j x_j + sum_{a<b} <W[j_a, f_b], W[j_b, f_a]> x_a x_b r,    r = 1 / ||x||^2
 *
 * where entry a of the row has feature j_a, field f_a and value x_a: each feature keeps one latent
 * vector per field, and a pair uses the vector of each side aimed at the other's field. `r` scales the
 * row to unit L2 norm (libffm's instance normalisation), precomputed once per batch. The bias and
 * linear terms are xLearn's addition to libffm's pure pairwise model (`linear: false` drops them).
 *
 * Parameters (the AdaGrad accumulators `*G` start at 1, as in libffm; `biasG` and `linearG` have the
 * shapes of `bias` and `linear`, `weightsG` is [nFeatures, nFields] with `adagrad: 'row'` (one per
 * latent vector) and the shape of `weights` with `adagrad: 'coordinate'` (libffm's)):
 *   bias     Float32Array [1]
 *   linear   Float32Array [nFeatures]
 *   weights  Float32Array [nFeatures, nFields, k]  field-major per feature: W[j, f, d] at (j * nFields + f) * k + d
 * Initialisation as libffm: W ~ U(0, 1 / sqrt(k)), bias and linear 0.
 */

import { InvalidArgumentError, Rng, type Seed } from '../core/index.js';
import { CtrModel, parameterArray, type CtrModelHeader } from './ctr-model.js';
import { ffmLogit, ffmTrainRows, FfmScratch, type FfmKernelConfig } from './ffm-kernel.js';
import { instanceScales, type SparseBatch } from './sparse-batch.js';

export interface FfmConfig {
  /** Latent dimension k per (feature, field). */
  k: number;
  /** AdaGrad's learning rate eta. */
  learningRate: number;
  /** L2 strength lambda on linear weights and latent vectors (not the bias). */
  lambda: number;
  /** Instance normalisation: pairwise terms times 1 / ||x||^2. */
  normalize: boolean;
  /** Bias and linear terms beside the pairwise ones. */
  linear: boolean;
  /**
   * AdaGrad's accumulators for the latent vectors: `coordinate` (libffm: one per weight) or `row` (one
   * per latent vector, fed the mean squared gradient of its k coordinates; see ffm-kernel.ts).
   */
  adagrad: 'coordinate' | 'row';
}

/**
 * libffm's defaults (eta 0.2, lambda 2e-5, k 4, normalisation on), with row-wise accumulators: on
 * MovieLens-100k they gave the same AUC as libffm's per-coordinate ones (±0.001 over three splits) and
 * train 1.4x (k = 4) and 1.6-1.75x (k = 8) more rows per second (bench/ctr.ts; docs/ctr-models.md).
 */
export const DEFAULT_FFM_CONFIG: FfmConfig = { k: 4, learningRate: 0.2, lambda: 2e-5, normalize: true, linear: true, adagrad: 'row' };

export interface FfmOptions {
  nFeatures: number;
  nFields: number;
  config?: Partial<FfmConfig>;
  /** Seed of the latent vectors' initialisation; default `quarry`. */
  seed?: Seed;
  /** Arrays of a loaded model, by parameter name. */
  state?: Record<string, Float32Array>;
}

export class FieldAwareFactorizationMachine extends CtrModel {
  readonly kind = 'ffm';
  readonly config: FfmConfig;
  readonly bias: Float32Array;
  readonly biasG: Float32Array;
  readonly linear: Float32Array;
  readonly linearG: Float32Array;
  readonly weights: Float32Array;
  readonly weightsG: Float32Array;
  private readonly scratch = new FfmScratch();
  private readonly kernelConfig: FfmKernelConfig;

  /** @throws InvalidArgumentError for a bad hyperparameter; IncompatibleFormatError for state of the wrong size. */
  constructor(options: FfmOptions) {
    super(options);
    const config = (this.config = { ...DEFAULT_FFM_CONFIG, ...options.config });
    checkFfmConfig(config);
    const { nFeatures, nFields, state } = options;
    const size = nFeatures * nFields * config.k;
    const rng = new Rng(options.seed ?? 'quarry').fork('ffm-weights');
    const coef = 1 / Math.sqrt(config.k);
    const ones = (a: Float32Array) => a.fill(1);
    this.bias = parameterArray('ffm', 'bias', 1, state?.bias);
    this.biasG = parameterArray('ffm', 'biasG', 1, state?.biasG, ones);
    this.linear = parameterArray('ffm', 'linear', nFeatures, state?.linear);
    this.linearG = parameterArray('ffm', 'linearG', nFeatures, state?.linearG, ones);
    this.weights = parameterArray('ffm', 'weights', size, state?.weights, (a) => {
      for (let i = 0; i < a.length; i++) a[i] = coef * rng.next();
    });
    const accumulators = config.adagrad === 'row' ? nFeatures * nFields : size;
    this.weightsG = parameterArray('ffm', 'weightsG', accumulators, state?.weightsG, ones);
    this.kernelConfig = {
      k: config.k,
      nFields,
      normalize: config.normalize,
      learningRate: config.learningRate,
      lambda: config.lambda,
      linear: config.linear,
      adagrad: config.adagrad,
    };
  }

  get parameters(): Record<string, Float32Array> {
    const { bias, biasG, linear, linearG, weights, weightsG } = this;
    return { bias, biasG, linear, linearG, weights, weightsG };
  }

  header(): CtrModelHeader {
    return { kind: 'ffm', nFeatures: this.nFeatures, nFields: this.nFields, config: { ...this.config } };
  }

  logit(batch: SparseBatch, row: number): number {
    return ffmLogit(this, this.kernelConfig, batch, row);
  }

  protected trainRange(batch: SparseBatch, order: Int32Array, from: number, to: number): number {
    const scales = this.config.normalize ? instanceScales(batch) : undefined;
    return ffmTrainRows(this, this.kernelConfig, this.scratch, { batch, order, from, to, scales });
  }
}

function checkFfmConfig(config: FfmConfig): void {
  const { k, learningRate, lambda } = config;
  if (!Number.isInteger(k) || k < 1 || k > 256) throw new InvalidArgumentError(`FFM k must be an integer from 1 to 256, got ${k}`);
  if (typeof config.normalize !== 'boolean' || typeof config.linear !== 'boolean') {
    throw new InvalidArgumentError(`FFM normalize and linear must be true or false, got ${String(config.normalize)} and ${String(config.linear)}`);
  }
  if (config.adagrad !== 'coordinate' && config.adagrad !== 'row') throw new InvalidArgumentError(`FFM adagrad must be 'coordinate' or 'row', got ${String(config.adagrad)}`);
  if (![learningRate, lambda].every(Number.isFinite) || !(learningRate > 0) || !(lambda >= 0)) throw new InvalidArgumentError(`FFM needs learningRate > 0 and lambda >= 0; got ${learningRate}, ${lambda}`);
}
