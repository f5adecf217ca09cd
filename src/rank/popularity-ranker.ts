import type { ExplainNode, MergedCandidate, Ranker, ScoredCandidate, StageContext } from '../core/index.js';
import type { ItemPopularity } from '../features/index.js';

export interface PopularityRankerConfig {
  /** Weight of the popularity term; the recall score's weight is 1. */
  popularityWeight: number;
}

export const DEFAULT_POPULARITY_RANKER_CONFIG: PopularityRankerConfig = { popularityWeight: 0.3 };

/**
 * The foundation's ranker: recall score plus a popularity bonus,
 *
 *   score = recallScore + w · ln(1 + pop) / ln(1 + maxPop)
 *
 * where pop is the item's decayed interaction count at request time and maxPop the largest among the
 * candidates. The bonus is at most `w` (0.3), so it orders items of similar relevance by popularity
 * without lifting a poor match over a good one. The CTR/CVR models of the ranking capability replace it.
 */
export class PopularityRanker implements Ranker {
  readonly name = 'popularity';

  constructor(
    private readonly popularity: ItemPopularity,
    private readonly config: PopularityRankerConfig = DEFAULT_POPULARITY_RANKER_CONFIG,
  ) {}

  score(context: StageContext, candidates: readonly MergedCandidate[]): ScoredCandidate[] {
    const value = this.popularity.at(context.time);
    const pops = candidates.map((c) => value(c.docId));
    const maxLog = Math.log1p(pops.reduce((max, p) => Math.max(max, p), 0));
    const w = this.config.popularityWeight;
    return candidates.map((candidate, i) => {
      const pop = pops[i] ?? 0;
      const bonus = maxLog > 0 ? (w * Math.log1p(pop)) / maxLog : 0;
      const scored: ScoredCandidate = {
        docId: candidate.docId,
        recallScore: candidate.recallScore,
        sources: candidate.sources,
        score: candidate.recallScore + bonus,
      };
      if (context.trace.detailed) scored.rankExplain = explain(candidate.recallScore, { bonus, pop, w, maxLog });
      return scored;
    });
  }
}

function explain(recallScore: number, p: { bonus: number; pop: number; w: number; maxLog: number }): ExplainNode {
  return {
    label: 'sum of',
    value: recallScore + p.bonus,
    children: [
      { label: 'recall score (merged channel scores)', value: recallScore },
      {
        label: 'popularity bonus, computed as w · ln(1 + pop) / ln(1 + maxPop)',
        value: p.bonus,
        children: [
          { label: 'w (popularityWeight)', value: p.w },
          { label: 'pop (decayed interactions)', value: p.pop },
          { label: 'ln(1 + maxPop) among candidates', value: p.maxLog },
        ],
      },
    ],
  };
}
