/**
 * The catalog generator: products and ads (a sponsored product is a product with a bid) from the data
 * tables, with a latent truth per item. Item `i` is drawn from its own fork (`item/i`), so growing the
 * catalog keeps the first items as they were.
 */

import type { Item, ItemKind, Rng } from '../core/index.js';
import type { Catalog, Leaf } from './categories.js';
import { generateContentCard } from './content-cards.js';
import { TIER_PRICE_FACTOR, type AttributeValue, type BrandSpec, type SeriesSpec, type Tier } from './data/index.js';
import { drawPopularity, type GeneratedItem, type ItemTruth } from './item-truth.js';
import { addNoise, addScaled, normalize, sigmoid, type LatentSpace } from './latent.js';
import { fillTemplate } from './text.js';

export interface ItemContext {
  catalog: Catalog;
  latent: LatentSpace;
  /** The world's root rng; item `i` forks `item/i` from it. */
  rng: Rng;
  adShare: number;
  contentShare: number;
  startTime: number;
  /** Each leaf's share of the catalog, indexed like `catalog.leaves`. */
  leafWeights: number[];
  idWidth: number;
}

const DAY_MS = 86_400_000;
/** Share of items created in the last week before the history starts (new items). */
const NEW_ITEM_SHARE = 0.04;
/** Share of an item's brand listings sold by the brand's own flagship store. */
const FLAGSHIP_SHARE = 0.55;

export function itemId(index: number, width: number): string {
  return `i${String(index + 1).padStart(width, '0')}`;
}

/** Generates item number `index` (0-based) of the catalog. */
export function generateItem(ctx: ItemContext, index: number): GeneratedItem {
  const rng = ctx.rng.fork(`item/${index}`);
  const draw = rng.next();
  const kind: ItemKind = draw < ctx.adShare ? 'ad' : draw < ctx.adShare + ctx.contentShare ? 'content' : 'product';
  const leaf = ctx.catalog.leaves[rng.weightedIndex(ctx.leafWeights)] as Leaf;
  const id = itemId(index, ctx.idWidth);
  const createdAt = drawCreatedAt(rng, ctx.startTime);
  if (kind === 'content') return generateContentCard({ rng, leaf, id, index, createdAt, latent: ctx.latent, startTime: ctx.startTime });
  return generateProduct({ rng, leaf, id, index, createdAt, kind, latent: ctx.latent });
}

/** Creation times spread over the year before the history starts; a few percent in its last week. */
function drawCreatedAt(rng: Rng, startTime: number): number {
  const ageDays = rng.bool(NEW_ITEM_SHARE) ? rng.uniform(0, 7) : rng.uniform(7, 365);
  return Math.max(0, Math.round(startTime - ageDays * DAY_MS));
}

interface ProductDraw {
  rng: Rng;
  leaf: Leaf;
  id: string;
  index: number;
  createdAt: number;
  kind: ItemKind;
  latent: LatentSpace;
}

function generateProduct(draw: ProductDraw): GeneratedItem {
  const { rng, leaf, id, index, kind } = draw;
  const spec = leaf.spec;
  const brand = spec.brands[rng.weightedIndex(leaf.brandShares)] as BrandSpec;
  const series = rng.pick(brand.series);
  const chosen = spec.attributes.map((attribute) => ({ key: attribute.key, value: rng.pick(attribute.values) }));
  const price = drawPrice({ rng, leaf, brand, series, chosen: chosen.map((c) => c.value) });
  const zhValues = templateValues({ leaf, brand, series, chosen, language: 'zh' });
  const enValues = templateValues({ leaf, brand, series, chosen, language: 'en' });
  const titleEn = fillTemplate(spec.title.en, enValues);
  const englishTitle = brand.englishTitleShare !== undefined && rng.bool(brand.englishTitleShare);
  const flagship = rng.bool(FLAGSHIP_SHARE);
  const reseller = rng.pick(leaf.top.resellers);
  const item: Item = {
    id,
    title: englishTitle ? titleEn : fillTemplate(spec.title.zh, zhValues),
    description: `${titleEn}. ${brand.en} ${spec.queryEn[0] ?? spec.en}, ${leaf.top.en} / ${spec.en}.`,
    categoryPath: [...leaf.path],
    brand: brand.zh,
    shop: flagship ? `${brand.zh}官方旗舰店` : reseller.name,
    price,
    region: flagship ? brand.region : reseller.region,
    attributes: { series: series.zh, ...Object.fromEntries(chosen.map((c) => [c.key, c.value.zh])) },
    kind,
    createdAt: draw.createdAt,
  };
  if (kind === 'ad') item.bid = drawBid(rng, spec.price.median * TIER_PRICE_FACTOR[brand.tier]);
  const vector = normalize(addScaled(Float32Array.from(draw.latent.leafCentroids[leaf.index] as Float32Array), draw.latent.brandOffset(brand.zh), 0.5));
  addScaled(vector, draw.latent.seriesOffset(brand.zh, series.zh), 0.25);
  normalize(addNoise(vector, rng, 0.12));
  const truth: ItemTruth = {
    itemId: id,
    index,
    kind,
    leafId: leaf.id,
    leafIndex: leaf.index,
    brand: brand.zh,
    series: series.zh,
    tier: brand.tier,
    vector,
    quality: sigmoid(rng.normal(TIER_QUALITY[brand.tier], 1)),
    popularity: drawPopularity(rng),
    priceLevel: Math.log(price / spec.price.median),
  };
  return { item, truth };
}

/** Mean of the quality logit by tier: premium brands are better on average, not always. */
const TIER_QUALITY: Record<Tier, number> = { budget: -0.3, mid: 0, premium: 0.4 };

interface PriceDraw {
  rng: Rng;
  leaf: Leaf;
  brand: BrandSpec;
  series: SeriesSpec;
  chosen: AttributeValue[];
}

/** Log-normal around the leaf median, scaled by brand tier, series and attribute factors; retail-rounded. */
function drawPrice({ rng, leaf, brand, series, chosen }: PriceDraw): number {
  let raw = leaf.spec.price.median * TIER_PRICE_FACTOR[brand.tier] * (series.priceFactor ?? 1);
  for (const value of chosen) raw *= value.price ?? 1;
  return retailPrice(raw * rng.logNormal(0, leaf.spec.price.sigma));
}

/** Prices as shops write them: 5999, 299, 39.9. */
export function retailPrice(raw: number): number {
  if (raw >= 1000) return Math.round(raw / 100) * 100 - 1;
  if (raw >= 100) return Math.round(raw / 10) * 10 - 1;
  return (Math.max(1, Math.round(raw)) * 10 - 1) / 10;
}

/** Cost per click: higher in expensive categories, between 0.2 and 5. */
function drawBid(rng: Rng, typicalPrice: number): number {
  const bid = 0.04 * Math.sqrt(typicalPrice) * rng.logNormal(0, 0.35);
  return Math.round(Math.min(5, Math.max(0.2, bid)) * 100) / 100;
}

interface TemplateInput {
  leaf: Leaf;
  brand: BrandSpec;
  series: SeriesSpec;
  chosen: { key: string; value: AttributeValue }[];
  language: 'zh' | 'en';
}

function templateValues({ leaf, brand, series, chosen, language }: TemplateInput): Record<string, string | undefined> {
  const values: Record<string, string | undefined> = {
    brand: brand[language],
    series: series[language],
    noun: (series.noun ?? leaf.spec.noun)[language],
    extra: series.extra?.[language],
  };
  for (const { key, value } of chosen) values[key] = value[language];
  return values;
}
