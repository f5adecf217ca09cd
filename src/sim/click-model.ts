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
 */

import type { Relevance } from './intent.js';
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

export function clickProbability(model: ClickModel, appealValue: number): number {
  return sigmoid(model.clickBias + appealValue);
}
