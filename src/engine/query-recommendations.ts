/**
 * The engine's query recommendation (docs/suggestions.md): the `suggest/` library fed with the
 * engine's events. Mining, related searches, click-back and trends learn live; the completion
 * structure and the query pool behind hints and chips are rebuilt from the mined queries once enough
 * new queries arrived (see `staleAfter`), noticed by the next request:
 *
 * - a structure of fewer than `backgroundRebuildFrom` queries is rebuilt inside that request (it
 *   takes milliseconds), so the answers depend only on the events and requests seen (deterministic);
 * - a larger one is rebuilt off the request path: the request (and every one after it) is answered by
 *   the structure serving; a task on the event loop mines a snapshot of the queries, builds the new
 *   suggester in chunks that yield to the event loop, and swaps the new structure in at once when it
 *   is complete. A rebuild that fails is reported to `onBackgroundError` and the old structure keeps
 *   serving until the next `staleAfter` new queries ask again.
 */

import { CancelledError, type Event } from '../core/index.js';
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

/** How the engine's query recommendation is wired: background errors, and the suggester builder (tests). */
export interface QueryRecommendationsOptions {
  /** Told when a background rebuild fails (the old structure keeps serving). Default: ignored. */
  onBackgroundError?: ((error: unknown) => void) | undefined;
  /** Builds the suggester of a background rebuild; default `QuerySuggester.build`. */
  buildSuggester?: typeof QuerySuggester.build;
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
  /** Query events since the last build (or since the snapshot of the rebuild running). */
  private pending = 0;
  /** The background rebuild running, if any; it settles when its structure is swapped in, or fails. */
  private rebuilding: Promise<void> | undefined;
  private readonly stopRebuild = new AbortController();
  private readonly onBackgroundError: (error: unknown) => void;
  private readonly buildSuggester: typeof QuerySuggester.build;

  /**
   * @param categoryOf an item's category key (`数码>手机`), for the dominant categories of queries.
   * @throws InvalidArgumentError on a bad mining or trend configuration.
   */
  constructor(config: QueryRecommendationsConfig, categoryOf: (itemId: string) => string | undefined, options: QueryRecommendationsOptions = {}) {
    this.config = config;
    this.onBackgroundError = options.onBackgroundError ?? (() => {});
    this.buildSuggester = options.buildSuggester ?? ((mined, o) => QuerySuggester.build(mined, o));
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

  /** Rebuilds now, inside the call, whatever is pending (start-up, tests); a background rebuild running is overtaken. */
  rebuild(): void {
    this.pending = 0;
    const mined = this.miner.mine();
    this.install(this.assemble(mined, QuerySuggester.buildSync(mined, { config: this.suggesterOptions() })));
  }

  /** True while a background rebuild runs. */
  get rebuildRunning(): boolean {
    return this.rebuilding !== undefined;
  }

  /** Settles when no background rebuild runs any more (swapped in, failed or stopped); never rejects. */
  async settled(): Promise<void> {
    while (this.rebuilding !== undefined) await this.rebuilding;
  }

  /** Stops a background rebuild running (its structure is never swapped in); the served one stays. */
  async close(): Promise<void> {
    this.stopRebuild.abort();
    await this.settled();
  }

  private fresh(): Built {
    if (this.built === undefined) this.rebuild();
    else if (this.pending >= this.staleAfter && this.rebuilding === undefined && !this.stopRebuild.signal.aborted) {
      if (this.built.suggester.size < this.config.backgroundRebuildFrom) this.rebuild();
      else this.startRebuild();
    }
    return this.built as Built;
  }

  /**
   * Starts a background rebuild: the work begins on a later turn of the event loop, never inside the
   * request that noticed the staleness. Queries observed meanwhile count towards the next one.
   */
  private startRebuild(): void {
    const served = this.built;
    const run = async () => {
      await new Promise<void>((resolve) => setImmediate(resolve));
      const { signal } = this.stopRebuild;
      if (signal.aborted) throw new CancelledError('the query suggestions rebuild was stopped');
      this.pending = 0;
      const mined = this.miner.mine();
      const suggester = await this.buildSuggester(mined, { config: this.suggesterOptions(), signal });
      if (signal.aborted) throw new CancelledError('the query suggestions rebuild was stopped');
      // A synchronous rebuild (rebuild()) that ran meanwhile installed newer queries: keep those.
      if (this.built === served) this.install(this.assemble(mined, suggester));
    };
    this.rebuilding = run()
      .catch((error: unknown) => {
        if (!(error instanceof CancelledError && this.stopRebuild.signal.aborted)) this.onBackgroundError(error);
      })
      .finally(() => {
        this.rebuilding = undefined;
      });
  }

  private suggesterOptions(): QuerySuggesterOptions {
    const { topK, typoMinLength, ranking, maxPrefixLength } = this.config;
    return { topK, typoMinLength, maxPrefixLength, ranking };
  }

  private assemble(mined: MinedQuery[], suggester: QuerySuggester): Built {
    const pool = new QueryPool({ mined, related: this.related, trends: this.trends, ranking: suggester.config.ranking });
    return { suggester, pool, hints: new HintSelector(pool, this.config.hint), guesses: new GuessSelector(pool) };
  }

  /** Swaps a structure in, in one step; hint exposures recorded until now are handed on to it. */
  private install(next: Built): void {
    if (this.hintState !== undefined) next.hints.adoptExposures(this.hintState);
    this.hintState = next.hints;
    this.built = next;
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
