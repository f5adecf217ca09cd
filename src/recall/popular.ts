import type { Catalog } from '../catalog/index.js';
import type { Candidate } from '../core/index.js';
import type { ItemPopularity } from '../features/index.js';

/**
 * Up to `k` docs passing `keep`, most popular first (score: popularity as of `time`), then, when
 * fewer than `k` have any interaction, the remaining passing docs in catalog order with score 0 (a
 * cold catalog still shows something). Cost: a walk down the popularity ranking, then over the
 * catalog; fine at the foundation's sizes, replaced by per-category rankings when they matter.
 */
export function topPopular(
  source: { catalog: Catalog; popularity: ItemPopularity },
  query: { keep: (docId: number) => boolean; k: number; time: number },
): Candidate[] {
  const { catalog, popularity } = source;
  const { keep, k, time } = query;
  const out: Candidate[] = [];
  const taken = new Set<number>();
  for (const docId of popularity.ranking()) {
    if (out.length >= k) return out;
    if (!catalog.has(docId) || !keep(docId)) continue;
    out.push({ docId, score: popularity.valueAt(docId, time) });
    taken.add(docId);
  }
  for (let docId = 0; docId < catalog.capacity && out.length < k; docId++) {
    if (catalog.has(docId) && !taken.has(docId) && keep(docId)) out.push({ docId, score: 0 });
  }
  return out;
}
