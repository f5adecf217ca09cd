import { randomUUID } from 'node:crypto';
import { compileFilters } from '../catalog/index.js';
import {
  CancelledError,
  EventSchema,
  InvalidArgumentError,
  ItemSchema,
  NotFoundError,
  RecommendRequestSchema,
  SearchRequestSchema,
  SuggestRequestSchema,
  HintRequestSchema,
  GuessRequestSchema,
  RelatedRequestSchema,
  Trace,
  UserSchema,
  FUTURE_TOLERANCE_MS,
  futureTimeIssues,
  parseBatchOrThrow,
  parseOrThrow,
  type Event,
  type Filters,
  type Item,
  type RecommendRequestInput,
  type RequestKind,
  type SearchRequestInput,
  type SuggestRequestInput,
  type HintRequestInput,
  type GuessRequestInput,
  type RelatedRequestInput,
} from '../core/index.js';
import type { AppendResult, Store, UpsertResult } from '../store/index.js';
import { resolveEngineConfig, type EngineConfig } from './config.js';
import { EventLogWriter, type EventLogStats } from './event-log.js';
import { runPipeline, type Pipeline, type PipelineResult } from './pipeline.js';
import type { GuessResponse, HintResponse, RecommendResponse, RelatedResponse, SearchResponse, SuggestResponse } from './responses.js';
import { DEFAULT_ITEM_EMBEDDINGS_CONFIG, ImportedItemVectors, ItemEmbeddings, LexicalChannel, lexicalFingerprint } from '../recall/index.js';
import { LEXICAL_INDEX_NAME, lexicalConfigOf } from './lexical-config.js';
import { isServedListObserver, type ServedListObserver } from '../rerank/index.js';
import { loadServingModels, type ServingModels } from './serving-models.js';
import { buildPipelines, resolveRanker } from './stages.js';
import { EngineState } from './state.js';
import { servedEvents } from './served-events.js';

const DAY_MS = 86_400_000;

export interface LoadProgress {
  phase: 'items' | 'events';
  done: number;
  total: number;
}

export interface EngineOptions {
  store: Store;
  /** Partial configuration; everything else takes `DEFAULT_ENGINE_CONFIG`. */
  config?: unknown;
  /** The time of requests that give none (default `Date.now`). */
  clock?: () => number;
  /** Told how loading goes, for progress bars. */
  onProgress?: (progress: LoadProgress) => void;
  /** Stops loading early with a CancelledError. */
  signal?: AbortSignal;
  /**
   * Told when background work fails (default: ignored): a write of served-list events (retried), or a
   * rebuild of the query suggestions (the old ones keep serving).
   */
  onBackgroundError?: (error: unknown) => void;
}

export interface EngineStatus {
  items: number;
  users: number;
  /** Events learned from since start-up, replayed from the store or received live. */
  events: Record<Event['type'], number>;
  /** Queries eligible for suggestion. */
  suggestableQueries: number;
  unknownItemEvents: number;
  eventLog: EventLogStats;
  loadMs: number;
  /** The ranker serving, and the version of its model in the store's registry when it has one. */
  ranker: { name: 'popularity' | 'ctr'; modelVersion?: number };
  /** The lexical index: live docs, and whether it was loaded from a stored snapshot or built at start-up. */
  lexical?: { docs: number; source: string };
  /**
   * The vectors behind the vector channels: `bpr` or `imported:<name>` (`recall.vector.source`), their
   * version in the store's registry and the items with a vector; absent without any.
   */
  embeddings?: { source: string; modelVersion: number; items: number };
}

/**
 * Quarry's engine: the catalog and what it learned from events, in memory; writes go to the store
 * first. `search`, `recommend` and `suggest` are synchronous and run the configured pipeline.
 */
export class Engine {
  readonly config: EngineConfig;
  private readonly state: EngineState;
  private readonly pipelines: Record<RequestKind, Pipeline>;
  private readonly eventLog: EventLogWriter;
  private users = 0;
  /** Where the lexical index came from, for the status. */
  private lexicalSource: string | undefined;
  private loadMs = 0;
  /** Served-list event ids already logged (bounded): a repeated request id is learned once. */
  private readonly loggedRequests = new Set<string>();

  private constructor(
    private readonly store: Store,
    config: EngineConfig,
    private readonly clock: () => number,
    onBackgroundError: (error: unknown) => void,
    private readonly models: ServingModels,
  ) {
    this.config = config;
    this.state = new EngineState(config, { features: resolveRanker(config, models) === 'ctr', onBackgroundError });
    this.pipelines = buildPipelines(config, this.state, models);
    this.eventLog = new EventLogWriter(store, { ...config.eventLog, onError: onBackgroundError });
  }

