/**
 * Shopping intents: what a simulated user is after when they search (a leaf category, maybe a brand,
 * a series, an attribute value or a price band), the graded relevance of an item to it, and how an
 * intent is drawn from a user's taste and reformulated after a poor result list.
 */

import type { Rng } from '../core/index.js';
import type { Catalog, Leaf } from './categories.js';
import type { BrandSpec } from './data/index.js';
import type { ItemTruth } from './item-truth.js';
import type { UserTruth } from './users.js';

export type PriceBand = 'budget' | 'premium';

/** What a shopper wants. Names are the Chinese ones the catalog uses (`Item.brand`, `Item.attributes`). */
export interface Intent {
  /** Leaf category id, `digital.phones`. */
  leafId: string;
  /** Chinese brand name, `华为`. */
  brand?: string;
  /** Chinese series name within the brand, `Mate 60 Pro`, `小棕瓶`. */
  series?: string;
  /** An attribute value the item must have: `{ key: 'color', value: '白色' }`. */
  attribute?: { key: string; value: string };
  /** Cheap (`平价`) or high-end (`高端`) within the category. */
  priceBand?: PriceBand;
}

/** Graded relevance, TREC style: 0 not relevant, 1 marginal, 2 relevant, 3 exactly what was asked for. */
export type Relevance = 0 | 1 | 2 | 3;

/** Price level (ln of price over the leaf median) below which an item is budget, above which premium. */
export const PRICE_BAND_LEVEL: Record<PriceBand, number> = { budget: -0.25, premium: 0.35 };

/**
 * The relevance of an item to an intent:
 * - 0: another category;
 * - 1: the right category but the wrong brand, or a content card about the category;
 * - 2: the right category and brand, but missing a series, attribute or price band asked for;
 * - 3: everything asked for (any item of the category for a bare category intent).
 */
export function gradeRelevance(intent: Intent, item: ItemTruth, attributes: Readonly<Record<string, unknown>>): Relevance {
  if (item.leafId !== intent.leafId) return 0;
  if (item.kind === 'content') return 1;
  if (intent.brand !== undefined && item.brand !== intent.brand) return 1;
  const missed =
    (intent.series !== undefined && item.series !== intent.series) ||
    (intent.attribute !== undefined && attributes[intent.attribute.key] !== intent.attribute.value) ||
    (intent.priceBand !== undefined && !inPriceBand(item.priceLevel, intent.priceBand));
  return missed ? 2 : 3;
}

export function inPriceBand(priceLevel: number, band: PriceBand): boolean {
  return band === 'budget' ? priceLevel < PRICE_BAND_LEVEL.budget : priceLevel > PRICE_BAND_LEVEL.premium;
}

/** How often each refinement appears in a freshly drawn intent. */
export const INTENT_SHARES = { brand: 0.4, series: 0.45, attribute: 0.2, priceBand: 0.07 } as const;

/** A search intent from the user's taste: leaf by leaf affinity, brand by brand affinity and share. */
export function drawIntent(rng: Rng, catalog: Catalog, user: UserTruth): Intent {
  const leaf = catalog.leaves[rng.weightedIndex(user.leafAffinity)] as Leaf;
  const intent: Intent = { leafId: leaf.id };
  const brandLoyal = leaf.spec.brands.some((b) => (user.brandAffinity.get(b.zh) ?? 0) > 0);
  if (rng.bool(brandLoyal ? INTENT_SHARES.brand + 0.2 : INTENT_SHARES.brand)) {
    const brand = drawBrand(rng, leaf, user);
    intent.brand = brand.zh;
    if (leaf.spec.seriesFirst === true || rng.bool(INTENT_SHARES.series)) intent.series = rng.pick(brand.series).zh;
  }
  const queryable = leaf.spec.attributes.filter((a) => a.queryable === true);
  if (queryable.length > 0 && intent.series === undefined && rng.bool(INTENT_SHARES.attribute)) {
    const attribute = rng.pick(queryable);
    intent.attribute = { key: attribute.key, value: rng.pick(attribute.values).zh };
  }
  if (intent.brand === undefined && rng.bool(INTENT_SHARES.priceBand)) {
    intent.priceBand = user.priceSensitivity > 0.5 ? 'budget' : 'premium';
  }
  return intent;
}

/** A brand of the leaf, in proportion to its share times exp(2 x the user's liking of it). */
function drawBrand(rng: Rng, leaf: Leaf, user: UserTruth): BrandSpec {
  return rng.weightedPick(leaf.spec.brands, (b) => (b.share ?? 1) * Math.exp(2 * (user.brandAffinity.get(b.zh) ?? 0)));
}

export function isBroad(intent: Intent): boolean {
  return intent.brand === undefined && intent.attribute === undefined && intent.priceBand === undefined;
}

/** One refinement added, the way a shopper narrows `手机` to `华为手机` or `512GB手机`. */
export function narrowIntent(rng: Rng, leaf: Leaf, intent: Intent, user: UserTruth): Intent {
  const queryable = leaf.spec.attributes.filter((a) => a.queryable === true);
  if (intent.series === undefined && intent.attribute === undefined && queryable.length > 0 && (intent.brand !== undefined || rng.bool(0.35))) {
    const attribute = rng.pick(queryable);
    return { ...intent, attribute: { key: attribute.key, value: rng.pick(attribute.values).zh } };
  }
  if (intent.brand !== undefined) return switchBrand(rng, leaf, intent, user);
  const brand = drawBrand(rng, leaf, user);
  return leaf.spec.seriesFirst === true ? { ...intent, brand: brand.zh, series: rng.pick(brand.series).zh } : { ...intent, brand: brand.zh };
}

/** The same need with another brand (series dropped): after looking at Huawei, a look at Xiaomi. */
export function switchBrand(rng: Rng, leaf: Leaf, intent: Intent, user: UserTruth): Intent {
  const others = leaf.spec.brands.filter((b) => b.zh !== intent.brand);
  if (others.length === 0) return intent;
  const brand = rng.weightedPick(others, (b) => (b.share ?? 1) * Math.exp(2 * (user.brandAffinity.get(b.zh) ?? 0)));
  const { series: _series, ...rest } = intent;
  return leaf.spec.seriesFirst === true ? { ...rest, brand: brand.zh, series: rng.pick(brand.series).zh } : { ...rest, brand: brand.zh };
}

/**
 * The most specific refinement dropped: series, then attribute, then price band, then brand. Where
 * shoppers name series rather than brands (books), series and brand go together.
 */
export function broadenIntent(leaf: Leaf, intent: Intent): Intent {
  const broader: Intent = { ...intent };
  if (broader.series !== undefined && leaf.spec.seriesFirst === true) {
    delete broader.series;
    delete broader.brand;
  } else if (broader.series !== undefined) delete broader.series;
  else if (broader.attribute !== undefined) delete broader.attribute;
  else if (broader.priceBand !== undefined) delete broader.priceBand;
  else delete broader.brand;
  return broader;
}
