/**
 * Context features of an item given the items placed above it in a list: what a pointwise score
 * cannot know (how many higher items already share its brand, leaf category, shop or price band, how
 * it compares to the list's best, where it sits). Used by the list-aware re-ranker at inference (for
 * the list being built, greedily) and by its training (for the logged lists, in the order shown).
 */

import type { ItemAttributes } from './item-attributes.js';
import { internGroups, type GroupAttribute } from './item-attributes.js';

/**
 * The feature layout of one item: `features[i * LIST_FEATURE_COUNT + f]` is feature f of item i.
 * - `scoreRatio`: pointwise score / the list's best score; when the best is ≤ 0 (logits, log-probs)
 *   exp(score − best) instead, so the best item is 1 and the others are below it either way.
 * - `scoreMinMax`: the score min-max normalised over the list (1 when all scores are equal).
 * - `pointwiseReciprocalRank`, `pointwiseLogDiscount`: 1 / r and 1 / log2(1 + r), r the item's 1-based
 *   rank in the pointwise (input) order (two shapes of decay, so a linear model can fit either).
 * - `reciprocalRank`, `logPosition`: 1 / rank and log2(1 + rank) of the position the item takes.
 * - `isAd`, `isContent`: 1 for an ad / a content card, else 0.
 * - `sameBrandAbove`, `sameCategoryAbove`, `sameShopAbove`, `samePriceBandAbove`: log(1 + n), n the
 *   number of items above sharing the attribute (an item without the attribute shares it with none).
 *   The log keeps a long run of one brand from dominating a linear model.
 * - `pointwiseRank1`, ..., `pointwiseRank51toInfinity`: 1 in the bucket of the item's pointwise rank
 *   (POINTWISE_RANK_BUCKETS), else 0.
 * - `categoryShareInList`, `topCategoryShareInList`, `brandShareInList`: the share of the *other* items
 *   of the whole list (above and below) with the same leaf category / top category / brand, in [0, 1].
 *   The list's consensus: an item of a category few of its neighbours share is often off-intent (in the
 *   simulated shop, items of a leaf category shared by under 20% of a search list get a tenth of the
 *   clicks of the majority's at the same positions). It does not depend on the order, so it is the same
 *   at every greedy step.
 */
/**
 * Buckets of the pointwise rank, [low, high] inclusive: one indicator feature each, so that a linear
 * model can fit any shape of the pointwise order's value by rank (the click curve of the logs included)
 * and the other features only get weight for what the rank does not explain.
 */
export const POINTWISE_RANK_BUCKETS: readonly (readonly [number, number])[] = [
  [1, 1], [2, 2], [3, 3], [4, 4], [5, 5], [6, 6], [7, 7], [8, 8], [9, 9], [10, 10],
  [11, 12], [13, 15], [16, 20], [21, 30], [31, 50], [51, Infinity],
];

export const LIST_FEATURES = [
  'scoreRatio',
  'scoreMinMax',
  'pointwiseReciprocalRank',
  'pointwiseLogDiscount',
  'reciprocalRank',
  'logPosition',
  'isAd',
  'isContent',
  'sameBrandAbove',
  'sameCategoryAbove',
  'sameShopAbove',
  'samePriceBandAbove',
  'categoryShareInList',
  'topCategoryShareInList',
  'brandShareInList',
  ...POINTWISE_RANK_BUCKETS.map(([low, high]) => (low === high ? `pointwiseRank${low}` : `pointwiseRank${low}to${high}`) as `pointwiseRank${string}`),
] as const;
export type ListFeature = (typeof LIST_FEATURES)[number];
export const LIST_FEATURE_COUNT = LIST_FEATURES.length;

/** The attributes counted among the items above, in the order of the `same...Above` features. */
const COUNTED: readonly GroupAttribute[] = ['brand', 'category', 'shop', 'priceBand'];
const FIRST_COUNT = LIST_FEATURES.indexOf('sameBrandAbove');
/** The attributes whose share over the whole list is a feature, in the order of the `...ShareInList` features. */
const SHARED: readonly GroupAttribute[] = ['category', 'topCategory', 'brand'];
const FIRST_SHARE = LIST_FEATURES.indexOf('categoryShareInList');
const IS_CONTENT = LIST_FEATURES.indexOf('isContent');
const FIRST_BUCKET = LIST_FEATURES.indexOf('pointwiseRank1');
/** Bucket index by pointwise rank − 1, for ranks up to 50; later ranks are in the last bucket. */
const BUCKET_OF_RANK = Int8Array.from({ length: 50 }, (_, i) => POINTWISE_RANK_BUCKETS.findIndex(([low, high]) => i + 1 >= low && i + 1 <= high));

/** An item of a list to featurize: its doc id and pointwise score. */
export interface ListEntry {
  docId: number;
  score: number;
}

/**
 * Incremental context features: the list's items are candidates, `place(i)` puts candidate i at the
 * next position, and `write(i, ...)` gives candidate i's features as if it were placed next. The
 * greedy re-ranker asks for every remaining candidate at each step; `listFeatures` places in order.
 * Per-item costs are O(1): the attributes are interned once, the counts kept per group code.
 */
