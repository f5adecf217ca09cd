/** The latent truth of an item: what the simulation knows about it and an engine must learn from clicks. */

import type { Item, ItemKind, Rng } from '../core/index.js';
import type { Tier } from './data/index.js';

/** What the simulation knows about an item and the engine must learn. */
export interface ItemTruth {
  itemId: string;
  /** Position in `World.items`. */
  index: number;
  kind: ItemKind;
  leafId: string;
  /** Position of the leaf in `World.leaves`: the index into `UserTruth.leafAffinity`. */
  leafIndex: number;
  /** Chinese brand name, as in `Item.brand`. */
  brand?: string;
  /** Chinese series name, as in `Item.attributes.series`. */
  series?: string;
  tier?: Tier;
  /** Unit vector, dim 16: leaf centroid + brand and series offsets + noise. */
  vector: Float32Array;
  /** In (0, 1): how good the item is once looked at (reviews, photos, fit). Premium brands score higher. */
  quality: number;
  /** >= 1, Pareto-tailed: the prior appeal that makes a few items hits. */
  popularity: number;
  /** ln(price / the leaf's median price); 0 for content. Budget items are negative. */
  priceLevel: number;
}

export interface GeneratedItem {
  item: Item;
  truth: ItemTruth;
}

/** Shape of the Pareto popularity prior: lower is a heavier tail (more concentrated hits). */
const POPULARITY_SHAPE = 1.2;

/** A Pareto(1.2) draw >= 1: most items near 1, a few hits far above. */
export function drawPopularity(rng: Rng): number {
  return Math.pow(1 - rng.next(), -1 / POPULARITY_SHAPE);
}