  /**
   * Opens an engine over a store: loads every item and replays the last `historyDays` of events.
   * @throws InvalidArgumentError for a bad configuration; CancelledError when `signal` aborts.
   */
  static async open(options: EngineOptions): Promise<Engine> {
    const config = resolveEngineConfig(options.config);
    const models = await loadServingModels(options.store, config);
    const engine = new Engine(options.store, config, options.clock ?? Date.now, options.onBackgroundError ?? (() => {}), models);
    const start = performance.now();
    try {
      await engine.load(options.onProgress ?? (() => {}), options.signal);
    } catch (error) {
      await engine.close(); // stops the event log's timer; nothing was queued yet
      throw error;
    }
    await engine.buildLexical();
    engine.buildEmbeddings();
    engine.loadMs = Math.round(performance.now() - start);
    return engine;
  }

  /**
   * The lexical index over the loaded catalog, when a pipeline uses it: the snapshot `quarry index`
   * stored when it was built from this very catalog and configuration, else built now. It then follows
   * catalog changes.
   */
  private async buildLexical(): Promise<void> {
    if (!Object.values(this.config.recall.channels).flat().includes('lexical')) return;
    const config = lexicalConfigOf(this.config);
    const { catalog } = this.state;
    const stored = await this.store.getModel(LEXICAL_INDEX_NAME);
    if (stored !== undefined && stored.meta.fingerprint === lexicalFingerprint(catalog, config)) {
      this.state.lexical = LexicalChannel.fromSnapshot(catalog, stored.data, config);
      this.lexicalSource = `snapshot version ${stored.version}`;
    } else {
      this.state.lexical = LexicalChannel.build(catalog, config);
      this.lexicalSource = 'built at start-up';
    }
  }

  /** The vector channels' indexes, over the loaded catalog. */
  private buildEmbeddings(): void {
    const { embeddings, itemVectors } = this.models;
    const { M, efConstruction, ef } = this.config.recall.vector;
    const config = { ...DEFAULT_ITEM_EMBEDDINGS_CONFIG, hnsw: { M, efConstruction, ef } };
    if (itemVectors !== undefined) this.state.embeddings = new ImportedItemVectors(itemVectors.name, itemVectors.set, this.state.catalog, config);
    else if (embeddings !== undefined) this.state.embeddings = new ItemEmbeddings(embeddings.model, this.state.catalog, config);
  }

  private async load(onProgress: (p: LoadProgress) => void, signal: AbortSignal | undefined): Promise<void> {
    const itemTotal = await this.store.countItems();
    let done = 0;
    for await (const item of this.store.scanItems()) {
      this.state.upsertItem(item);
      if (++done % 5_000 === 0) checkpoint({ phase: 'items', done, total: itemTotal }, onProgress, signal);
    }
    onProgress({ phase: 'items', done, total: itemTotal });

    // Replay the last `historyDays` before the newest event, never past the clock: an event stored
    // with a future time (a unit mistake written by an older version or another tool) is skipped.
    const to = this.clock() + FUTURE_TOLERANCE_MS;
    const counts = await this.store.countEvents({ to });
    this.users = await this.store.countUsers();
    if (counts.lastTime === undefined) return;
    const range = { from: counts.lastTime - this.config.historyDays * DAY_MS, to };
    const eventTotal = (await this.store.countEvents(range)).total;
    let batch: Event[] = [];
    done = 0;
    for await (const event of this.store.readEvents(range)) {
      batch.push(event);
      if (batch.length === 5_000) {
        this.state.observe(batch);
        done += batch.length;
        batch = [];
        checkpoint({ phase: 'events', done, total: eventTotal }, onProgress, signal);
      }
    }
    this.state.observe(batch);
    onProgress({ phase: 'events', done: done + batch.length, total: eventTotal });
    this.state.popularity.resort();
  }

  /**
   * Searches the catalog; an empty query browses it by popularity (filters still apply).
   * @throws InvalidArgumentError naming the bad field of the request.
   */
  search(input: SearchRequestInput): SearchResponse {
    const request = parseOrThrow(SearchRequestSchema, input, 'search request');
    const kind: RequestKind = request.query.trim() === '' ? 'browse' : 'search';
    const { response, top } = this.run(kind, { ...request, seedDocId: undefined, keepTop: kind === 'search' ? this.config.suggest.refinement.depth : 0 });
    const full: SearchResponse = { ...response, query: request.query };
    const refinements = kind === 'search' ? this.state.refinements.chips({ query: request.query.trim(), filters: request.filters, total: response.total, top }) : [];
    if (refinements.length > 0) full.refinements = refinements;
    if (request.log === true) this.logServed(servedEvents({ surface: 'search', request, response: full, time: this.timeOf(request) }));
    return full;
  }

