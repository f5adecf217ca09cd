/**
 * Training the list-aware re-ranker (src/rerank/list-aware-reranker.ts) from impression logs with
 * LambdaRank (Burges, "From RankNet to LambdaRank to LambdaMART: An Overview", MSR-TR-2010-82):
 * each logged list is rebuilt in the order shown, clicks (joined by requestId + itemId) are the labels,
 * context features come from the list as shown, and a linear scorer follows the pairwise lambdas
 * weighted by |ΔNDCG|. Offline evaluation: NDCG@10 of clicks on held-out lists, the learned greedy
 * order against the logged (pointwise) order.
 */

import { CancelledError, InvalidArgumentError, Rng, type Item, type Seed } from '../core/index.js';
import {
  CatalogItemAttributes,
  greedyListOrder,
  LIST_FEATURE_COUNT,
  LIST_FEATURES,
  LinearListScorer,
  listFeatures,
  POINTWISE_RANK_BUCKETS,
  type ItemAttributes,
  type ListFeature,
  type ListScorer,
} from '../rerank/index.js';
import type { Store } from '../store/index.js';

/** One logged list, in the order shown. */
export interface LoggedList {
  time: number;
  docIds: Int32Array; // [n]
  /** Pointwise score: the logged recallScore when present, else 1 / position. [n] */
  scores: Float64Array;
  /** 1 when the item was clicked. [n] */
  labels: Uint8Array;
  /** Context features as shown. [n, LIST_FEATURE_COUNT] row-major */
  features: Float32Array;
}

export interface ListRerankTrainingConfig {
  /** Train and validation shares of the lists, by time; the rest is the test set. Default [0.7, 0.15]. */
  split: [number, number];
  /** At most this many passes over the training lists. Default 60. */
  epochs: number;
  /** Stop after this many epochs without a better validation NDCG@10. Default 6. */
  patience: number;
  /** Step size of the per-list gradient step. Default 0.01. */
  learningRate: number;
  /** L2 penalty on the weights. Default 1e-3. */
  l2: number;
  /** σ of the RankNet pairwise probability 1 / (1 + exp(−σ (s_i − s_j))). Default 1. */
  sigma: number;
  /** The cut-off of the NDCG used for early stopping and reports. Default 10. */
  k: number;
  /** Seeds the order in which training lists are visited and the bootstrap. Default 'quarry'. */
  seed: Seed;
  /**
   * Features kept at weight 0 (see `DEFAULT_FROZEN_FEATURES`). Default: the placed position and the
   * "same ... above" counts.
   */
  frozen: readonly ListFeature[];
  /** Bootstrap resamples of the test lists for the interval of the NDCG difference. Default 1000. */
  bootstrap: number;
}

/**
 * Features a linear scorer leaves at weight 0 by default.
 * - `reciprocalRank`, `logPosition`: the placed position is the same for every candidate of a greedy
 *   step, so its weight cannot change the order at inference; in the logged lists it equals the
 *   pointwise rank, and weight learned on it would be taken from the pointwise rank and lost.
 * - `sameBrandAbove`, `sameCategoryAbove`, `sameShopAbove`, `samePriceBandAbove`: in logged lists these
 *   counts grow with position, so trained on clicks drawn with position bias they partly learn "lower
 *   is worse". The simulated shoppers do discount a brand they have already examined above (the click
 *   model's redundancy), and trained on those logs the brand and category counts get negative weights,
 *   but on six simulated shops (docs/reranking.md) training them gave no better validation NDCG@10
 *   (mean difference to the pointwise order +0.0053 against +0.0056 frozen) and a lower test one: the
 *   penalty falls mostly on the top few items, which are there for their relevance, so demoting them
 *   costs about what it saves. They stay in the layout for logs where context matters more and for
 *   a scorer that combines features; unfreeze with `frozen`.
 */
export const DEFAULT_FROZEN_FEATURES: readonly ListFeature[] = [
  'reciprocalRank',
  'logPosition',
  'sameBrandAbove',
  'sameCategoryAbove',
  'sameShopAbove',
  'samePriceBandAbove',
];

export const DEFAULT_LIST_RERANK_TRAINING_CONFIG: ListRerankTrainingConfig = {
  split: [0.7, 0.15],
  epochs: 60,
  patience: 6,
  learningRate: 0.01,
  l2: 1e-3,
  sigma: 1,
  k: 10,
  seed: 'quarry',
  frozen: DEFAULT_FROZEN_FEATURES,
  bootstrap: 1000,
};

/** Mean NDCG@k of clicks over a set of lists: the learned greedy order and the logged order. */
export interface ListNdcg {
  lists: number;
  learned: number;
  pointwise: number;
}

