/**
 * Factorization machine of degree 2 (Rendle 2010, "Factorization Machines", eq. 1):
 *
 *   t(x) = w0 + sum_i w_i x_i + sum_{i<j} <v_i, v_j> x_i x_j
 *
 * with the pairwise sum computed in O(k n) by Rendle's Lemma 3.1:
 *
 *   sum_{i<j} <v_i, v_j> x_i x_j = 0.5 * sum_f [ (sum_i v_if x_i)^2 - sum_i v_if^2 x_i^2 ]
 *
 * and its gradient d t / d v_if = x_i (sum_j v_jf x_j - v_if x_i) (eq. 4). With `normalize`, the pairwise
 * term is multiplied by 1 / ||x||^2 (the row scaled to unit L2 norm, as FFM does), the linear term is not.
 *
 * Parameters (AdaGrad accumulators have the same shapes, start at 1 as in libffm, and exist only with
 * the AdaGrad optimizer):
 *   bias     Float32Array [1]
 *   linear   Float32Array [nFeatures]
 *   factors  Float32Array [nFeatures, k]  row-major: v_if at i * k + f
 */

import { InvalidArgumentError, Rng, type Seed } from '../core/index.js';
import { CtrModel, logitLoss, parameterArray, sigmoid, type CtrModelHeader } from './ctr-model.js';
import { instanceScales, rowScale, type SparseBatch } from './sparse-batch.js';

export interface FmConfig {
  /** Latent dimension k. */
  k: number;
  learningRate: number;
  /** L2 strength on linear weights and factors (not the bias). */
  lambda: number;
  /** `adagrad` (per-coordinate rates, Duchi et al. 2011) or plain `sgd` (Rendle 2012's SGD). */
  optimizer: 'adagrad' | 'sgd';
  /** Factors start from N(0, initStd^2); linear weights and bias from 0. */
  initStd: number;
  /** Scale the pairwise term by 1 / ||x||^2 (instance normalisation). */
  normalize: boolean;
}

export const DEFAULT_FM_CONFIG: FmConfig = { k: 8, learningRate: 0.05, lambda: 2e-5, optimizer: 'adagrad', initStd: 0.1, normalize: true };

export interface FmOptions {
  nFeatures: number;
  nFields: number;
  config?: Partial<FmConfig>;
  /** Seed of the factors' initialisation; default `quarry`. */
  seed?: Seed;
  /** Arrays of a loaded model, by parameter name. */
  state?: Record<string, Float32Array>;
}

export class FactorizationMachine extends CtrModel {
  readonly kind = 'fm';
  readonly config: FmConfig;
  readonly bias: Float32Array;
  readonly linear: Float32Array;
  readonly factors: Float32Array;
  /** AdaGrad's accumulated squared gradients, same shapes; empty with `sgd`. */
  readonly biasG: Float32Array;
  readonly linearG: Float32Array;
  readonly factorsG: Float32Array;
  /** [k]: sum_i v_if x_i of the row being trained. */
  private readonly sums: Float64Array;

  /** @throws InvalidArgumentError for a bad hyperparameter; IncompatibleFormatError for state of the wrong size. */
  constructor(options: FmOptions) {
    super(options);
    const config = (this.config = { ...DEFAULT_FM_CONFIG, ...options.config });
    checkFmConfig(config);
    const { nFeatures } = options;
    const k = config.k;
    const state = options.state;
    const rng = new Rng(options.seed ?? 'quarry').fork('fm-factors');
    const adagrad = config.optimizer === 'adagrad';
    const ones = (a: Float32Array) => a.fill(1);
    this.bias = parameterArray('fm', 'bias', 1, state?.bias);
    this.linear = parameterArray('fm', 'linear', nFeatures, state?.linear);
    this.factors = parameterArray('fm', 'factors', nFeatures * k, state?.factors, (a) => {
      for (let i = 0; i < a.length; i++) a[i] = rng.normal(0, config.initStd);
    });
    this.biasG = parameterArray('fm', 'biasG', adagrad ? 1 : 0, state?.biasG, ones);
    this.linearG = parameterArray('fm', 'linearG', adagrad ? nFeatures : 0, state?.linearG, ones);
    this.factorsG = parameterArray('fm', 'factorsG', adagrad ? nFeatures * k : 0, state?.factorsG, ones);
    this.sums = new Float64Array(k);
  }

  get parameters(): Record<string, Float32Array> {
    const { bias, linear, factors } = this;
    if (this.config.optimizer === 'sgd') return { bias, linear, factors };
    return { bias, linear, factors, biasG: this.biasG, linearG: this.linearG, factorsG: this.factorsG };
  }

