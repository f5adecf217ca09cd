/**
 * The click model: how a simulated user reacts to a served list.
 *
 * Position-based examination (Craswell et al. 2008, "An experimental comparison of click
 * position-bias models"): the item at rank r is looked at with probability r^-decay, and less once the
 * user has bought something from the list. A looked-at item is clicked with probability
 * sigmoid(attractiveness), where attractiveness adds up graded relevance to the intent (or, on the
 * feed, the user's interest in the item's category), the user-item latent dot product, brand liking,
 * quality, price against the user's price sensitivity, the item's popularity prior and a slight ad
 * aversion. Every term is something a learned ranker can pick up from features, so it can beat
 * popularity ranking.
 *
 * List effect, redundancy (satiation): an item looks less attractive when the user has already looked
 * at items like it higher in the same list (the fourth phone of one brand in a row, after three have
 * been compared, draws fewer clicks than the first). The click logit falls by
 * redundancyBrandWeight · ln(1 + b) + redundancyLeafWeight · ln(1 + c), where b and c count the items
 * *examined* above it in this list that share its brand and its leaf category; the log makes each
 * further repeat cost less. Only what the user is choosing among counts: the brand when the intent
 * names none (a search for 华为手机 is meant to show Huawei phones), the leaf category only on the home
 * feed (a search is for one category). This is what a list-aware re-ranker can learn and a pointwise
 * ranker cannot; without it a click depends only on the item and its rank. Off by default (both
 * weights 0, the traffic every documented figure was measured on); `LIST_EFFECTS` turns it on
 * (`traffic.clickModel`, `quarry simulate --list-effects`). Purchases are not affected: on the item's
 * page the user judges the item itself.
 */

import type { Intent, Relevance } from './intent.js';
import type { ItemTruth } from './item-truth.js';
import { dot, sigmoid } from './latent.js';
import type { UserTruth } from './users.js';

export interface ClickModel {
  /** Examination of rank r (1-based) is r^-examinationDecay. Default 0.7. */
  examinationDecay: number;
  /** Examination multiplier once the user has bought from the list. Default 0.3. */
  satisfiedExamination: number;
  /** Constant of the click logit. Default -3.5 (a typical relevant item's appeal is about +1.5). */
  clickBias: number;
  /** Logit term by graded relevance 0, 1, 2, 3. Default [-4, -1.6, 0, 0.6]. */
  relevanceUtility: readonly [number, number, number, number];
  /** Feed lists: weight of ln(leaf affinity x number of leaves), clipped to [-3, 1.5]. Default 0.9. */
  interestWeight: number;
  /** Weight of the user-item latent dot product (in [-1, 1]). Default 1.5. */
  latentWeight: number;
  /** Weight of the user's liking of the item's brand (in [-1, 1]). Default 0.8. */
  brandWeight: number;
  /** Weight of (quality - 0.5). Default 1.6. */
  qualityWeight: number;
  /** Weight of price sensitivity x price level (ln price / leaf median), subtracted. Default 1.2. */
  priceWeight: number;
  /** Weight of ln(popularity prior). Default 0.35. */
  popularityWeight: number;
  /** Subtracted for sponsored items. Default 0.3. */
  adPenalty: number;
  /**
   * Click-logit penalty per ln(1 + number of items of the same brand examined above in the list).
   * Counted when the intent names no brand. Default 0 (off); `LIST_EFFECTS` sets 0.5: the second item
   * of a brand then loses 0.35, the fourth 0.69 (a relevance grade 2 → 3 step is 0.6).
   */
  redundancyBrandWeight: number;
  /**
   * Click-logit penalty per ln(1 + number of items of the same leaf category examined above), on the
   * home feed only (a search is for one category). Default 0 (off); `LIST_EFFECTS` sets 0.15, smaller
   * than the brand's: a feed mixes the user's favourite categories on purpose.
   */
  redundancyLeafWeight: number;
  /** Logit constant of adding a clicked product to the cart. Default -5.5 (clicked items' purchase appeal is about +3). */
  cartBias: number;
  /** Logit constant of buying what is in the cart (plus half the purchase appeal). Default -2. */
  checkoutBias: number;
  /** Logit constant of buying at once without the cart ("buy now"). Default -7.5. */
  buyNowBias: number;
}

export const DEFAULT_CLICK_MODEL: ClickModel = {
  examinationDecay: 0.7,
  satisfiedExamination: 0.3,
  clickBias: -3.5,
  relevanceUtility: [-4, -1.6, 0, 0.6],
  interestWeight: 0.9,
  latentWeight: 1.5,
  brandWeight: 0.8,
  qualityWeight: 1.6,
  priceWeight: 1.2,
  popularityWeight: 0.35,
  adPenalty: 0.3,
  redundancyBrandWeight: 0,
  redundancyLeafWeight: 0,
  cartBias: -5.5,
  checkoutBias: -2,
  buyNowBias: -7.5,
};

