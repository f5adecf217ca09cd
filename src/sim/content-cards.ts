/**
 * Content cards (kind `content`): buying guides and reviews that sit in a category and compete for
 * slots with products, the "heterogeneous content" the mixing stage places.
 */

import type { Item, Rng } from '../core/index.js';
import type { Leaf } from './categories.js';
import { CONTENT_TEMPLATES, type BrandSpec } from './data/index.js';
import { drawPopularity, type GeneratedItem, type ItemTruth } from './item-truth.js';
import { addNoise, addScaled, normalize, sigmoid, type LatentSpace } from './latent.js';
import { fillTemplate } from './text.js';

export interface ContentDraw {
  rng: Rng;
  leaf: Leaf;
  id: string;
  index: number;
  createdAt: number;
  startTime: number;
  latent: LatentSpace;
}

export function generateContentCard({ rng, leaf, id, index, createdAt, startTime, latent }: ContentDraw): GeneratedItem {
  const template = rng.pick(CONTENT_TEMPLATES);
  const spec = leaf.spec;
  const review = template.format === 'review';
  const brand: BrandSpec | undefined = review ? rng.weightedPick(spec.brands, (b) => b.share ?? 1) : undefined;
  const series = brand === undefined ? undefined : rng.pick(brand.series);
  const values = {
    year: String(new Date(startTime).getUTCFullYear()),
    leaf: spec.zh,
    leafEn: spec.en.toLowerCase(),
    brand: brand?.zh,
    series: series?.zh,
    brandEn: brand?.en,
    seriesEn: series?.en,
  };
  const item: Item = {
    id,
    title: fillTemplate(template.zh, values),
    description: fillTemplate(template.en, values),
    categoryPath: [...leaf.path],
    attributes: { format: template.format },
    kind: 'content',
    createdAt,
  };
  if (brand !== undefined) item.brand = brand.zh;
  const vector = Float32Array.from(latent.leafCentroids[leaf.index] as Float32Array);
  if (brand !== undefined) addScaled(vector, latent.brandOffset(brand.zh), 0.5);
  normalize(addNoise(vector, rng, 0.15));
  const truth: ItemTruth = {
    itemId: id,
    index,
    kind: 'content',
    leafId: leaf.id,
    leafIndex: leaf.index,
    vector,
    quality: sigmoid(rng.normal(0, 1)),
    popularity: drawPopularity(rng),
    priceLevel: 0,
  };
  if (brand !== undefined) truth.brand = brand.zh;
  if (series !== undefined) truth.series = series.zh;
  return { item, truth };
}
