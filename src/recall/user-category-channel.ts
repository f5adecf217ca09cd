import type { Catalog, CategoryIndex } from '../catalog/index.js';
import type { Candidate, RecallChannel, RecallResult, StageContext } from '../core/index.js';
import type { ItemPopularity, UserHistory } from '../features/index.js';
import { topPopular } from './popular.js';

export interface UserCategoryConfig {
  /** How many of the user's categories to draw from. */
  maxCategories: number;
  /** Interaction weights when ranking a user's categories. */
  weights: { click: number; add_to_cart: number; purchase: number };
}

export const DEFAULT_USER_CATEGORY_CONFIG: UserCategoryConfig = {
  maxCategories: 3,
  weights: { click: 1, add_to_cart: 2, purchase: 3 },
};

/**
 * Popular items in the leaf categories the user interacted with lately. Categories are weighted by
 * interaction type and recency (the i-th newest interaction counts 1 / (1 + i / 10)); each category
 * gets a share of `k` in proportion to its weight, and a candidate's score is its category's share of
 * the total weight. Items the user already bought are left out. A user without history gets nothing
 * here (the `popular` channel covers them).
 */
export class UserCategoryChannel implements RecallChannel {
  readonly name = 'user-category';

  constructor(
    private readonly source: { catalog: Catalog; categories: CategoryIndex; popularity: ItemPopularity; history: UserHistory },
    private readonly config: UserCategoryConfig = DEFAULT_USER_CATEGORY_CONFIG,
  ) {}

  recall(context: StageContext, k: number): RecallResult {
    if (context.userId === undefined) return { candidates: [] };
    const { categories } = this.source;
    const interactions = this.source.history.interactions(context.userId);
    const weights = new Map<string, number>();
    const bought = new Set<number>();
    interactions.forEach((interaction, i) => {
      const key = categories.leafKey(interaction.docId);
      if (key === undefined) return;
      if (interaction.type === 'purchase') bought.add(interaction.docId);
      const w = this.config.weights[interaction.type] / (1 + i / 10);
      weights.set(key, (weights.get(key) ?? 0) + w);
    });
    const top = [...weights].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, this.config.maxCategories);
    const total = top.reduce((sum, [, w]) => sum + w, 0);
    context.trace.annotate(this.name, { categories: top.map(([key, w]) => ({ category: key, weight: round3(w / total) })) });

    const out: Candidate[] = [];
    for (const [key, w] of top) {
      const share = w / total;
      const keep = (docId: number): boolean => !bought.has(docId) && context.accepts(docId);
      const within = categories.docsUnder(key);
      const picked = topPopular(this.source, { keep, k: Math.ceil(k * share), time: context.time, within });
      for (const candidate of picked) out.push({ docId: candidate.docId, score: share });
    }
    return { candidates: out.slice(0, k) };
  }
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