/** The test lists' NDCG with the paired difference learned − pointwise and its 95% bootstrap interval. */
export interface ListNdcgWithInterval extends ListNdcg {
  delta: { mean: number; low: number; high: number };
}

export interface ListRerankReport {
  /** Logged lists read, and the ones kept (at least 2 items and 1 click). */
  lists: { logged: number; withClicks: number; train: number; valid: number; test: number };
  epochs: number;
  bestEpoch: number;
  /** Validation NDCG@k of the learned order after each epoch (index 0: before training, the pointwise order). */
  history: number[];
  valid: ListNdcg;
  test: ListNdcgWithInterval;
  weights: Record<string, number>;
}

export interface ListRerankTrainingOptions {
  store: Store;
  config?: Partial<ListRerankTrainingConfig>;
  signal?: AbortSignal;
  onProgress?: (progress: { phase: 'lists' | 'train'; done: number; total: number }) => void;
}

/**
 * Reads the store's impressions and clicks into logged lists, trains a linear list scorer with
 * LambdaRank and early stopping on validation NDCG@k, and reports NDCG@k on the test lists.
 * @throws InvalidArgumentError when fewer than 20 lists have clicks, or the split is not two shares
 *   summing below 1; CancelledError when `signal` aborts (checked once per epoch).
 */
export async function trainListReranker(options: ListRerankTrainingOptions): Promise<{ scorer: LinearListScorer; report: ListRerankReport }> {
  const config = { ...DEFAULT_LIST_RERANK_TRAINING_CONFIG, ...options.config };
  const [trainShare, validShare] = config.split;
  if (!(trainShare > 0 && validShare > 0 && trainShare + validShare < 1)) {
    throw new InvalidArgumentError(`split [${trainShare}, ${validShare}] must be two positive shares summing below 1`);
  }
  options.onProgress?.({ phase: 'lists', done: 0, total: 1 });
  const { lists, logged, attributes } = await readLoggedLists(options.store);
  options.onProgress?.({ phase: 'lists', done: 1, total: 1 });
  if (lists.length < 20) throw new InvalidArgumentError(`the event log has ${lists.length} lists with clicks; training needs at least 20`);
  const trainEnd = Math.round(lists.length * trainShare);
  const validEnd = Math.round(lists.length * (trainShare + validShare));
  const split = { train: lists.slice(0, trainEnd), valid: lists.slice(trainEnd, validEnd), test: lists.slice(validEnd) };
  const fit = fitLambdaRank({ ...split, attributes }, config, options);
  carryRankBuckets(fit.weights, split.train);
  const scorer = new LinearListScorer(fit.weights);
  const report: ListRerankReport = {
    lists: { logged, withClicks: lists.length, train: split.train.length, valid: split.valid.length, test: split.test.length },
    epochs: fit.epochs,
    bestEpoch: fit.bestEpoch,
    history: fit.history,
    valid: evaluateLists({ lists: split.valid, scorer, attributes, k: config.k }),
    test: evaluateWithInterval({ lists: split.test, scorer, attributes, k: config.k, resamples: config.bootstrap, rng: new Rng(config.seed).fork('bootstrap') }),
    weights: Object.fromEntries(LIST_FEATURES.map((name, f) => [name, fit.weights[f] ?? 0])),
  };
  return { scorer, report };
}

function fitLambdaRank(
  split: { train: LoggedList[]; valid: LoggedList[]; attributes: ItemAttributes },
  config: ListRerankTrainingConfig,
  options: Pick<ListRerankTrainingOptions, 'signal' | 'onProgress'>,
): { weights: Float64Array; epochs: number; bestEpoch: number; history: number[] } {
  const rng = new Rng(config.seed).fork('list-rerank');
  const frozen = Uint8Array.from(LIST_FEATURES, (name) => (config.frozen.includes(name) ? 1 : 0)); // [LIST_FEATURE_COUNT]
  const weights = new Float64Array(LIST_FEATURE_COUNT);
  // Start from the pointwise order (weight on the pointwise rank) so epoch 0 is the baseline to beat.
  weights[LIST_FEATURES.indexOf('pointwiseLogDiscount')] = 1;
  const validNdcg = () => evaluateLists({ lists: split.valid, scorer: new LinearListScorer(weights), attributes: split.attributes, k: config.k }).learned;
  let best = { weights: weights.slice(), ndcg: validNdcg(), epoch: 0 };
  const history = [best.ndcg];
  const visit = split.train.map((_, i) => i);
  let epoch = 0;
  while (epoch < config.epochs && epoch - best.epoch < config.patience) {
    if (options.signal?.aborted === true) throw new CancelledError(`list re-ranker training stopped after ${epoch} of ${config.epochs} epochs`);
    epoch++;
    rng.shuffle(visit);
    for (const i of visit) stepList(split.train[i] as LoggedList, weights, frozen, config);
    const ndcg = validNdcg();
    history.push(ndcg);
    if (ndcg > best.ndcg) best = { weights: weights.slice(), ndcg, epoch };
    options.onProgress?.({ phase: 'train', done: epoch, total: config.epochs });
  }
  return { weights: best.weights, epochs: epoch, bestEpoch: best.epoch, history };
}

