/**
 * "Guess what you want to search" ("猜你想搜"): a row of query chips before any search. The chips
 * interleave the sources so the row is not all one kind: the user's intent (what followed their
 * latest searches, popular queries of their categories), trending queries, and the most popular
 * (which alone fill the row of a new user: the cold start). Never one of the user's latest searches.
 */

import { distinctCandidates, type QueryPool, type RecommendedQuery, type UserContext } from './query-pool.js';

export interface GuessConfig {
  /** Chips taken from each source in turn: intent, trending, popular. */
  pattern: readonly ('intent' | 'trending' | 'popular')[];
  /** Candidates gathered per source. */
  perSource: number;
}

export const DEFAULT_GUESS: GuessConfig = { pattern: ['intent', 'intent', 'trending', 'popular'], perSource: 12 };

export class GuessSelector {
  readonly config: GuessConfig;

  constructor(
    private readonly pool: QueryPool,
    config: Partial<GuessConfig> = {},
  ) {
    this.config = { ...DEFAULT_GUESS, ...config };
  }

  /** Up to `k` chips for the user. */
  guess(user: UserContext, now: number, k: number): RecommendedQuery[] {
    const { perSource } = this.config;
    const sources: Record<RecommendedQuery['reason'], RecommendedQuery[]> = {
      intent: this.pool.intent(user, perSource).map((text) => ({ text, reason: 'intent' })),
      trending: this.pool.trending(now, perSource).map((text) => ({ text, reason: 'trending' })),
      popular: this.pool.popular(perSource + k).map((text) => ({ text, reason: 'popular' })),
    };
    // Interleave by the pattern until every source is used up; the dedup keeps first occurrences.
    const interleaved: RecommendedQuery[] = [];
    const taken = { intent: 0, trending: 0, popular: 0 };
    const left = () => sources.intent.length + sources.trending.length + sources.popular.length - interleaved.length;
    for (let step = 0; left() > 0; step++) {
      const reason = this.config.pattern[step % this.config.pattern.length] ?? 'popular';
      const next = sources[reason][taken[reason]];
      if (next === undefined) {
        // This source is used up: the others take its turns.
        const other = (['intent', 'trending', 'popular'] as const).find((r) => taken[r] < sources[r].length);
        if (other !== undefined) interleaved.push(sources[other][taken[other]++] as RecommendedQuery);
        continue;
      }
      interleaved.push(next);
      taken[reason]++;
    }
    return distinctCandidates([interleaved], user.recentQueries).slice(0, k);
  }
}