  /**
   * Recommends items for a user (`userId`), or items like `itemId` ("similar items").
   * @throws InvalidArgumentError for a bad request; NotFoundError when `itemId` is not in the catalog.
   */
  recommend(input: RecommendRequestInput): RecommendResponse {
    const request = parseOrThrow(RecommendRequestSchema, input, 'recommend request');
    let seedDocId: number | undefined;
    if (request.itemId !== undefined) {
      seedDocId = this.state.catalog.docId(request.itemId);
      if (seedDocId === undefined) {
        throw new NotFoundError(`item "${request.itemId}" is not in the catalog`, { issues: [{ path: ['itemId'], message: 'no such item' }] });
      }
    }
    const kind: RequestKind = seedDocId === undefined ? 'recommend' : 'similar';
    const { response } = this.run(kind, { ...request, query: '', seedDocId });
    const full: RecommendResponse = { ...response };
    if (request.userId !== undefined) full.userId = request.userId;
    if (request.itemId !== undefined) full.itemId = request.itemId;
    const surface = kind === 'similar' ? 'similar' : 'recommend';
    if (request.log === true) this.logServed(servedEvents({ surface, request, response: full, time: this.timeOf(request) }));
    return full;
  }

  /**
   * Completes what the user has typed with mined queries: by text, pinyin, initials, mixed Han and
   * pinyin, and one typo; re-ranked by the user's category interest (docs/suggestions.md).
   * @throws InvalidArgumentError for a bad request, or a prefix with a control character.
   */
  suggest(input: SuggestRequestInput): SuggestResponse {
    const start = performance.now();
    const request = parseOrThrow(SuggestRequestSchema, input, 'suggest request');
    const requestId = request.requestId ?? randomUUID();
    const trace = new Trace(requestId, { detailed: request.explain });
    const { queries } = this.state;
    const categories = request.userId === undefined ? undefined : this.state.userContext(request.userId).categories;
    const completion = trace.stage(
      { stage: 'suggest', name: 'query-suggester', input: queries.size },
      () => queries.suggest(request.prefix, { limit: request.limit, ...(categories === undefined ? {} : { categories }) }),
      (c) => c.suggestions.length,
    );
    trace.annotate('query-suggester', { normalizedPrefix: completion.normalizedPrefix, completions: completion.candidates, minUsers: this.config.suggest.minUsers });
    const response: SuggestResponse = {
      requestId,
      prefix: request.prefix,
      suggestions: completion.suggestions.map((s) => ({ text: s.text, count: s.count })),
      scoped: completion.scoped,
      tookMs: 0,
    };
    if (request.explain) response.trace = { stages: trace.stages, moves: [] };
    response.tookMs = elapsedMs(start);
    return response;
  }

  /**
   * The hint word for a user's empty search box; each answer counts towards the hint's exposure cap.
   * An unknown user gets trending or popular queries.
   * @throws InvalidArgumentError for a bad request.
   */
  hint(input: HintRequestInput): HintResponse {
    const start = performance.now();
    const request = parseOrThrow(HintRequestSchema, input, 'hint request');
    const hint = this.state.queries.hint(this.state.userContext(request.userId), this.timeOf(request));
    return { requestId: request.requestId ?? randomUUID(), userId: request.userId, hint: hint ?? null, tookMs: elapsedMs(start) };
  }

  /**
   * "Guess what you want to search" chips for a user (cold start without one, or for an unknown one).
   * @throws InvalidArgumentError for a bad request.
   */
  guess(input: GuessRequestInput): GuessResponse {
    const start = performance.now();
    const request = parseOrThrow(GuessRequestSchema, input, 'guess request');
    const user = request.userId === undefined ? { userId: '', recentQueries: [] } : this.state.userContext(request.userId);
    const chips = this.state.queries.guess(user, this.timeOf(request), request.limit);
    const response: GuessResponse = { requestId: request.requestId ?? randomUUID(), queries: chips, tookMs: 0 };
    if (request.userId !== undefined) response.userId = request.userId;
    response.tookMs = elapsedMs(start);
    return response;
  }

