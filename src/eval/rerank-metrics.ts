/**
 * Metrics of a served list beyond relevance: novelty-aware relevance (alpha-nDCG), diversity within a
 * list (ILD), across lists (catalog coverage, Gini of exposure), the share of exposure new items get,
 * and revenue. Lists are doc ids best first; each function takes what it needs about an item as a
 * function, so it depends on no stage.
 */

import { InvalidArgumentError } from '../core/index.js';

export interface AlphaNdcgOptions {
  /** Cut-off. */
  k: number;
  /** Redundancy penalty α in [0, 1): the gain of a subtopic already covered r times is (1 − α)^r. */
  alpha: number;
  /** The documents the ideal list is chosen from (default: the ranking itself, i.e. a re-ordering judge). */
  pool?: readonly number[];
}

export const DEFAULT_ALPHA_NDCG_OPTIONS: AlphaNdcgOptions = { k: 10, alpha: 0.5 };

/**
 * alpha-nDCG@k (Clarke et al., "Novelty and Diversity in Information Retrieval Evaluation", SIGIR
 * 2008, eq. 5 ff.): the gain at rank j is Σ_s J(d_j, s) (1 − α)^{r_{s,j−1}}, r_{s,j−1} the number of
 * documents above j relevant to subtopic s, discounted by log2(1 + j); normalised by the same sum over
 * the greedy ideal list (the exact ideal is NP-hard; the paper uses the greedy one too).
 * @param subtopics the subtopics a document is relevant to (e.g. its category when it is relevant,
 *   none otherwise).
 * @returns a value in [0, 1]; 0 when no document of the pool is relevant to anything.
 * @throws InvalidArgumentError when alpha is outside [0, 1) or k < 1.
 */
export function alphaNdcg(
  ranking: readonly number[],
  subtopics: (docId: number) => readonly (string | number)[],
  options: Partial<AlphaNdcgOptions> = {},
): number {
  const { k, alpha } = { ...DEFAULT_ALPHA_NDCG_OPTIONS, ...options };
  if (!(alpha >= 0 && alpha < 1)) throw new InvalidArgumentError(`alpha-nDCG needs alpha in [0, 1), got ${alpha}`);
  if (!(k >= 1)) throw new InvalidArgumentError(`alpha-nDCG needs k >= 1, got ${k}`);
  const ideal = idealAlphaDcg(options.pool ?? ranking, subtopics, { k, alpha });
  if (ideal === 0) return 0;
  const covered = new Map<string | number, number>();
  let dcg = 0;
  ranking.slice(0, k).forEach((docId, j) => {
    dcg += novelGain(subtopics(docId), covered, alpha, true) / Math.log2(j + 2);
  });
  return dcg / ideal;
}

function novelGain(topics: readonly (string | number)[], covered: Map<string | number, number>, alpha: number, take: boolean): number {
  let gain = 0;
  for (const s of topics) {
    const r = covered.get(s) ?? 0;
    gain += (1 - alpha) ** r;
    if (take) covered.set(s, r + 1);
  }
  return gain;
}

function idealAlphaDcg(pool: readonly number[], subtopics: (docId: number) => readonly (string | number)[], options: { k: number; alpha: number }): number {
  const topics = pool.map(subtopics);
  const used = new Uint8Array(pool.length);
  const covered = new Map<string | number, number>();
  let dcg = 0;
  for (let j = 0; j < Math.min(options.k, pool.length); j++) {
    let best = -1;
    let bestGain = 0;
    topics.forEach((t, i) => {
      if (used[i] === 1) return;
      const gain = novelGain(t, covered, options.alpha, false);
      if (gain > bestGain) {
        bestGain = gain;
        best = i;
      }
    });
    if (best < 0) break;
    used[best] = 1;
    novelGain(topics[best] as readonly (string | number)[], covered, options.alpha, true);
    dcg += bestGain / Math.log2(j + 2);
  }
  return dcg;
}