/** Probability that the user looks at rank `rank` (1-based); `satisfied`: already bought from the list. */
export function examination(model: ClickModel, at: { rank: number; satisfied: boolean }): number {
  const p = Math.pow(at.rank, -model.examinationDecay);
  return at.satisfied ? p * model.satisfiedExamination : p;
}

export interface Judgement {
  user: UserTruth;
  item: ItemTruth;
  /** Graded relevance to the intent of a search; undefined on the feed, where interest stands in. */
  relevance: Relevance | undefined;
}

/** The click logit without its constant: how much this user wants to look at this item here. */
export function appeal(model: ClickModel, judgement: Judgement): number {
  const { item } = judgement;
  return merit(model, judgement) + model.popularityWeight * Math.log(item.popularity) - (item.kind === 'ad' ? model.adPenalty : 0);
}

/**
 * The purchase logit without its constant. Buying is about fit, taste, brand, quality and price: the
 * popularity prior and the ad label draw clicks, not orders, and price weighs twice.
 */
export function purchaseAppeal(model: ClickModel, judgement: Judgement): number {
  return merit(model, judgement) - model.priceWeight * judgement.user.priceSensitivity * judgement.item.priceLevel;
}

function merit(model: ClickModel, { user, item, relevance }: Judgement): number {
  const fit = relevance === undefined ? model.interestWeight * interest(user, item) : model.relevanceUtility[relevance];
  return (
    fit +
    model.latentWeight * dot(user.vector, item.vector) +
    model.brandWeight * (item.brand === undefined ? 0 : (user.brandAffinity.get(item.brand) ?? 0)) +
    model.qualityWeight * (item.quality - 0.5) -
    model.priceWeight * user.priceSensitivity * item.priceLevel
  );
}

/** ln(share of interest in the item's leaf x number of leaves): 0 for average interest, clipped to [-3, 1.5]. */
function interest(user: UserTruth, item: ItemTruth): number {
  const share = user.leafAffinity[item.leafIndex] ?? 0;
  return Math.min(1.5, Math.max(-3, Math.log(share * user.leafAffinity.length + 1e-9)));
}

/**
 * Click-model changes that turn the list effect (redundancy) on, at its modest reference strength: the
 * 2nd examined item of a brand loses 0.35 of click logit, the 4th 0.69 (one relevance grade is 0.6).
 * Off by default (each item judged alone): see `ClickModel.redundancyBrandWeight`.
 */
export const LIST_EFFECTS: Partial<ClickModel> = { redundancyBrandWeight: 0.5, redundancyLeafWeight: 0.15 };

/** What the user has examined above an item in the same list: items of its brand, of its leaf category. */
export interface SeenAbove {
  sameBrand: number;
  sameLeaf: number;
}

export const NOTHING_SEEN: SeenAbove = { sameBrand: 0, sameLeaf: 0 };

/** The click-logit penalty of redundancy (>= 0): brand weight · ln(1 + same brand) + leaf weight · ln(1 + same leaf). */
export function redundancy(model: ClickModel, seen: SeenAbove): number {
  return model.redundancyBrandWeight * Math.log1p(seen.sameBrand) + model.redundancyLeafWeight * Math.log1p(seen.sameLeaf);
}

/**
 * P(click | examined) = sigmoid(clickBias + appeal − redundancy(seen)). `seen` defaults to nothing
 * examined above (the item judged alone, as at the top of a list).
 */
export function clickProbability(model: ClickModel, appealValue: number, seen: SeenAbove = NOTHING_SEEN): number {
  return sigmoid(model.clickBias + appealValue - redundancy(model, seen));
}

/**
 * Counts what the user has examined so far in one list, by brand and by leaf category, for
 * `clickProbability`'s `seen`: the brand only when the list's intent names none, the leaf category only
 * on the home feed (no intent). An item without a brand shares it with none.
 */
export class ExaminedInList {
  private readonly brands = new Map<string, number>();
  private readonly leaves = new Map<number, number>();
  private readonly countBrand: boolean;
  private readonly countLeaf: boolean;

  /** @param intent what the list is judged against; undefined on the home feed. */
  constructor(intent: Pick<Intent, 'brand'> | undefined) {
    this.countBrand = intent?.brand === undefined;
    this.countLeaf = intent === undefined;
  }

  /** What was examined above `item` (call before `add(item)`). */
  seenAbove(item: Pick<ItemTruth, 'brand' | 'leafIndex'>): SeenAbove {
    return {
      sameBrand: !this.countBrand || item.brand === undefined ? 0 : (this.brands.get(item.brand) ?? 0),
      sameLeaf: this.countLeaf ? (this.leaves.get(item.leafIndex) ?? 0) : 0,
    };
  }

  /** Records that the user examined `item`. */
  add(item: Pick<ItemTruth, 'brand' | 'leafIndex'>): void {
    if (item.brand !== undefined) this.brands.set(item.brand, (this.brands.get(item.brand) ?? 0) + 1);
    this.leaves.set(item.leafIndex, (this.leaves.get(item.leafIndex) ?? 0) + 1);
  }
}