  header(): CtrModelHeader {
    return { kind: 'fm', nFeatures: this.nFeatures, nFields: this.nFields, config: { ...this.config } };
  }

  logit(batch: SparseBatch, row: number): number {
    return this.forward(batch, row, this.config.normalize ? rowScale(batch, row) : 1);
  }

  /** The O(kn) score; leaves sum_i v_if x_i in `this.sums` for the update. */
  private forward(batch: SparseBatch, row: number, scale: number): number {
    const { offsets, indices, values } = batch;
    const { factors, sums } = this;
    const k = this.config.k;
    const start = offsets[row] as number;
    const end = offsets[row + 1] as number;
    sums.fill(0);
    let t = this.bias[0] as number;
    let squares = 0;
    for (let p = start; p < end; p++) {
      const x = values[p] as number;
      const base = (indices[p] as number) * k;
      t += (this.linear[indices[p] as number] as number) * x;
      for (let f = 0; f < k; f++) {
        const vx = (factors[base + f] as number) * x;
        sums[f] = (sums[f] as number) + vx;
        squares += vx * vx;
      }
    }
    let pairs = 0;
    for (let f = 0; f < k; f++) pairs += (sums[f] as number) * (sums[f] as number);
    return t + 0.5 * (pairs - squares) * scale;
  }

  // Hot loop: one SGD/AdaGrad step per row, touching only the row's weights, no allocation.
  protected trainRange(batch: SparseBatch, order: Int32Array, from: number, to: number): number {
    const { offsets, indices, values, labels } = batch;
    const { linear, factors, linearG, factorsG, sums } = this;
    const { k, learningRate: lr, lambda } = this.config;
    const adagrad = this.config.optimizer === 'adagrad';
    const scales = this.config.normalize ? instanceScales(batch) : undefined;
    let lossSum = 0;
    for (let o = from; o < to; o++) {
      const row = order[o] as number;
      const scale = scales === undefined ? 1 : (scales[row] as number);
      const t = this.forward(batch, row, scale);
      const y = labels[row] as number;
      lossSum += logitLoss(t, y);
      const kappa = sigmoid(t) - y; // d logloss / d t
      this.bias[0] = step(this.bias, this.biasG, 0, kappa, lr, adagrad);
      for (let p = offsets[row] as number; p < (offsets[row + 1] as number); p++) {
        const i = indices[p] as number;
        const x = values[p] as number;
        linear[i] = step(linear, linearG, i, kappa * x + lambda * (linear[i] as number), lr, adagrad);
        const base = i * k;
        const kx = kappa * x * scale;
        for (let f = 0; f < k; f++) {
          const v = factors[base + f] as number;
          // Rendle 2010 eq. 4 with the old sums: d t / d v_if = x_i (sum_j v_jf x_j - v_if x_i).
          factors[base + f] = step(factors, factorsG, base + f, kx * ((sums[f] as number) - v * x) + lambda * v, lr, adagrad);
        }
      }
    }
    return lossSum;
  }
}

/** One coordinate's step: AdaGrad (G += g^2, w -= lr g / sqrt(G)) or SGD (w -= lr g). Returns the new weight. */
function step(weights: Float32Array, squares: Float32Array, i: number, g: number, lr: number, adagrad: boolean): number {
  if (!adagrad) return (weights[i] as number) - lr * g;
  const sum = (squares[i] as number) + g * g;
  squares[i] = sum;
  return (weights[i] as number) - (lr * g) / Math.sqrt(sum);
}

function checkFmConfig(config: FmConfig): void {
  const { k, learningRate, lambda, initStd, optimizer } = config;
  if (!Number.isInteger(k) || k < 1 || k > 256) throw new InvalidArgumentError(`FM k must be an integer from 1 to 256, got ${k}`);
  if (![learningRate, lambda, initStd].every(Number.isFinite) || !(learningRate > 0) || !(lambda >= 0) || !(initStd >= 0)) {
    throw new InvalidArgumentError(`FM needs learningRate > 0, lambda >= 0 and initStd >= 0; got ${learningRate}, ${lambda}, ${initStd}`);
  }
  if (optimizer !== 'adagrad' && optimizer !== 'sgd') throw new InvalidArgumentError(`FM optimizer must be adagrad or sgd, got "${String(optimizer)}"`);
  if (typeof config.normalize !== 'boolean') throw new InvalidArgumentError(`FM normalize must be true or false, got ${String(config.normalize)}`);
}
