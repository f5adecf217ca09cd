// The simulated shop's tables: one file per top-level category, plus people and content.
import { APPAREL } from './apparel.js';
import { BABY } from './baby.js';
import { BEAUTY } from './beauty.js';
import { BOOKS } from './books.js';
import { DIGITAL } from './digital.js';
import { FOOD } from './food.js';
import { HOME } from './home.js';
import { SPORTS } from './sports.js';
import type { TopCategorySpec, Tier } from './types.js';

export * from './types.js';
export * from './people.js';

/** The category tree of the shop, top-level categories in display order. */
export const CATALOG_SPEC: readonly TopCategorySpec[] = [DIGITAL, BEAUTY, APPAREL, FOOD, BOOKS, HOME, BABY, SPORTS];

/** Price level of a brand tier relative to the category's median (mid tier = 1). */
export const TIER_PRICE_FACTOR: Record<Tier, number> = { budget: 0.55, mid: 1, premium: 2.1 };
