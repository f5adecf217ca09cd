/**
 * How suggestions are ranked: a static score per query, precomputed into the completion index, plus
 * a personal term and match penalties added at request time. All terms are in log units, so weights
 * read as exponents: with `popularity: 1` alone the order is the order of counts (the plain
 * most-popular baseline), and a penalty of ln 4 means "as if issued a quarter as often".
 *
 * Match penalties keep completions in the script typed first: Latin input offers the Latin queries
 * that start with it before the Chinese queries whose pinyin or initials it is, unless these are far
 * more popular (see `DEFAULT_SUGGEST_RANKING`): someone who types `chaye` without a Chinese input
 * method and takes no suggestion issues `chaye`, not `茶叶`.
 *
 *   static(q) = popularity * ln(1 + count) + recency * ln(1 + decayedCount)
 *             + clickThrough * ln(ctr~ / ctr0) + conversion * ln(cvr~ / cvr0)
 *             + suggestionClicks * ln(1 + debiased suggestion clicks)
 *   final(q)  = static(q) - penalty(match) + affinity * a(user, q)
 *
 * ctr~ and cvr~ are posterior means under a Beta prior centred on the log-wide rates ctr0 and cvr0
 * with the weight of `smoothing` searches: (clicked + m * ctr0) / (searches + m). A query searched
 * twice and clicked twice does not outrank everything.
 */

import type { CategoryShare, MinedQuery } from './query-miner.js';

export interface SuggestRanking {
  /** Weight of ln(1 + count). */
  popularity: number;
  /** Weight of ln(1 + decayed count): recent issues count more. */
  recency: number;
  /** Weight of the log-lift of the smoothed click-through rate over the log's. */
  clickThrough: number;
  /** Weight of the log-lift of the smoothed conversion rate over the log's. */
  conversion: number;
  /** Weight of ln(1 + position-debiased suggestion clicks). */
  suggestionClicks: number;
  /** Pseudo-searches in the click-through and conversion averages. */
  smoothing: number;
  /** Weight of the user's category affinity, in [0, 1] (re-ranks the candidates of a prefix). */
  affinity: number;
  /** Subtracted from a query with Han characters reached by its full pinyin (Latin input). */
  romanizedPenalty: number;
  /** Subtracted from a query with Han characters reached by its pinyin initials. */
  initialsPenalty: number;
  /** Subtracted from a query with Han characters reached by mixed Han and pinyin input. */
  mixedPenalty: number;
  /** Subtracted from a query without Han characters reached by its text without spaces (`iphone15` → `iphone 15`). */
  compactPenalty: number;
}

export const DEFAULT_SUGGEST_RANKING: SuggestRanking = {
  popularity: 1,
  recency: 0.5,
  clickThrough: 0.5,
  conversion: 0.5,
  suggestionClicks: 0.5,
  smoothing: 20,
  affinity: 1.5,
  // What the user typed says in which script the query will be issued: a completion in another
  // script (pinyin typed, Han offered) ranks above a literal completion of the typed characters only
  // when it is about 100 times as popular (200 times for initials). With popularity + recency = 1.5
  // on ln(count) (a fresh query), 1.5 ln 100 reads "as if issued 100 times less often".
  romanizedPenalty: 1.5 * Math.log(100),
  initialsPenalty: 1.5 * Math.log(200),
  mixedPenalty: 1.5 * Math.log(100),
  compactPenalty: Math.LN2,
};

/** A user's interest per category key (`数码>手机`, or a prefix such as `数码`); any non-negative scale. */
export type CategoryPreferences = ReadonlyMap<string, number>;

/** The static score of each query (index-aligned with `mined`). */
export function staticScores(mined: readonly MinedQuery[], ranking: SuggestRanking): Float64Array {
  let searches = 0;
  let clicked = 0;
  let converted = 0;
  for (const q of mined) {
    searches += q.searches;
    clicked += q.clicked;
    converted += q.converted;
  }
  const ctr0 = searches > 0 ? clicked / searches : 0;
  const cvr0 = searches > 0 ? converted / searches : 0;
  const m = ranking.smoothing;
  const scores = new Float64Array(mined.length);
  mined.forEach((q, i) => {
    let score = ranking.popularity * Math.log1p(q.count) + ranking.recency * Math.log1p(q.decayedCount);
    // A log without clicks (or purchases) has no rate to lift: the term is left out.
    if (ctr0 > 0) score += ranking.clickThrough * Math.log((q.clicked + m * ctr0) / (q.searches + m) / ctr0);
    if (cvr0 > 0) score += ranking.conversion * Math.log((q.converted + m * cvr0) / (q.searches + m) / cvr0);
    scores[i] = score + ranking.suggestionClicks * Math.log1p(q.suggestionClicks);
  });
  return scores;
}

/**
 * How well a query's dominant categories match a user's interests, in [0, 1]: the share-weighted
 * interest in each category or its nearest interesting ancestor, relative to the user's top interest.
 */
export function categoryAffinity(categories: readonly CategoryShare[], preferences: CategoryPreferences | undefined): number {
  if (preferences === undefined || preferences.size === 0 || categories.length === 0) return 0;
  let top = 0;
  for (const weight of preferences.values()) if (weight > top) top = weight;
  if (!(top > 0)) return 0;
  let affinity = 0;
  for (const { category, share } of categories) affinity += share * (interestIn(category, preferences) / top);
  return Math.min(1, affinity);
}

function interestIn(category: string, preferences: CategoryPreferences): number {
  let key = category;
  for (;;) {
    const weight = preferences.get(key);
    if (weight !== undefined && weight > 0) return weight;
    const cut = key.lastIndexOf('>');
    if (cut < 0) return 0;
    key = key.slice(0, cut);
  }
}