  /**
   * Related searches of a query, or click-back queries of an item (without the user's latest search).
   * @throws InvalidArgumentError for a bad request; NotFoundError when `itemId` is not in the catalog.
   */
  related(input: RelatedRequestInput): RelatedResponse {
    const start = performance.now();
    const request = parseOrThrow(RelatedRequestSchema, input, 'related request');
    const requestId = request.requestId ?? randomUUID();
    const { queries } = this.state;
    if (request.query !== undefined) {
      return { requestId, query: request.query, queries: queries.relatedTo(request.query, request.limit), tookMs: elapsedMs(start) };
    }
    const itemId = request.itemId as string; // the schema requires one of the two
    if (this.state.catalog.docId(itemId) === undefined) {
      throw new NotFoundError(`item "${itemId}" is not in the catalog`, { issues: [{ path: ['itemId'], message: 'no such item' }] });
    }
    const latest = request.userId === undefined ? [] : this.state.userContext(request.userId).recentQueries.slice(0, 1);
    return { requestId, itemId, queries: queries.clickBackFor(itemId, request.limit, latest), tookMs: elapsedMs(start) };
  }

  /**
   * Validates and stores items (all or none), then serves them.
   * @throws InvalidArgumentError naming every bad item (nothing is written then).
   */
  async upsertItems(items: unknown): Promise<UpsertResult> {
    const parsed = parseBatchOrThrow(ItemSchema, items, { what: 'item', field: 'items', maxSize: this.config.maxBatch });
    const result = await this.store.upsertItems(parsed);
    for (const item of parsed) this.state.upsertItem(item);
    return result;
  }

  /**
   * The item as it is being served.
   * @throws NotFoundError when no item has that id.
   */
  getItem(id: string): Item {
    const docId = this.state.catalog.docId(id);
    const item = docId === undefined ? undefined : this.state.catalog.item(docId);
    if (item === undefined) throw new NotFoundError(`item "${id}" does not exist`, { issues: [{ path: ['id'], message: 'no such item' }] });
    return item;
  }

  /** Deletes an item from the store and the catalog; false when there was none. */
  async deleteItem(id: string): Promise<boolean> {
    const deleted = await this.store.deleteItem(id);
    const removed = this.state.removeItem(id);
    return deleted || removed;
  }

  /**
   * Validates and stores users (all or none).
   * @throws InvalidArgumentError naming every bad user.
   */
  async upsertUsers(users: unknown): Promise<UpsertResult> {
    const parsed = parseBatchOrThrow(UserSchema, users, { what: 'user', field: 'users', maxSize: this.config.maxBatch });
    const result = await this.store.upsertUsers(parsed);
    this.users += result.inserted;
    return result;
  }

  /**
   * Validates and stores events (all or none, idempotent by event id), then learns from the new ones.
   * @throws InvalidArgumentError naming every bad event (nothing is written then).
   */
  async appendEvents(events: unknown): Promise<AppendResult> {
    const parsed = parseBatchOrThrow(EventSchema, events, { what: 'event', field: 'events', maxSize: this.config.maxBatch });
    this.refuseFutureEvents(parsed);
    return this.appendParsedEvents(parsed);
  }

  /**
   * As `appendEvents`, for events already validated (the simulator's, the CLI ingest's). With
   * `learned`, the events were already learned by `learnParsedEvents` and are only stored.
   */
  async appendParsedEvents(events: readonly Event[], options: { learned?: boolean } = {}): Promise<AppendResult> {
    const result = await this.store.appendEvents(events);
    if (options.learned === true) return result;
    // Learn only what was newly stored: a retried batch, or an id repeated within it, counts once.
    if (result.duplicates === 0) this.state.observe(events);
    else {
      const skipped = new Set(result.duplicateIndexes);
      this.state.observe(events.filter((_, index) => !skipped.has(index)));
    }
    return result;
  }

  /**
   * Learns validated events at once, before they are stored: for a caller that cannot wait for a write
   * between one event and the next request (the simulator, whose users act within a session as a live
   * server's clients would), and that stores the same events later with `appendParsedEvents(events,
   * { learned: true })`. Nothing guards against learning an event twice on this path.
   */
  learnParsedEvents(events: readonly Event[]): void {
    this.state.observe(events);
  }

  /**
   * Refuses a batch holding an event dated past the clock's tolerance (see `futureTimeIssues`).
   * @throws InvalidArgumentError naming every such event's time.
   */
  private refuseFutureEvents(events: readonly Event[]): void {
    const issues = futureTimeIssues(events, { now: this.clock(), field: 'events' });
    const first = issues[0];
    if (first !== undefined) {
      throw new InvalidArgumentError(`events.${String(first.path[1])}.time ${first.message}; nothing in the batch was written`, { issues });
    }
  }

