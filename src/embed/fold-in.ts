import { InvalidArgumentError, Rng, type Seed } from '../core/index.js';
import type { BprModel } from './bpr-model.js';

export interface FoldInOptions {
  /**
   * `sgd`: start from the mean of the items' vectors, then run BPR SGD steps on the user's vector
   * alone (item vectors and biases frozen), as if the user had been in training. `mean`: the mean of
   * the items' vectors, no steps (cheaper, blurrier: it ignores what the user did not pick).
   */
  method: 'sgd' | 'mean';
  /** Passes over the user's items (sgd). */
  epochs: number;
  learningRate: number;
  /** lambda on the user's vector (sgd). */
  regularization: number;
  seed: Seed;
}

export const DEFAULT_FOLD_IN_OPTIONS: Readonly<FoldInOptions> = {
  method: 'sgd',
  epochs: 30,
  learningRate: 0.05,
  regularization: 0.02,
  seed: 'fold-in',
};

/**
 * A vector for a user the model was not trained on (a new or cold user) from a few items they
 * interacted with, so `model.scoreItems(vector, out)` ranks items for them. With no items the vector
 * is zero and the ranking falls back to the learned item biases (popularity). Deterministic for a seed.
 * @param items dense item indexes of the model (repeats are fine).
 * @returns a new [dim] vector.
 * @throws InvalidArgumentError on an item index outside the model or a bad option.
 */
export function foldInUser(model: BprModel, items: ArrayLike<number>, options: Partial<FoldInOptions> = {}): Float32Array {
  const config = { ...DEFAULT_FOLD_IN_OPTIONS, ...options };
  if (!Number.isInteger(config.epochs) || config.epochs < 0) throw new InvalidArgumentError(`fold-in epochs must be a whole number >= 0, got ${config.epochs}`);
  if (!(config.learningRate > 0)) throw new InvalidArgumentError(`fold-in learningRate must be > 0, got ${config.learningRate}`);
  if (!(config.regularization >= 0)) throw new InvalidArgumentError(`fold-in regularization must be >= 0, got ${config.regularization}`);
  const positives = Int32Array.from(new Set(Array.from(items))).sort();
  for (const i of positives) {
    if (!(i >= 0 && i < model.nItems)) throw new InvalidArgumentError(`fold-in item ${i} is outside the model's 0..${model.nItems - 1}`);
  }
  const vector = meanItemVector(model, positives);
  if (config.method === 'sgd' && positives.length > 0 && positives.length < model.nItems) foldInSgd(model, positives, vector, config);
  return vector;
}

function meanItemVector(model: BprModel, items: Int32Array): Float32Array {
  const { dim, itemFactors: H } = model;
  const vector = new Float32Array(dim);
  if (items.length === 0) return vector;
  for (const i of items) for (let f = 0; f < dim; f++) vector[f]! += H[i * dim + f] as number;
  for (let f = 0; f < dim; f++) vector[f]! /= items.length;
  return vector;
}

/** BPR steps on w_u only: w_u += alpha (sigma(-x_uij) (h_i - h_j) - lambda w_u), h and b frozen. */
function foldInSgd(model: BprModel, positives: Int32Array, vector: Float32Array, config: FoldInOptions): void {
  const { dim, nItems, itemFactors: H, itemBias: B } = model;
  const rng = new Rng(config.seed);
  const isPositive = (j: number): boolean => {
    let lo = 0;
    let hi = positives.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const value = positives[mid] as number;
      if (value === j) return true;
      if (value < j) lo = mid + 1;
      else hi = mid - 1;
    }
    return false;
  };
  for (let epoch = 0; epoch < config.epochs; epoch++) {
    for (let n = 0; n < positives.length; n++) {
      const i = positives[rng.int(positives.length)] as number;
      let j = rng.int(nItems);
      while (isPositive(j)) j = rng.int(nItems);
      let x = (B[i] as number) - (B[j] as number);
      for (let f = 0; f < dim; f++) x += (vector[f] as number) * ((H[i * dim + f] as number) - (H[j * dim + f] as number));
      const g = 1 / (1 + Math.exp(x));
      for (let f = 0; f < dim; f++) {
        const w = vector[f] as number;
        vector[f] = w + config.learningRate * (g * ((H[i * dim + f] as number) - (H[j * dim + f] as number)) - config.regularization * w);
      }
    }
  }
}
