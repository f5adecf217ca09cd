/**
 * The queries that may be recommended before the user types (hint words, "guess what you want to
 * search"), and where they come from: the user's recent intent (what followed their latest
 * searches in other sessions, popular queries of their categories), trending queries, and the
 * most popular ones (the cold-start fallback). Every candidate must be a mined query: the privacy
 * minimum and the block list apply to these forms as to suggestions.
 */

import type { MinedQuery } from './query-miner.js';
import { queryForm, variantKey } from './query-text.js';
import type { RelatedQueries } from './related-queries.js';
import { categoryAffinity, DEFAULT_SUGGEST_RANKING, staticScores, type CategoryPreferences, type SuggestRanking } from './suggest-ranking.js';
import type { TrendDetector } from './trend-detector.js';

/** What the caller knows of the user. */
export interface UserContext {
  userId: string;
  /** The user's latest searches, newest first. */
  recentQueries: readonly string[];
  categories?: CategoryPreferences;
}

export type RecommendationReason = 'intent' | 'trending' | 'popular';

export interface RecommendedQuery {
  text: string;
  reason: RecommendationReason;
}

export interface QueryPoolSources {
  mined: readonly MinedQuery[];
  related?: RelatedQueries;
  trends?: TrendDetector;
  ranking?: SuggestRanking;
}

export class QueryPool {
  private readonly byKey = new Map<string, number>();
  private readonly mined: readonly MinedQuery[];
  private readonly byScore: number[];
  private readonly scores: Float64Array;
  private readonly related: RelatedQueries | undefined;
  private readonly trends: TrendDetector | undefined;
  private readonly affinityWeight: number;

  constructor(sources: QueryPoolSources) {
    this.mined = sources.mined;
    this.related = sources.related;
    this.trends = sources.trends;
    const ranking = sources.ranking ?? DEFAULT_SUGGEST_RANKING;
    this.scores = staticScores(sources.mined, ranking);
    this.affinityWeight = ranking.affinity;
    sources.mined.forEach((q, i) => this.byKey.set(variantKey(q.text), i));
    this.byScore = Array.from(sources.mined.keys()).sort((a, b) => (this.scores[b] as number) - (this.scores[a] as number) || compare(this.textOf(a), this.textOf(b)));
  }

  /** The shown form of a query when it may be recommended, else undefined. */
  eligible(query: string): string | undefined {
    const i = this.byKey.get(variantKey(queryForm(query, 1_000)));
    return i === undefined ? undefined : this.textOf(i);
  }

  /** The most popular queries, best first. */
  popular(k: number): string[] {
    return this.byScore.slice(0, k).map((i) => this.textOf(i));
  }

  /**
   * The user's intent: what followed their recent searches in other sessions, then the popular
   * queries of their categories (static score plus affinity, among the `scan` most popular).
   */
  intent(user: UserContext, k: number, scan = 1_000): string[] {
    const out: string[] = [];
    for (const recent of user.recentQueries.slice(0, 3)) {
      for (const r of this.related?.related(recent, k) ?? []) {
        const text = this.eligible(r.text);
        if (text !== undefined) out.push(text);
      }
    }
    if (user.categories !== undefined && user.categories.size > 0) {
      const scored = this.byScore
        .slice(0, scan)
        .map((i) => ({ i, affinity: categoryAffinity((this.mined[i] as MinedQuery).categories, user.categories) }))
        .filter((c) => c.affinity > 0)
        .map((c) => ({ i: c.i, score: (this.scores[c.i] as number) + this.affinityWeight * c.affinity }))
        .sort((a, b) => b.score - a.score || compare(this.textOf(a.i), this.textOf(b.i)));
      for (const { i } of scored.slice(0, k)) out.push(this.textOf(i));
    }
    return out;
  }

  /** Trending queries that may be recommended, largest burst first. */
  trending(now: number, k: number): string[] {
    const out: string[] = [];
    for (const t of this.trends?.trending(now, 4 * k) ?? []) {
      const text = this.eligible(t.text);
      if (text !== undefined && out.length < k) out.push(text);
    }
    return out;
  }

  private textOf(i: number): string {
    return (this.mined[i] as MinedQuery).text;
  }
}

/** Merges candidate lists in order, dropping repeats (by variant key) and anything in `exclude`. */
export function distinctCandidates(lists: readonly (readonly RecommendedQuery[])[], exclude: readonly string[]): RecommendedQuery[] {
  const seen = new Set(exclude.map((q) => variantKey(queryForm(q, 1_000))));
  const out: RecommendedQuery[] = [];
  for (const list of lists) {
    for (const candidate of list) {
      const key = variantKey(candidate.text);
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(candidate);
    }
  }
  return out;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
