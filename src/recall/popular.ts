import type { Catalog } from '../catalog/index.js';
import type { Candidate } from '../core/index.js';
import type { ItemPopularity } from '../features/index.js';

export interface TopPopularQuery {
  keep: (docId: number) => boolean;
  k: number;
  time: number;
  /** Only these docs (a category's); the whole catalog when absent. */
  within?: ReadonlySet<number>;
}

/**
 * Up to `k` docs passing `keep`, most popular first (score: popularity as of `time`); docs nobody has
 * touched yet follow in catalog order with score 0, so a cold catalog still shows something.
 *
 * Over the whole catalog this walks the cached popularity ranking and stops at `k`; within a set of
 * docs (a category) it scores and sorts the set, O(m log m) for m docs in it.
 */
export function topPopular(source: { catalog: Catalog; popularity: ItemPopularity }, query: TopPopularQuery): Candidate[] {
  return query.within === undefined ? fromRanking(source, query) : fromSet(source.popularity, query, query.within);
}

function fromSet(popularity: ItemPopularity, query: TopPopularQuery, docs: ReadonlySet<number>): Candidate[] {
  const value = popularity.at(query.time);
  const out: Candidate[] = [];
  for (const docId of docs) if (query.keep(docId)) out.push({ docId, score: value(docId) });
  return out.sort((a, b) => b.score - a.score || a.docId - b.docId).slice(0, query.k);
}

function fromRanking(source: { catalog: Catalog; popularity: ItemPopularity }, query: TopPopularQuery): Candidate[] {
  const { catalog, popularity } = source;
  const { keep, k } = query;
  const value = popularity.at(query.time);
  const out: Candidate[] = [];
  const taken = new Set<number>();
  for (const docId of popularity.ranking()) {
    if (out.length >= k) return out;
    if (!catalog.has(docId) || !keep(docId)) continue;
    out.push({ docId, score: value(docId) });
    taken.add(docId);
  }
  for (let docId = 0; docId < catalog.capacity && out.length < k; docId++) {
    if (catalog.has(docId) && !taken.has(docId) && keep(docId)) out.push({ docId, score: 0 });
  }
  return out;
}
