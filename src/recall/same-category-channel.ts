import { categoryKey, type Catalog, type CategoryIndex } from '../catalog/index.js';
import type { Candidate, RecallChannel, RecallResult, StageContext } from '../core/index.js';
import type { ItemPopularity } from '../features/index.js';
import { topPopular } from './popular.js';

/**
 * "Similar items" by catalog structure: popular items of the seed item's leaf category (score 1, plus
 * 0.2 when the brand is the same), then, if short, of its parent category (score 0.5, plus the same
 * brand bonus). Item vectors replace this with real similarity in the vector-recall capability.
 */
export class SameCategoryChannel implements RecallChannel {
  readonly name = 'same-category';

  constructor(private readonly source: { catalog: Catalog; categories: CategoryIndex; popularity: ItemPopularity }) {}

  recall(context: StageContext, k: number): RecallResult {
    const seed = context.seedDocId === undefined ? undefined : this.source.catalog.item(context.seedDocId);
    if (seed === undefined) return { candidates: [] };
    const out: Candidate[] = [];
    const taken = new Set<number>();
    for (let depth = seed.categoryPath.length; depth >= Math.max(1, seed.categoryPath.length - 1); depth--) {
      const within = this.source.categories.docsUnder(categoryKey(seed.categoryPath.slice(0, depth)));
      const base = depth === seed.categoryPath.length ? 1 : 0.5;
      const keep = (docId: number): boolean => !taken.has(docId) && context.accepts(docId);
      for (const { docId } of topPopular(this.source, { keep, k: k - out.length, time: context.time, within })) {
        const sameBrand = seed.brand !== undefined && this.source.catalog.item(docId)?.brand === seed.brand;
        out.push({ docId, score: base + (sameBrand ? 0.2 : 0) });
        taken.add(docId);
      }
      if (out.length >= k) break;
    }
    return { candidates: out };
  }
}