/** One gradient step on one list: w ← w + η (Σ_i λ_i x_i − l2 · w), λ the LambdaRank forces. */
function stepList(list: LoggedList, weights: Float64Array, frozen: Uint8Array, config: ListRerankTrainingConfig): void {
  const n = list.docIds.length;
  const scorer = new LinearListScorer(weights);
  const scores = new Float64Array(n);
  for (let i = 0; i < n; i++) scores[i] = scorer.scoreRow(list.features, i * LIST_FEATURE_COUNT);
  const lambdas = lambdaRankForces(scores, list.labels, config.sigma);
  for (let f = 0; f < LIST_FEATURE_COUNT; f++) {
    if (frozen[f] === 1) continue;
    let grad = 0;
    for (let i = 0; i < n; i++) grad += (lambdas[i] as number) * (list.features[i * LIST_FEATURE_COUNT + f] as number);
    weights[f] = (weights[f] as number) + config.learningRate * (grad - config.l2 * (weights[f] as number));
  }
}

/**
 * Pointwise-rank buckets that no training item fell in (ranks past the logged page length) got no
 * gradient and keep weight 0, which would rank them above the trained buckets' (mostly negative)
 * weights at serving time, where lists are longer than the logged pages. Each takes the weight of the
 * bucket before it instead, so the order past the trained ranks stays the pointwise order.
 */
function carryRankBuckets(weights: Float64Array, lists: readonly LoggedList[]): void {
  const first = LIST_FEATURES.indexOf('pointwiseRank1');
  const seen = new Uint8Array(POINTWISE_RANK_BUCKETS.length);
  for (const list of lists) {
    for (let i = 0; i < list.docIds.length; i++) {
      for (let b = 0; b < seen.length; b++) if ((list.features[i * LIST_FEATURE_COUNT + first + b] as number) !== 0) seen[b] = 1;
    }
  }
  for (let b = 1; b < seen.length; b++) if (seen[b] === 0) weights[first + b] = weights[first + b - 1] as number;
}

/**
 * LambdaRank forces (Burges 2010, eqs. 3–4 with |ΔNDCG|): for each pair with label_i > label_j,
 * λ_ij = σ |ΔNDCG_ij| / (1 + exp(σ (s_i − s_j))) pushes s_i up and s_j down by that amount.
 * ΔNDCG_ij is the change of the list's full NDCG (gain 2^label − 1, discount 1 / log2(1 + rank), ranks
 * by the current scores) when i and j swap. Returns λ ([n]) = −∂C/∂s: positive means "score higher".
 * A list whose labels are all equal gets all zeros.
 */
export function lambdaRankForces(scores: Float64Array, labels: ArrayLike<number>, sigma: number): Float64Array {
  const n = scores.length;
  const lambdas = new Float64Array(n);
  const byScore = Array.from({ length: n }, (_, i) => i).sort((a, b) => (scores[b] as number) - (scores[a] as number) || a - b);
  const discount = new Float64Array(n); // [n] by item: 1 / log2(1 + rank)
  byScore.forEach((i, r) => (discount[i] = 1 / Math.log2(r + 2)));
  const gain = (i: number) => 2 ** (labels[i] as number) - 1;
  const ideal = Array.from({ length: n }, (_, i) => gain(i)).sort((a, b) => b - a);
  const idcg = ideal.reduce((sum, g, r) => sum + g / Math.log2(r + 2), 0);
  if (idcg === 0) return lambdas;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (!((labels[i] as number) > (labels[j] as number))) continue;
      const delta = Math.abs((gain(i) - gain(j)) * ((discount[i] as number) - (discount[j] as number))) / idcg;
      const force = (sigma * delta) / (1 + Math.exp(sigma * ((scores[i] as number) - (scores[j] as number))));
      lambdas[i] = (lambdas[i] as number) + force;
      lambdas[j] = (lambdas[j] as number) - force;
    }
  }
  return lambdas;
}