export class ListFeatureBuilder {
  /** Number of items placed so far. */
  placed = 0;
  private readonly n: number;
  private readonly scoreRatio: Float32Array; // [n]
  private readonly scoreMinMax: Float32Array; // [n]
  private readonly isAd: Uint8Array; // [n]
  private readonly isContent: Uint8Array; // [n]
  private readonly shares: Float32Array; // [n, SHARED.length] row-major
  private readonly codes: Int32Array[]; // [COUNTED.length][n], -1 = no value
  private readonly counts: Int32Array[]; // [COUNTED.length][distinct values]

  /** @param list the candidates in pointwise order (input rank = index + 1). */
  constructor(list: readonly ListEntry[], attributes: ItemAttributes) {
    this.n = list.length;
    let best = -Infinity;
    let worst = Infinity;
    for (const entry of list) {
      best = Math.max(best, entry.score);
      worst = Math.min(worst, entry.score);
    }
    const span = best - worst;
    this.scoreRatio = Float32Array.from(list, (e) => (best > 0 ? e.score / best : Math.exp(e.score - best)));
    this.scoreMinMax = Float32Array.from(list, (e) => (span > 0 && Number.isFinite(span) ? (e.score - worst) / span : 1));
    this.isAd = Uint8Array.from(list, (e) => (attributes.kind(e.docId) === 'ad' ? 1 : 0));
    this.isContent = Uint8Array.from(list, (e) => (attributes.kind(e.docId) === 'content' ? 1 : 0));
    const docIds = Int32Array.from(list, (e) => e.docId);
    this.shares = listShares(attributes, docIds);
    this.codes = [];
    this.counts = [];
    for (const attribute of COUNTED) {
      const { codes, distinct } = internGroups(attributes, docIds, attribute);
      this.codes.push(codes);
      this.counts.push(new Int32Array(distinct));
    }
  }

  get size(): number {
    return this.n;
  }

  /** Writes candidate i's features ([LIST_FEATURE_COUNT]) at `out[offset..]`, as if placed next. */
  write(i: number, out: Float32Array, offset: number): void {
    const rank = this.placed + 1;
    out[offset] = this.scoreRatio[i] as number;
    out[offset + 1] = this.scoreMinMax[i] as number;
    out[offset + 2] = 1 / (i + 1);
    out[offset + 3] = 1 / Math.log2(i + 2);
    out[offset + 4] = 1 / rank;
    out[offset + 5] = Math.log2(1 + rank);
    out[offset + 6] = this.isAd[i] as number;
    out[offset + IS_CONTENT] = this.isContent[i] as number;
    for (let a = 0; a < COUNTED.length; a++) {
      const code = (this.codes[a] as Int32Array)[i] as number;
      const above = code < 0 ? 0 : ((this.counts[a] as Int32Array)[code] as number);
      out[offset + FIRST_COUNT + a] = Math.log1p(above);
    }
    for (let a = 0; a < SHARED.length; a++) out[offset + FIRST_SHARE + a] = this.shares[i * SHARED.length + a] as number;
    out.fill(0, offset + FIRST_BUCKET, offset + FIRST_BUCKET + POINTWISE_RANK_BUCKETS.length);
    out[offset + FIRST_BUCKET + (BUCKET_OF_RANK[i] ?? POINTWISE_RANK_BUCKETS.length - 1)] = 1;
  }

  /** Puts candidate i at the next position. The caller places each candidate at most once. */
  place(i: number): void {
    for (let a = 0; a < COUNTED.length; a++) {
      const code = (this.codes[a] as Int32Array)[i] as number;
      if (code >= 0) (this.counts[a] as Int32Array)[code]! += 1;
    }
    this.placed++;
  }
}

/** Per item, the share of the other items of the list with the same value of each SHARED attribute. [n, SHARED.length] */
function listShares(attributes: ItemAttributes, docIds: Int32Array): Float32Array {
  const n = docIds.length;
  const shares = new Float32Array(n * SHARED.length);
  if (n < 2) return shares;
  SHARED.forEach((attribute, a) => {
    const { codes, distinct } = internGroups(attributes, docIds, attribute);
    const totals = new Int32Array(distinct);
    for (const code of codes) if (code >= 0) totals[code]! += 1;
    for (let i = 0; i < n; i++) {
      const code = codes[i] as number;
      shares[i * SHARED.length + a] = code < 0 ? 0 : ((totals[code] as number) - 1) / (n - 1);
    }
  });
  return shares;
}

/**
 * The context features of every item of a list in the order given (each item seen with the items
 * before it above it). Returns [n, LIST_FEATURE_COUNT] row-major.
 */
export function listFeatures(list: readonly ListEntry[], attributes: ItemAttributes): Float32Array {
  const builder = new ListFeatureBuilder(list, attributes);
  const out = new Float32Array(list.length * LIST_FEATURE_COUNT);
  for (let i = 0; i < list.length; i++) {
    builder.write(i, out, i * LIST_FEATURE_COUNT);
    builder.place(i);
  }
  return out;
}