/**
 * Intra-list diversity (Ziegler et al., WWW 2005): the mean dissimilarity 1 − sim(a, b) over the pairs
 * of the top k. 0 for fewer than two items.
 */
export function intraListDiversity(ranking: readonly number[], similarity: (a: number, b: number) => number, k = 10): number {
  const top = ranking.slice(0, k);
  let sum = 0;
  let pairs = 0;
  for (let i = 0; i < top.length; i++) {
    for (let j = i + 1; j < top.length; j++) {
      sum += 1 - similarity(top[i] as number, top[j] as number);
      pairs++;
    }
  }
  return pairs === 0 ? 0 : sum / pairs;
}

/**
 * How often each doc id appears in the top k of the lists. [capacity]
 * @throws InvalidArgumentError on a doc id outside [0, capacity).
 */
export function exposureCounts(lists: Iterable<readonly number[]>, capacity: number, k = 10): Float64Array {
  const counts = new Float64Array(capacity);
  for (const list of lists) {
    for (const docId of list.slice(0, k)) {
      if (!(docId >= 0 && docId < capacity)) throw new InvalidArgumentError(`doc id ${docId} is outside the catalog of ${capacity}`);
      counts[docId] = (counts[docId] as number) + 1;
    }
  }
  return counts;
}

/** The share of the catalog's `catalogSize` items shown at least once in the top k of the lists. */
export function catalogCoverage(lists: Iterable<readonly number[]>, catalogSize: number, k = 10): number {
  const shown = new Set<number>();
  for (const list of lists) for (const docId of list.slice(0, k)) shown.add(docId);
  return catalogSize === 0 ? 0 : shown.size / catalogSize;
}

/**
 * The Gini coefficient of exposure counts (one per catalog item, zeros included): 0 when every item is
 * shown equally, → 1 when one item takes all. G = Σ_i (2i − n − 1) x_(i) / (n Σ x), x sorted ascending,
 * i from 1.
 */
export function gini(values: ArrayLike<number>): number {
  const sorted = Float64Array.from(values).sort();
  const n = sorted.length;
  let total = 0;
  let weighted = 0;
  sorted.forEach((x, i) => {
    total += x;
    weighted += (2 * (i + 1) - n - 1) * x;
  });
  return total === 0 ? 0 : weighted / (n * total);
}

/** The share of top-k impressions that went to new items. */
export function newItemExposureShare(lists: Iterable<readonly number[]>, isNew: (docId: number) => boolean, k = 10): number {
  let shown = 0;
  let fresh = 0;
  for (const list of lists) {
    for (const docId of list.slice(0, k)) {
      shown++;
      if (isNew(docId)) fresh++;
    }
  }
  return shown === 0 ? 0 : fresh / shown;
}

/**
 * Expected revenue of one list under a position-based examination model: Σ_j exam(j) · value(d_j)
 * over the top k, value an item's expected revenue when examined (e.g. pCTR · cpc for an ad, pCVR ·
 * price · take rate for a product). Default exam(j) = 1 / log2(1 + j), the DCG discount.
 */
export function expectedRevenue(
  ranking: readonly number[],
  value: (docId: number) => number,
  options: { k?: number; examination?: (position: number) => number } = {},
): number {
  const examination = options.examination ?? ((position: number) => 1 / Math.log2(1 + position));
  return ranking.slice(0, options.k ?? 10).reduce((sum, docId, j) => sum + examination(j + 1) * value(docId), 0);
}

/** Realised revenue of logged or simulated traffic: merchandise value sold and ad clicks paid. */
export function realizedRevenue(outcomes: {
  purchases: readonly { price: number; quantity: number }[];
  adClicks: readonly { cpc: number }[];
}): { gmv: number; adRevenue: number } {
  return {
    gmv: outcomes.purchases.reduce((sum, p) => sum + p.price * p.quantity, 0),
    adRevenue: outcomes.adClicks.reduce((sum, c) => sum + c.cpc, 0),
  };
}
