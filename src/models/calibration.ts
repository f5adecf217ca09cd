/**
 * Calibration: maps a model's predicted probability to one that matches observed rates. A calibration
 * is a list of steps applied in order, each probability → probability, saved with the model:
 *
 * - `downsampling`: undoes negative down-sampling. Training on all positives and a fraction w of the
 *   negatives inflates the odds by 1/w; the true probability is q / (q + (1 - q) / w) for a prediction q
 *   (He et al. 2014, "Practical Lessons from Predicting Clicks on Ads at Facebook", section 6).
 * - `platt`: sigma(a * logit(p) + b), fitted by Newton's method on the logloss with Platt's smoothed
 *   targets (Platt 1999; the safeguarded algorithm of Lin, Lin & Weng 2007).
 * - `isotonic`: the non-decreasing step function with the least squared error to the labels, fitted by
 *   pool adjacent violators (Ayer et al. 1955; Zadrozny & Elkan 2002), linearly interpolated between
 *   block ends and constant beyond them (as scikit-learn's IsotonicRegression).
 */

import { InvalidArgumentError } from '../core/index.js';

export type CalibrationStep =
  | { kind: 'downsampling'; negativeRate: number }
  | { kind: 'platt'; a: number; b: number }
  | { kind: 'isotonic'; thresholds: number[]; values: number[] };

export type Calibration = CalibrationStep[];

/** Probabilities are kept inside (EPSILON, 1 - EPSILON) so logit(p) stays finite. */
const EPSILON = 1e-12;

/**
 * The correction for a model trained with only `negativeRate` of the negatives kept.
 * @throws InvalidArgumentError unless 0 < negativeRate <= 1.
 */
export function downsamplingCorrection(negativeRate: number): CalibrationStep {
  if (!(negativeRate > 0 && negativeRate <= 1)) throw new InvalidArgumentError(`negative sampling rate must be in (0, 1], got ${negativeRate}`);
  return { kind: 'downsampling', negativeRate };
}

/** Applies the steps in order to one probability. */
export function calibrate(calibration: Calibration, p: number): number {
  let q = p;
  for (const step of calibration) q = applyStep(step, q);
  return q;
}

/** Applies the steps to every probability of `probabilities`, in place; returns it. */
export function calibrateAll(calibration: Calibration, probabilities: Float32Array): Float32Array {
  if (calibration.length === 0) return probabilities;
  for (let i = 0; i < probabilities.length; i++) probabilities[i] = calibrate(calibration, probabilities[i] as number);
  return probabilities;
}

function applyStep(step: CalibrationStep, p: number): number {
  switch (step.kind) {
    case 'downsampling':
      return p / (p + (1 - p) / step.negativeRate);
    case 'platt':
      return 1 / (1 + Math.exp(-(step.a * logit(p) + step.b)));
    case 'isotonic':
      return interpolate(step.thresholds, step.values, p);
  }
}

function logit(p: number): number {
  const q = Math.min(1 - EPSILON, Math.max(EPSILON, p));
  return Math.log(q / (1 - q));
}

/**
 * Fits Platt scaling to predicted probabilities and 0/1 labels (Lin, Lin & Weng 2007, Algorithm 1).
 * @throws InvalidArgumentError when the arrays differ in length, are empty or hold a value that is not finite.
 */
export function fitPlatt(probabilities: ArrayLike<number>, labels: ArrayLike<number>): CalibrationStep {
  checkPairs(probabilities, labels);
  const n = labels.length;
  const s = Float64Array.from({ length: n }, (_, i) => logit(probabilities[i] as number));
  let positives = 0;
  for (let i = 0; i < n; i++) if ((labels[i] as number) > 0.5) positives++;
  // Platt's targets: (N+ + 1) / (N+ + 2) and 1 / (N- + 2) instead of 1 and 0, against overfitting.
  const hi = (positives + 1) / (positives + 2);
  const lo = 1 / (n - positives + 2);
  const target = Float64Array.from({ length: n }, (_, i) => ((labels[i] as number) > 0.5 ? hi : lo));
  let a = 1;
  let b = 0;
  let loss = plattLoss(s, target, a, b);
  for (let iteration = 0; iteration < 100; iteration++) {
    const { ga, gb, haa, hab, hbb } = plattDerivatives(s, target, a, b);
    if (Math.abs(ga) < 1e-9 && Math.abs(gb) < 1e-9) break;
    const det = haa * hbb - hab * hab;
    const da = -(hbb * ga - hab * gb) / det;
    const db = -(-hab * ga + haa * gb) / det;
    const slope = ga * da + gb * db;
    let stepSize = 1;
    // Backtracking line search (Armijo, sufficient decrease 1e-4).
    while (stepSize >= 1e-10) {
      const next = plattLoss(s, target, a + stepSize * da, b + stepSize * db);
      if (next < loss + 1e-4 * stepSize * slope) {
        a += stepSize * da;
        b += stepSize * db;
        loss = next;
        break;
      }
      stepSize /= 2;
    }
    if (stepSize < 1e-10) break;
  }
  return { kind: 'platt', a, b };
}

