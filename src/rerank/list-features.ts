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
 * - `isAd`: 1 for an ad, else 0.
 * - `sameBrandAbove`, `sameCategoryAbove`, `sameShopAbove`, `samePriceBandAbove`: log(1 + n), n the
 *   number of items above sharing the attribute (an item without the attribute shares it with none).
 *   The log keeps a long run of one brand from dominating a linear model.
 */
export const LIST_FEATURES = [
  'scoreRatio',
  'scoreMinMax',
  'pointwiseReciprocalRank',
  'pointwiseLogDiscount',
  'reciprocalRank',
  'logPosition',
  'isAd',
  'sameBrandAbove',
  'sameCategoryAbove',
  'sameShopAbove',
  'samePriceBandAbove',
] as const;
export type ListFeature = (typeof LIST_FEATURES)[number];
export const LIST_FEATURE_COUNT = LIST_FEATURES.length;

/** The attributes counted among the items above, in the order of the `same...Above` features. */
const COUNTED: readonly GroupAttribute[] = ['brand', 'category', 'shop', 'priceBand'];
const FIRST_COUNT = LIST_FEATURES.indexOf('sameBrandAbove');

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
    const docIds = Int32Array.from(list, (e) => e.docId);
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
    for (let a = 0; a < COUNTED.length; a++) {
      const code = (this.codes[a] as Int32Array)[i] as number;
      const above = code < 0 ? 0 : ((this.counts[a] as Int32Array)[code] as number);
      out[offset + FIRST_COUNT + a] = Math.log1p(above);
    }
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
