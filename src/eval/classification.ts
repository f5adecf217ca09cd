/**
 * Metrics of predicted probabilities against 0/1 labels (CTR, CVR): ranking quality (AUC, GAUC),
 * probability quality (logloss, normalised entropy) and calibration (predicted / observed, reliability
 * bins). A label counts as positive when it is > 0.5.
 */

import { InvalidArgumentError } from '../core/index.js';

/** Probabilities are clipped to [LOGLOSS_EPSILON, 1 - LOGLOSS_EPSILON] in logloss (as scikit-learn). */
export const LOGLOSS_EPSILON = 1e-15;

/**
 * Area under the ROC curve: the probability that a random positive scores above a random negative,
 * ties counting one half. Computed from ranks (Mann-Whitney U) with tied scores given their average
 * rank, O(n log n).
 * @returns NaN when the labels hold only one class (AUC is undefined).
 * @throws InvalidArgumentError when scores and labels differ in length.
 */
export function auc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  checkLengths(scores, labels);
  const order = Uint32Array.from({ length: scores.length }, (_, i) => i).sort((i, j) => (scores[i] as number) - (scores[j] as number));
  return aucOfOrder(scores, labels, order, 0, order.length);
}

/** AUC of the rows order[from..to), already sorted by ascending score. */
function aucOfOrder(scores: ArrayLike<number>, labels: ArrayLike<number>, order: Uint32Array, from: number, to: number): number {
  let positives = 0;
  let positiveRankSum = 0;
  for (let start = from; start < to; ) {
    const score = scores[order[start] as number] as number;
    let end = start;
    let tiedPositives = 0;
    for (; end < to && (scores[order[end] as number] as number) === score; end++) if ((labels[order[end] as number] as number) > 0.5) tiedPositives++;
    // Ranks start..end-1 (1-based: start-from+1 .. end-from) share their average.
    const averageRank = (start - from + 1 + (end - from)) / 2;
    positives += tiedPositives;
    positiveRankSum += tiedPositives * averageRank;
    if (end === start) end++; // a NaN score equals nothing: move on
    start = end;
  }
  const negatives = to - from - positives;
  if (positives === 0 || negatives === 0) return Number.NaN;
  return (positiveRankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

export interface GaucResult {
  /** sum_g n_g AUC_g / sum_g n_g over the groups with both classes (NaN when there is none). */
  gauc: number;
  /** Groups that counted. */
  groups: number;
  /** Groups skipped because all their rows had one label. */
  skippedGroups: number;
  /** Rows in the groups that counted. */
  rows: number;
}

/**
 * Group AUC (Zhu et al. 2017, "Optimized Cost per Click in Taobao Display Advertising"): the AUC within
 * each group (user, query), weighted by the group's impressions. Groups with one class are skipped.
 * @throws InvalidArgumentError when the three arrays differ in length.
 */
export function gauc(scores: ArrayLike<number>, labels: ArrayLike<number>, groups: ArrayLike<number>): GaucResult {
  checkLengths(scores, labels);
  if (groups.length !== labels.length) throw new InvalidArgumentError(`gauc needs one group per label: ${groups.length} groups, ${labels.length} labels`);
  const order = Uint32Array.from({ length: scores.length }, (_, i) => i).sort(
    (i, j) => (groups[i] as number) - (groups[j] as number) || (scores[i] as number) - (scores[j] as number),
  );
  const result: GaucResult = { gauc: 0, groups: 0, skippedGroups: 0, rows: 0 };
  let weighted = 0;
  for (let start = 0; start < order.length; ) {
    const group = groups[order[start] as number] as number;
    let end = start + 1;
    while (end < order.length && groups[order[end] as number] === group) end++;
    const groupAuc = aucOfOrder(scores, labels, order, start, end);
    if (Number.isNaN(groupAuc)) result.skippedGroups++;
    else {
      result.groups++;
      result.rows += end - start;
      weighted += groupAuc * (end - start);
    }
    start = end;
  }
  result.gauc = result.rows === 0 ? Number.NaN : weighted / result.rows;
  return result;
}

/**
 * Mean binary cross-entropy -[y log p + (1 - y) log(1 - p)], p clipped by `LOGLOSS_EPSILON`.
 * @returns NaN for empty input.
 * @throws InvalidArgumentError when the arrays differ in length.
 */
export function logloss(probabilities: ArrayLike<number>, labels: ArrayLike<number>): number {
  checkLengths(probabilities, labels);
  let sum = 0;
  for (let i = 0; i < labels.length; i++) {
    const p = Math.min(1 - LOGLOSS_EPSILON, Math.max(LOGLOSS_EPSILON, probabilities[i] as number));
    sum -= (labels[i] as number) > 0.5 ? Math.log(p) : Math.log(1 - p);
  }
  return sum / labels.length;
}

/**
 * Normalised entropy (He et al. 2014, section 2): logloss divided by the entropy of the base rate, so
 * 1 means no better than always predicting the average CTR, and lower is better.
 * @returns NaN when the labels hold one class only.
 */
export function normalizedEntropy(probabilities: ArrayLike<number>, labels: ArrayLike<number>): number {
  const base = positiveRate(labels);
  if (!(base > 0 && base < 1)) return Number.NaN;
  return logloss(probabilities, labels) / -(base * Math.log(base) + (1 - base) * Math.log(1 - base));
}

/**
 * Predicted over observed positives: sum p / sum y (1 is calibrated, above 1 over-predicts).
 * @returns NaN when there is no positive.
 */
export function calibrationRatio(probabilities: ArrayLike<number>, labels: ArrayLike<number>): number {
  checkLengths(probabilities, labels);
  let predicted = 0;
  let observed = 0;
  for (let i = 0; i < labels.length; i++) {
    predicted += probabilities[i] as number;
    if ((labels[i] as number) > 0.5) observed++;
  }
  return observed === 0 ? Number.NaN : predicted / observed;
}

export interface ReliabilityBin {
  /** The bin is [lower, upper) (the last one includes 1). */
  lower: number;
  upper: number;
  count: number;
  meanPredicted: number;
  observedRate: number;
}

/**
 * Reliability diagram data: predictions in `bins` equal-width bins over [0, 1], each with its mean
 * prediction and observed positive rate (a calibrated model has them equal). Empty bins are left out.
 * @throws InvalidArgumentError for a bin count that is not a positive integer or arrays of different lengths.
 */
export function reliabilityBins(probabilities: ArrayLike<number>, labels: ArrayLike<number>, bins = 10): ReliabilityBin[] {
  checkLengths(probabilities, labels);
  if (!Number.isInteger(bins) || bins < 1) throw new InvalidArgumentError(`reliability bins must be a positive integer, got ${bins}`);
  const count = new Float64Array(bins);
  const predicted = new Float64Array(bins);
  const observed = new Float64Array(bins);
  for (let i = 0; i < labels.length; i++) {
    const p = probabilities[i] as number;
    const bin = Math.min(bins - 1, Math.max(0, Math.floor(p * bins)));
    count[bin] = (count[bin] as number) + 1;
    predicted[bin] = (predicted[bin] as number) + p;
    if ((labels[i] as number) > 0.5) observed[bin] = (observed[bin] as number) + 1;
  }
  const out: ReliabilityBin[] = [];
  for (let b = 0; b < bins; b++) {
    const n = count[b] as number;
    if (n === 0) continue;
    out.push({ lower: b / bins, upper: (b + 1) / bins, count: n, meanPredicted: (predicted[b] as number) / n, observedRate: (observed[b] as number) / n });
  }
  return out;
}

export interface ClassificationMetrics {
  count: number;
  positives: number;
  logloss: number;
  auc: number;
  normalizedEntropy: number;
  calibrationRatio: number;
}

/** The usual CTR metrics of one set of predictions. */
export function classificationMetrics(probabilities: ArrayLike<number>, labels: ArrayLike<number>): ClassificationMetrics {
  return {
    count: labels.length,
    positives: Math.round(positiveRate(labels) * labels.length),
    logloss: logloss(probabilities, labels),
    auc: auc(probabilities, labels),
    normalizedEntropy: normalizedEntropy(probabilities, labels),
    calibrationRatio: calibrationRatio(probabilities, labels),
  };
}

function positiveRate(labels: ArrayLike<number>): number {
  let positives = 0;
  for (let i = 0; i < labels.length; i++) if ((labels[i] as number) > 0.5) positives++;
  return labels.length === 0 ? Number.NaN : positives / labels.length;
}

function checkLengths(scores: ArrayLike<number>, labels: ArrayLike<number>): void {
  if (scores.length !== labels.length) throw new InvalidArgumentError(`need one score per label: ${scores.length} scores, ${labels.length} labels`);
}
