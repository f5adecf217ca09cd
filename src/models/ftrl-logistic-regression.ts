/**
 * Logistic regression trained with FTRL-Proximal (McMahan et al. 2013, "Ad Click Prediction: a View
 * from the Trenches", Algorithm 1): per-coordinate learning rates, L1 for sparsity, L2.
 *
 * State, one slot per feature plus the bias in the last slot:
 *   z  Float32Array [nFeatures + 1]   accumulated adjusted gradients
 *   n  Float32Array [nFeatures + 1]   accumulated squared gradients
 * The weights are not stored: w_i is a closed-form function of z_i and n_i (the paper's eq. for w_{t+1,i}),
 * computed when a row needs it, so an update touches only the row's coordinates.
 */

import { InvalidArgumentError } from '../core/index.js';
import { CtrModel, ensureCapacity, logitLoss, parameterArray, sigmoid, type CtrModelHeader } from './ctr-model.js';
import type { SparseBatch } from './sparse-batch.js';

export interface FtrlConfig {
  /** Learning-rate scale alpha (per-coordinate rate alpha / (beta + sqrt(n_i))). */
  alpha: number;
  /** Learning-rate smoothing beta (1 is the paper's advice). */
  beta: number;
  /** L1 strength lambda_1: coordinates with |z_i| <= l1 are exactly 0. Not applied to the bias. */
  l1: number;
  /** L2 strength lambda_2. */
  l2: number;
}

export const DEFAULT_FTRL_CONFIG: FtrlConfig = { alpha: 0.1, beta: 1, l1: 1, l2: 1 };

export class FtrlLogisticRegression extends CtrModel {
  readonly kind = 'lr';
  readonly config: FtrlConfig;
  /** [nFeatures + 1], the bias last. */
  readonly z: Float32Array;
  /** [nFeatures + 1], the bias last. */
  readonly n: Float32Array;
  private rowWeights = new Float64Array(64);

  /**
   * A model with all weights at zero (FTRL starts from w = 0; no random initialisation is needed), or
   * with `state` (a loaded model).
   * @throws InvalidArgumentError for a non-positive alpha, a negative beta, l1 or l2; IncompatibleFormatError for state of the wrong size.
   */
  constructor(options: { nFeatures: number; nFields: number; config?: Partial<FtrlConfig>; state?: { z: Float32Array; n: Float32Array } }) {
    super(options);
    this.config = { ...DEFAULT_FTRL_CONFIG, ...options.config };
    const { alpha, beta, l1, l2 } = this.config;
    if (![alpha, beta, l1, l2].every(Number.isFinite) || !(alpha > 0) || !(beta >= 0) || !(l1 >= 0) || !(l2 >= 0)) {
      throw new InvalidArgumentError(`FTRL needs alpha > 0 and beta, l1, l2 >= 0; got alpha ${alpha}, beta ${beta}, l1 ${l1}, l2 ${l2}`);
    }
    const slots = options.nFeatures + 1;
    this.z = parameterArray('lr', 'z', slots, options.state?.z);
    this.n = parameterArray('lr', 'n', slots, options.state?.n);
  }

  get parameters(): Record<string, Float32Array> {
    return { z: this.z, n: this.n };
  }

  header(): CtrModelHeader {
    return { kind: 'lr', nFeatures: this.nFeatures, nFields: this.nFields, config: { ...this.config } };
  }

  /** McMahan et al. 2013, Algorithm 1: w_i = 0 if |z_i| <= l1, else -(z_i - sgn(z_i) l1) / ((beta + sqrt(n_i)) / alpha + l2). */
  weight(i: number): number {
    const z = this.z[i] as number;
    const l1 = i === this.nFeatures ? 0 : this.config.l1;
    if (Math.abs(z) <= l1) return 0;
    const { alpha, beta, l2 } = this.config;
    return -(z - Math.sign(z) * l1) / ((beta + Math.sqrt(this.n[i] as number)) / alpha + l2);
  }

  /** All weights, the bias last (`[nFeatures + 1]`). */
  weights(): Float32Array {
    const w = new Float32Array(this.nFeatures + 1);
    for (let i = 0; i <= this.nFeatures; i++) w[i] = this.weight(i);
    return w;
  }

  logit(batch: SparseBatch, row: number): number {
    let t = this.weight(this.nFeatures);
    for (let p = batch.offsets[row] as number; p < (batch.offsets[row + 1] as number); p++) {
      t += this.weight(batch.indices[p] as number) * (batch.values[p] as number);
    }
    return t;
  }

  protected trainRange(batch: SparseBatch, order: Int32Array, from: number, to: number): number {
    const { offsets, indices, values, labels } = batch;
    const bias = this.nFeatures;
    let lossSum = 0;
    for (let o = from; o < to; o++) {
      const row = order[o] as number;
      const start = offsets[row] as number;
      const end = offsets[row + 1] as number;
      this.rowWeights = ensureCapacity(this.rowWeights, end - start + 1);
      const w = this.rowWeights;
      // w[0] is the bias, w[1 + e] the weight of entry start + e: computed once, used twice.
      w[0] = this.weight(bias);
      let t = w[0];
      for (let p = start; p < end; p++) {
        const wi = this.weight(indices[p] as number);
        w[1 + p - start] = wi;
        t += wi * (values[p] as number);
      }
      const y = labels[row] as number;
      lossSum += logitLoss(t, y);
      const gradLogit = sigmoid(t) - y; // d logloss / d t
      this.update(bias, gradLogit, w[0]);
      for (let p = start; p < end; p++) this.update(indices[p] as number, gradLogit * (values[p] as number), w[1 + p - start] as number);
    }
    return lossSum;
  }

  /** Algorithm 1's per-coordinate step with gradient g_i at the current weight w_i. */
  private update(i: number, g: number, wi: number): void {
    const n = this.n[i] as number;
    const sigma = (Math.sqrt(n + g * g) - Math.sqrt(n)) / this.config.alpha;
    this.z[i] = (this.z[i] as number) + g - sigma * wi;
    this.n[i] = n + g * g;
  }
}

