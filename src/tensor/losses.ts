/**
 * Losses, each a mean over examples (a scalar tensor).
 *
 *   bceWithLogits(z [...], y [...])               mean of max(z,0) - z·y + log(1 + e^-|z|)      dz = (σ(z) - y) / n
 *   softmaxCrossEntropy(z [N, C], labels [N])     mean of -log softmax(z)[label]                dz = (softmax(z) - onehot) / N
 *   sampledSoftmaxLoss(...)                       softmax CE over [positive, sampled negatives] with logQ correction
 *
 * The first two are fused ops (stable forms, one pass); the sampled softmax is composed from
 * gather, matmul and softmaxCrossEntropy, so its gradient reaches only the rows it touched.
 */

import { InvalidArgumentError } from '../core/errors.js';
import { accumulateFreshGrad, record } from './autograd.js';
import { add, mul } from './elementwise.js';
import { gatherRows } from './gather.js';
import { concat } from './layout.js';
import { matmul } from './matmul.js';
import { softmaxRows, sum } from './reduce.js';
import { formatShape } from './shape.js';
import { Tensor } from './tensor.js';

/**
 * Binary cross-entropy on logits, averaged; `targets` in [0, 1] with the logits' layout.
 * @throws InvalidArgumentError when targets and logits differ in size.
 */
export function bceWithLogits(logits: Tensor, targets: Float32Array): Tensor {
  const n = logits.size;
  if (targets.length !== n) throw new InvalidArgumentError(`bceWithLogits: ${targets.length} targets for logits of shape ${formatShape(logits.shape)}`);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const z = logits.data[i] as number;
    total += Math.max(z, 0) - z * (targets[i] as number) + Math.log1p(Math.exp(-Math.abs(z)));
  }
  const out = new Tensor(new Float32Array([total / Math.max(1, n)]), []);
  return record(out, 'bceWithLogits', [logits], (g) => {
    const scale = (g[0] as number) / Math.max(1, n);
    const gz = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const z = logits.data[i] as number;
      const p = z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
      gz[i] = (p - (targets[i] as number)) * scale;
    }
    accumulateFreshGrad(logits, gz);
  });
}

/**
 * Softmax cross-entropy of [N, C] logits against integer labels, averaged over N.
 * @throws InvalidArgumentError naming the shape when labels do not fit the logits.
 */
export function softmaxCrossEntropy(logits: Tensor, labels: Int32Array): Tensor {
  if (logits.rank !== 2 || logits.shape[0] !== labels.length) {
    throw new InvalidArgumentError(`softmaxCrossEntropy: logits ${formatShape(logits.shape)} need [N, C] with N = ${labels.length} labels`);
  }
  const [rows, classes] = logits.shape as [number, number];
  for (let i = 0; i < rows; i++) {
    const label = labels[i] as number;
    if (label < 0 || label >= classes) throw new InvalidArgumentError(`softmaxCrossEntropy: label ${label} (row ${i}) is outside [0, ${classes})`);
  }
  const probs = new Float32Array(logits.size);
  softmaxRows(logits.data, probs, classes);
  let total = 0;
  // -log p computed from the logits (log-sum-exp) so a vanishing probability still gives a finite loss.
  for (let i = 0; i < rows; i++) {
    const base = i * classes;
    let m = Number.NEGATIVE_INFINITY;
    for (let j = 0; j < classes; j++) m = Math.max(m, logits.data[base + j] as number);
    let s = 0;
    for (let j = 0; j < classes; j++) s += Math.exp((logits.data[base + j] as number) - m);
    total += m + Math.log(s) - (logits.data[base + (labels[i] as number)] as number);
  }
  const out = new Tensor(new Float32Array([total / Math.max(1, rows)]), []);
  return record(out, 'softmaxCrossEntropy', [logits], (g) => {
    const scale = (g[0] as number) / Math.max(1, rows);
    const gz = new Float32Array(logits.size);
    for (let i = 0; i < gz.length; i++) gz[i] = (probs[i] as number) * scale;
    for (let i = 0; i < rows; i++) {
      const at = i * classes + (labels[i] as number);
      gz[at] = (gz[at] as number) - scale;
    }
    accumulateFreshGrad(logits, gz);
  }, probs.byteLength);
}

export interface SampledSoftmaxInput {
  /** [N, d] query (user or context) vectors. */
  query: Tensor;
  /** [V, d] item table; `sparse` tables get row-sparse gradients. */
  items: Tensor;
  /** [N] the positive item of each query. */
  positives: Int32Array;
  /** [S] sampled negative items, shared by every query in the batch. */
  negatives: Int32Array;
  /** [V] log of each item's sampling probability; subtracted from its logit (logQ correction). */
  logQ?: Float32Array;
  /** Divides the logits. Default 1. */
  temperature?: number;
}

/**
 * Sampled softmax (Jean et al. 2015) with the logQ correction (Bengio & Senécal 2008; Yi et al.
 * 2019, eq. 3): logits [N, 1 + S] = [q·e_pos, q·e_neg...] - log Q(item), over the temperature; a
 * sampled negative equal to the row's positive (an accidental hit) is masked out; the loss is the
 * softmax cross-entropy with the positive in column 0.
 * @throws InvalidArgumentError naming the shapes when query, items and ids do not fit together.
 */
export function sampledSoftmaxLoss(input: SampledSoftmaxInput): Tensor {
  const { query, items, positives, negatives } = input;
  if (query.rank !== 2 || items.rank !== 2 || query.shape[1] !== items.shape[1] || query.shape[0] !== positives.length) {
    throw new InvalidArgumentError(
      `sampledSoftmaxLoss: query ${formatShape(query.shape)} and items ${formatShape(items.shape)} need [N, d] and [V, d] with N = ${positives.length} positives`,
    );
  }
  const n = positives.length;
  const s = negatives.length;
  const positiveLogits = sum(mul(query, gatherRows(items, positives)), { axes: [1], keepDims: true }); // [N, 1]
  const negativeLogits = matmul(query, gatherRows(items, negatives), { transB: true }); // [N, S]
  const correction = new Float32Array(n * (1 + s));
  const logQ = input.logQ;
  for (let i = 0; i < n; i++) {
    const pos = positives[i] as number;
    correction[i * (1 + s)] = logQ === undefined ? 0 : -(logQ[pos] as number);
    for (let j = 0; j < s; j++) {
      const neg = negatives[j] as number;
      correction[i * (1 + s) + 1 + j] = neg === pos ? -1e9 : logQ === undefined ? 0 : -(logQ[neg] as number);
    }
  }
  const logits = add(concat([positiveLogits, negativeLogits], 1), new Tensor(correction, [n, 1 + s]));
  const scaled = input.temperature === undefined ? logits : mul(logits, 1 / input.temperature);
  return softmaxCrossEntropy(scaled, new Int32Array(n));
}