/** Cross-entropy of sigma(a s + b) against the smoothed targets. */
function plattLoss(s: Float64Array, target: Float64Array, a: number, b: number): number {
  let loss = 0;
  for (let i = 0; i < s.length; i++) {
    const f = a * (s[i] as number) + b;
    const t = target[i] as number;
    loss += Math.max(f, 0) - f * t + Math.log1p(Math.exp(-Math.abs(f)));
  }
  return loss;
}

/** Gradient and Hessian of `plattLoss` in (a, b); the Hessian is nudged by 1e-12 to stay invertible. */
function plattDerivatives(s: Float64Array, target: Float64Array, a: number, b: number) {
  let ga = 0;
  let gb = 0;
  let haa = 1e-12;
  let hab = 0;
  let hbb = 1e-12;
  for (let i = 0; i < s.length; i++) {
    const si = s[i] as number;
    const p = 1 / (1 + Math.exp(-(a * si + b)));
    const d = p - (target[i] as number);
    const w = p * (1 - p);
    ga += d * si;
    gb += d;
    haa += w * si * si;
    hab += w * si;
    hbb += w;
  }
  return { ga, gb, haa, hab, hbb };
}

/**
 * Fits isotonic regression of the labels on the predicted probabilities by pool adjacent violators.
 * @throws InvalidArgumentError when the arrays differ in length, are empty or hold a value that is not finite.
 */
export function fitIsotonic(probabilities: ArrayLike<number>, labels: ArrayLike<number>): CalibrationStep {
  checkPairs(probabilities, labels);
  const blocks = poolAdjacentViolators(probabilities, labels);
  const thresholds: number[] = [];
  const values: number[] = [];
  for (const block of blocks) {
    const value = block.sum / block.weight;
    thresholds.push(block.xMin);
    values.push(value);
    if (block.xMax > block.xMin) {
      thresholds.push(block.xMax);
      values.push(value);
    }
  }
  return { kind: 'isotonic', thresholds, values };
}

export interface IsotonicBlock {
  xMin: number;
  xMax: number;
  /** Sum of the labels in the block. */
  sum: number;
  /** Number of points in the block. */
  weight: number;
}

/**
 * PAV: points sorted by x (equal x pooled first, since a function cannot take two values at one x),
 * then each new block is merged with the one before while their means decrease. O(n log n) for the sort.
 */
export function poolAdjacentViolators(x: ArrayLike<number>, y: ArrayLike<number>): IsotonicBlock[] {
  const order = Array.from({ length: x.length }, (_, i) => i).sort((i, j) => (x[i] as number) - (x[j] as number));
  const blocks: IsotonicBlock[] = [];
  for (let start = 0; start < order.length; ) {
    // All points at one x form one block before any merging.
    const xi = x[order[start] as number] as number;
    const block: IsotonicBlock = { xMin: xi, xMax: xi, sum: 0, weight: 0 };
    let end = start;
    for (; end < order.length && (end === start || x[order[end] as number] === xi); end++) {
      block.sum += y[order[end] as number] as number;
      block.weight++;
    }
    blocks.push(block);
    mergeViolators(blocks);
    start = end;
  }
  return blocks;
}

function mergeViolators(blocks: IsotonicBlock[]): void {
  for (;;) {
    const last = blocks[blocks.length - 1];
    const previous = blocks[blocks.length - 2];
    if (last === undefined || previous === undefined || previous.sum / previous.weight < last.sum / last.weight) return;
    previous.xMax = last.xMax;
    previous.sum += last.sum;
    previous.weight += last.weight;
    blocks.pop();
  }
}

/** Piecewise-linear through (thresholds[i], values[i]), constant outside; thresholds ascending. */
function interpolate(thresholds: readonly number[], values: readonly number[], x: number): number {
  const n = thresholds.length;
  if (n === 0) return x;
  if (x <= (thresholds[0] as number)) return values[0] as number;
  if (x >= (thresholds[n - 1] as number)) return values[n - 1] as number;
  let lo = 0;
  let hi = n - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if ((thresholds[mid] as number) <= x) lo = mid;
    else hi = mid;
  }
  const x0 = thresholds[lo] as number;
  const x1 = thresholds[hi] as number;
  const y0 = values[lo] as number;
  const y1 = values[hi] as number;
  return x1 === x0 ? y1 : y0 + ((y1 - y0) * (x - x0)) / (x1 - x0);
}

function checkPairs(probabilities: ArrayLike<number>, labels: ArrayLike<number>): void {
  if (probabilities.length !== labels.length || labels.length === 0) {
    throw new InvalidArgumentError(`calibration needs as many probabilities as labels, at least one; got ${probabilities.length} and ${labels.length}`);
  }
  for (let i = 0; i < labels.length; i++) {
    if (!Number.isFinite(probabilities[i]) || !Number.isFinite(labels[i])) {
      throw new InvalidArgumentError(`calibration input ${i} is not finite: probability ${String(probabilities[i])}, label ${String(labels[i])}`);
    }
  }
}
