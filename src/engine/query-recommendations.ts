/**
 * The engine's query recommendation (docs/suggestions.md): the `suggest/` library fed with the
 * engine's events. Mining, related searches, click-back and trends learn live; the completion
 * structure and the query pool behind hints and chips are rebuilt from the mined queries lazily, on
 * the first request after enough new queries (see `staleAfter`), so a rebuild costs nothing while
 * events stream in and the answers depend only on the events and requests seen (deterministic).
 */

import type { Event } from '../core/index.js';
import {
  ClickBack,
  GuessSelector,
  HintSelector,
  QueryMiner,
  QueryPool,
  QuerySuggester,
  RelatedQueries,
  TrendDetector,
  type CategoryPreferences,
  type MinedQuery,
  type QuerySuggesterOptions,
  type RecommendedQuery,
  type SuggestResult,
  type UserContext,
} from '../suggest/index.js';
import type { EngineConfig } from './config.js';

export type QueryRecommendationsConfig = EngineConfig['suggest'];

/** A related or click-back query, with where it comes from. */
export interface RelatedSearch {
  text: string;
  /** `next`: searched next after the query in sessions; `click-back`: led other users to the item. */
  reason: 'next' | 'click-back';
  /** Times it followed the query, or the clicks (purchases weighted) it led to. */
  weight: number;
}

interface Built {
  suggester: QuerySuggester;
  pool: QueryPool;
  hints: HintSelector;
  guesses: GuessSelector;
}

export class QueryRecommendations {
  readonly config: QueryRecommendationsConfig;
  private readonly miner: QueryMiner;
  private readonly related: RelatedQueries;
  private readonly clickBack: ClickBack;
  private readonly trends: TrendDetector;
  private built: Built | undefined;
  /** Hint exposures per user outlive a rebuild: the selectors are rebuilt, this is handed on. */
  private hintState: HintSelector | undefined;
  /** Query events since the last build. */
  private pending = 0;

  /**
   * @param categoryOf an item's category key (`数码>手机`), for the dominant categories of queries.
   * @throws InvalidArgumentError on a bad mining or trend configuration.
   */
  constructor(config: QueryRecommendationsConfig, categoryOf: (itemId: string) => string | undefined) {
    this.config = config;
    const { minUsers, maxLength, blockList, halfLifeDays } = config;
    this.miner = new QueryMiner({ minUsers, maxLength, blockList, halfLifeMs: halfLifeDays * 86_400_000 }, categoryOf);
    this.related = new RelatedQueries({ maxLength, maxGapMs: config.related.maxGapMinutes * 60_000, minCount: Math.max(minUsers, config.related.minCount) });
    this.clickBack = new ClickBack({ maxLength, minCount: Math.max(minUsers, config.clickBack.minCount) });
    this.trends = new TrendDetector({ maxLength });
  }

  /** Learns from one event (feed them in time order). */
  observe(event: Event): void {
    this.miner.observe(event);
    this.clickBack.observe(event);
    if (event.type === 'query') {
      this.related.observe(event);
      this.trends.observe(event.query, event.time);
      this.pending++;
    } else if (event.type === 'suggestion_click') {
      this.hintState?.clicked(event.userId, event.suggestion);
    }
  }

  /** Queries that can be suggested (as of the latest build; builds when stale). */
  get size(): number {
    return this.fresh().suggester.size;
  }

  /**
   * New query events after which the next request rebuilds: `rebuildShare` of the suggestable
   * queries, at least 1 and at most `rebuildEvery`. Small logs follow every query; a large one
   * waits, so the amortised rebuild cost per query stays bounded.
   */
  get staleAfter(): number {
    const size = this.built?.suggester.size ?? 0;
    return Math.min(this.config.rebuildEvery, Math.max(1, Math.ceil(this.config.rebuildShare * size)));
  }

  /**
   * Completions of `prefix` (see `QuerySuggester.suggest`).
   * @throws InvalidArgumentError for input with a control character or over the length limit.
   */
  suggest(prefix: string, options: { limit: number; categories?: CategoryPreferences }): SuggestResult {
    const { suggester } = this.fresh();
    return suggester.suggest(prefix, { ...options, limit: Math.min(options.limit, suggester.config.topK) });
  }

  /** The hint word for a user now, or undefined when every candidate is retired or none exists. */
  hint(user: UserContext, now: number): RecommendedQuery | undefined {
    return this.fresh().hints.hint(user, now);
  }

  /** Up to `limit` "guess what you want to search" chips. */
  guess(user: UserContext, now: number, limit: number): RecommendedQuery[] {
    return this.fresh().guesses.guess(user, now, limit);
  }

  /** Queries searched next after `query` in sessions; only suggestable ones (privacy, block list). */
  relatedTo(query: string, limit: number): RelatedSearch[] {
    const { pool } = this.fresh();
    return this.eligibleOnly(
      pool,
      this.related.related(query, 4 * limit).map((r) => ({ text: r.text, reason: 'next' as const, weight: r.count })),
      [query],
      limit,
    );
  }

  /** Queries that led other users to click or buy `itemId`, without the ones in `exclude`. */
  clickBackFor(itemId: string, limit: number, exclude: readonly string[]): RelatedSearch[] {
    const { pool } = this.fresh();
    const found = this.clickBack.queriesFor([{ itemId }], 4 * limit, exclude);
    return this.eligibleOnly(pool, found.map((q) => ({ text: q.text, reason: 'click-back' as const, weight: q.weight })), exclude, limit);
  }

  /** Rebuilds now, whatever is pending (start-up, tests). */
  rebuild(): void {
    this.built = this.build(this.miner.mine());
    this.pending = 0;
  }

  private fresh(): Built {
    if (this.built === undefined || this.pending >= this.staleAfter) this.rebuild();
    return this.built as Built;
  }

  private build(mined: MinedQuery[]): Built {
    const { topK, typoMinLength, ranking } = this.config;
    const options: QuerySuggesterOptions = { topK, typoMinLength, maxPrefixLength: this.config.maxPrefixLength, ranking };
    const suggester = QuerySuggester.buildSync(mined, { config: options });
    const pool = new QueryPool({ mined, related: this.related, trends: this.trends, ranking: suggester.config.ranking });
    const hints = new HintSelector(pool, this.config.hint);
    if (this.hintState !== undefined) hints.adoptExposures(this.hintState);
    this.hintState = hints;
    return { suggester, pool, hints, guesses: new GuessSelector(pool) };
  }

  private eligibleOnly(pool: QueryPool, found: RelatedSearch[], exclude: readonly string[], limit: number): RelatedSearch[] {
    const out: RelatedSearch[] = [];
    const seen = new Set(exclude.map((q) => pool.eligible(q) ?? q));
    for (const r of found) {
      const text = pool.eligible(r.text);
      if (text === undefined || seen.has(text) || out.length >= limit) continue;
      seen.add(text);
      out.push({ ...r, text });
    }
    return out;
  }
}
