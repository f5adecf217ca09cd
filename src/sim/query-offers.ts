/**
 * Which of the queries and chips a shop offers a simulated user would take: a refinement chip that
 * adds exactly what the user wants (their brand, attribute value, price band or category), read top
 * to bottom like suggestions.
 */

import type { Rng } from '../core/index.js';
import type { Leaf } from './categories.js';
import type { Intent } from './intent.js';
import type { RefinementOffer, SearchFilters } from './shop-backend.js';

/** True when applying the chip moves the results towards the intent. */
export function chipFits(chip: RefinementOffer, intent: Intent, leaf: Leaf): boolean {
  switch (chip.kind) {
    case 'brand':
      return intent.brand === chip.label;
    case 'attribute':
      return intent.attribute?.value === chip.label;
    case 'category': {
      const path = chip.filter?.category;
      return path !== undefined && path.length === leaf.path.length && path.every((name, i) => name === leaf.path[i]);
    }
    case 'price':
      return intent.priceBand !== undefined && chip.filter !== undefined;
  }
}

/**
 * The chip a user takes among `chips`, or undefined: each is read with a chance falling with its
 * position (like suggestions) and taken when it fits. A price intent takes the cheapest band
 * (budget) or the dearest (premium), so of the price chips only that one fits.
 */
export function pickChip(rng: Rng, chips: readonly RefinementOffer[], intent: Intent, leaf: Leaf): RefinementOffer | undefined {
  const extreme = extremePriceChip(chips, intent);
  for (let i = 0; i < chips.length; i++) {
    const chip = chips[i] as RefinementOffer;
    if (!rng.bool(Math.pow(i + 1, -0.5))) continue;
    if (chip.kind === 'price' ? chip === extreme : chipFits(chip, intent, leaf)) return chip;
  }
  return undefined;
}

function extremePriceChip(chips: readonly RefinementOffer[], intent: Intent): RefinementOffer | undefined {
  if (intent.priceBand === undefined) return undefined;
  let best: RefinementOffer | undefined;
  for (const chip of chips) {
    if (chip.kind !== 'price' || chip.filter === undefined) continue;
    const at = intent.priceBand === 'budget' ? -(chip.filter.priceMin ?? 0) : (chip.filter.priceMax ?? 0);
    const bestAt = best === undefined ? -Infinity : intent.priceBand === 'budget' ? -(best.filter?.priceMin ?? 0) : (best.filter?.priceMax ?? 0);
    if (at > bestAt) best = chip;
  }
  return best;
}

/** Filters after applying a chip's filter on top of those already applied. */
export function mergeFilters(current: SearchFilters | undefined, added: SearchFilters): SearchFilters {
  return { ...current, ...added };
}