/** NDCG@k of binary labels in the order given (gain 2^l − 1, discount log2(1 + rank)). */
export function ndcgOfLabels(labels: ArrayLike<number>, k: number): number {
  const gains = Array.from(labels, (l) => 2 ** l - 1);
  const dcg = gains.slice(0, k).reduce((sum, g, r) => sum + g / Math.log2(r + 2), 0);
  const idcg = gains.sort((a, b) => b - a).slice(0, k).reduce((sum, g, r) => sum + g / Math.log2(r + 2), 0);
  return idcg === 0 ? 0 : dcg / idcg;
}

/**
 * Mean NDCG@k over lists of the scorer's greedy order (features of the list it builds) and of the
 * logged order.
 */
export function evaluateLists(options: { lists: readonly LoggedList[]; scorer: ListScorer; attributes: ItemAttributes; k: number }): ListNdcg {
  const { lists, scorer, attributes, k } = options;
  let learned = 0;
  let pointwise = 0;
  for (const list of lists) {
    const entries = Array.from(list.docIds, (docId, i) => ({ docId, score: list.scores[i] as number }));
    const { order } = greedyListOrder({ list: entries, attributes, scorer, k: entries.length });
    learned += ndcgOfLabels(Array.from(order, (i) => list.labels[i] as number), k);
    pointwise += ndcgOfLabels(list.labels, k);
  }
  const m = Math.max(1, lists.length);
  return { lists: lists.length, learned: learned / m, pointwise: pointwise / m };
}

/**
 * `evaluateLists` on the test lists, with the paired difference learned − pointwise per list and a 95%
 * percentile bootstrap interval of its mean (lists resampled with replacement, `resamples` times).
 */
export function evaluateWithInterval(options: {
  lists: readonly LoggedList[];
  scorer: ListScorer;
  attributes: ItemAttributes;
  k: number;
  resamples: number;
  rng: Rng;
}): ListNdcgWithInterval {
  const { lists, resamples, rng } = options;
  const perList = lists.map((list) => evaluateLists({ ...options, lists: [list] }));
  const diffs = Float64Array.from(perList, (r) => r.learned - r.pointwise); // [lists]
  const total = evaluateLists(options);
  const n = diffs.length;
  const means = new Float64Array(resamples);
  for (let b = 0; b < resamples && n > 0; b++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += diffs[rng.int(n)] as number;
    means[b] = sum / n;
  }
  means.sort();
  const mean = total.learned - total.pointwise;
  const at = (q: number) => (n === 0 || resamples === 0 ? mean : (means[Math.min(resamples - 1, Math.floor(q * resamples))] as number));
  return { ...total, delta: { mean, low: at(0.025), high: at(0.975) } };
}

/**
 * The store's impressions rebuilt as lists in the order shown (by position), labelled by the clicks
 * with the same requestId and itemId, sorted by time. Keeps lists of at least 2 catalog items with at
 * least one click (a list without clicks has no NDCG and gives no LambdaRank pairs). Doc ids index the
 * store's items in scan order; `attributes` reads them.
 */
export async function readLoggedLists(store: Store): Promise<{ lists: LoggedList[]; logged: number; attributes: ItemAttributes }> {
  const items: Item[] = [];
  const docIdOf = new Map<string, number>();
  for await (const item of store.scanItems()) docIdOf.set(item.id, items.push(item) - 1);
  const attributes = new CatalogItemAttributes({ item: (docId) => items[docId] });
  const clicked = new Set<string>();
  const shown: { time: number; requestId: string; items: { itemId: string; position: number; recallScore?: number | undefined }[] }[] = [];
  for await (const event of store.readEvents({ types: ['impression', 'click'] })) {
    if (event.type === 'impression') shown.push(event);
    else if (event.type === 'click' && event.requestId !== undefined) clicked.add(`${event.requestId}\u0000${event.itemId}`);
  }
  const lists: LoggedList[] = [];
  for (const impression of shown) {
    const known = impression.items.filter((i) => docIdOf.has(i.itemId)).sort((a, b) => a.position - b.position);
    const labels = Uint8Array.from(known, (i) => (clicked.has(`${impression.requestId}\u0000${i.itemId}`) ? 1 : 0));
    if (known.length < 2 || !labels.includes(1)) continue;
    const docIds = Int32Array.from(known, (i) => docIdOf.get(i.itemId) as number);
    const scores = Float64Array.from(known, (i) => i.recallScore ?? 1 / i.position);
    const features = listFeatures(Array.from(docIds, (docId, i) => ({ docId, score: scores[i] as number })), attributes);
    lists.push({ time: impression.time, docIds, scores, labels, features });
  }
  lists.sort((a, b) => a.time - b.time);
  return { lists, logged: shown.length, attributes };
}