  status(): EngineStatus {
    return {
      items: this.state.catalog.size,
      users: this.users,
      events: { ...this.state.eventCounts },
      suggestableQueries: this.state.queries.size,
      unknownItemEvents: this.state.unknownItemEvents,
      eventLog: this.eventLog.stats(),
      loadMs: this.loadMs,
      ranker: this.rankerStatus(),
      ...(this.state.lexical && this.lexicalSource ? { lexical: { docs: this.state.lexical.index.size, source: this.lexicalSource } } : {}),
      ...(this.state.embeddings
        ? { embeddings: { source: this.state.embeddings.source, modelVersion: (this.models.itemVectors ?? this.models.embeddings)?.version ?? 0, items: this.state.embeddings.size } }
        : {}),
    };
  }

  private rankerStatus(): EngineStatus['ranker'] {
    const name = resolveRanker(this.config, this.models);
    const version = this.models.ranking?.version;
    return name === 'ctr' && version !== undefined ? { name, modelVersion: version } : { name };
  }

  /** Writes pending served-list events. */
  async flush(): Promise<void> {
    await this.eventLog.flush();
  }

  /** Writes what is pending and stops background work; the store stays open (its owner closes it). */
  async close(): Promise<void> {
    await this.state.queries.close();
    await this.eventLog.close();
  }

  /**
   * Queues a served list's events for the store and learns from those queued at once (its query
   * feeds suggestions before the write). Events dropped because the queue is full are not learned.
   * A request id logged twice is logged once: the events' ids derive from it.
   */
  private logServed(events: Event[]): void {
    const fresh = events.filter((event) => !this.loggedRequests.has(event.eventId));
    for (const event of fresh) this.loggedRequests.add(event.eventId);
    if (this.loggedRequests.size > 100_000) this.loggedRequests.clear();
    this.state.observe(this.eventLog.enqueue(fresh));
  }

  private run(
    kind: RequestKind,
    request: { requestId?: string | undefined; query: string; userId?: string | undefined; seedDocId: number | undefined; time?: number | undefined; filters: Filters; offset: number; limit: number; explain: boolean; keepTop?: number },
  ): PipelineResult {
    const filter = compileFilters(request.filters);
    const { catalog } = this.state;
    const seed = request.seedDocId;
    const accepts = (docId: number): boolean => {
      const item = catalog.item(docId);
      return item !== undefined && docId !== seed && filter(item);
    };
    const pipeline = this.pipelines[kind];
    const result = runPipeline(
      {
        pipeline,
        catalog,
        limits: {
          candidatesPerChannel: this.config.recall.candidatesPerChannel,
          maxCandidates: this.config.recall.maxCandidates,
          rerankDepth: this.config.rerank.depth,
        },
      },
      {
        kind,
        requestId: request.requestId ?? randomUUID(),
        query: request.query,
        userId: request.userId,
        seedDocId: seed,
        time: this.timeOf(request),
        accepts,
        offset: request.offset,
        limit: request.limit,
        explain: request.explain,
        keepTop: request.keepTop ?? 0,
      },
    );
    this.feedObservers(pipeline, { userId: request.userId, time: this.timeOf(request), itemIds: result.response.items.map((i) => i.id) });
    return result;
  }

  /** Traffic-control rerankers (frequency caps, exposure pacing) learn from every page served. */
  private feedObservers(pipeline: Pipeline, served: { userId: string | undefined; time: number; itemIds: string[] }): void {
    const observers: ServedListObserver[] = [];
    for (const reranker of pipeline.rerankers) if (isServedListObserver(reranker)) observers.push(reranker);
    if (observers.length === 0) return;
    const { catalog } = this.state;
    const docIds = served.itemIds.flatMap((id) => {
      const docId = catalog.docId(id);
      return docId === undefined ? [] : [docId];
    });
    for (const observer of observers) observer.observeServed({ userId: served.userId, time: served.time, docIds });
  }

  private timeOf(request: { time?: number | undefined }): number {
    return request.time ?? this.clock();
  }
}

function elapsedMs(start: number): number {
  return Math.round((performance.now() - start) * 1000) / 1000;
}

function checkpoint(progress: LoadProgress, onProgress: (p: LoadProgress) => void, signal: AbortSignal | undefined): void {
  onProgress(progress);
  if (signal?.aborted === true) throw new CancelledError(`loading stopped during ${progress.phase} at ${progress.done} of ${progress.total}`);
}
