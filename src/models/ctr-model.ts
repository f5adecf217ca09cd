/**
 * What the CTR models (logistic regression with FTRL, FM, FFM) share: a raw score (logit) per sparse
 * row, the sigmoid on top, one online update per row, and their state as named `Float32Array`s (so
 * early stopping can snapshot them and a model file can store them).
 */

import { IncompatibleFormatError } from '../core/index.js';
import { SparseBatchBuilder, type SparseBatch, type SparseSample } from './sparse-batch.js';

export type CtrModelKind = 'lr' | 'fm' | 'ffm';

/** What a model file stores besides the arrays: the kind, the shape and the hyperparameters. */
export interface CtrModelHeader {
  kind: CtrModelKind;
  nFeatures: number;
  nFields: number;
  config: Record<string, number | string | boolean>;
}

export abstract class CtrModel {
  abstract readonly kind: CtrModelKind;
  readonly nFeatures: number;
  readonly nFields: number;

  constructor(shape: { nFeatures: number; nFields: number }) {
    this.nFeatures = shape.nFeatures;
    this.nFields = shape.nFields;
  }

  /** Every array the model learns or keeps optimizer state in, by name (shapes in each model's docs). */
  abstract get parameters(): Record<string, Float32Array>;

  /** Kind, shape and hyperparameters, for the model file. */
  abstract header(): CtrModelHeader;

  /** The raw score t of a row; the predicted probability is sigmoid(t). */
  abstract logit(batch: SparseBatch, row: number): number;

  /**
   * One online update for each row `order[from]`, ..., `order[to - 1]` in turn (batch size 1, as libffm
   * and FTRL do). Returns the sum of the rows' logloss, each computed just before its update.
   */
  protected abstract trainRange(batch: SparseBatch, order: Int32Array, from: number, to: number): number;

  /**
   * Trains on rows `order[from..to)` (see `trainRange`).
   * @throws IncompatibleFormatError when the batch has features or fields the model has no weights for.
   */
  trainRows(batch: SparseBatch, order: Int32Array, from = 0, to = order.length): number {
    this.assertFits(batch);
    return this.trainRange(batch, order, from, to);
  }

  /** The predicted click probability of row `row`. */
  predict(batch: SparseBatch, row: number): number {
    this.assertFits(batch);
    return sigmoid(this.logit(batch, row));
  }

  /**
   * The predicted click probability of one sample given as arrays (wraps it in a one-row batch: to
   * score many candidates, build one batch and call `predictBatch`).
   * @throws IncompatibleFormatError as `trainRows`; InvalidArgumentError for a malformed sample.
   */
  predictSample(sample: Omit<SparseSample, 'label'>): number {
    const builder = new SparseBatchBuilder();
    builder.push({ ...sample, label: 0 });
    return this.predict(builder.build(), 0);
  }

  /**
   * The predicted probability of every row, into `out` (`[batch.size]`, allocated when absent).
   * @throws IncompatibleFormatError as `trainRows`.
   */
  predictBatch(batch: SparseBatch, out = new Float32Array(batch.size)): Float32Array {
    this.assertFits(batch);
    for (let r = 0; r < batch.size; r++) out[r] = sigmoid(this.logit(batch, r));
    return out;
  }

  /** @throws IncompatibleFormatError when the batch has features or fields the model has no weights for. */
  assertFits(batch: SparseBatch): void {
    if (batch.nFeatures > this.nFeatures || batch.nFields > this.nFields) {
      throw new IncompatibleFormatError(
        `batch has ${batch.nFeatures} features and ${batch.nFields} fields; the ${this.kind} model has weights for ${this.nFeatures} and ${this.nFields}`,
      );
    }
  }
}

export function sigmoid(t: number): number {
  return 1 / (1 + Math.exp(-t));
}

/**
 * The logloss of raw score t for label y in {0, 1}: -y log sigmoid(t) - (1 - y) log(1 - sigmoid(t)),
 * computed as softplus so a large |t| neither overflows nor loses precision.
 */
export function logitLoss(t: number, y: number): number {
  return Math.max(t, 0) - t * y + Math.log1p(Math.exp(-Math.abs(t)));
}

/** Grows a scratch array to at least `n` entries (doubling), keeping nothing: for per-row buffers. */
export function ensureCapacity<T extends Float64Array | Int32Array>(array: T, n: number): T {
  if (array.length >= n) return array;
  return new (array.constructor as new (size: number) => T)(Math.max(n, array.length * 2));
}

/**
 * A model's parameter array: the given one (a loaded model), checked for its length, or a new one of
 * `length` filled by `init` (zeros when absent).
 * @throws IncompatibleFormatError when a given array has the wrong length.
 */
export function parameterArray(
  kind: CtrModelKind,
  name: string,
  length: number,
  given: Float32Array | undefined,
  init?: (array: Float32Array) => void,
): Float32Array {
  if (given !== undefined) {
    if (given.length !== length) throw new IncompatibleFormatError(`${kind} parameter ${name} has ${given.length} values, the model's shape needs ${length}`);
    return given;
  }
  const array = new Float32Array(length);
  init?.(array);
  return array;
}
