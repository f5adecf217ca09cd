import { CancelledError, EVENT_TYPES, REQUEST_LIMITS, type Event, type EventType, type Item, type User } from '../core/index.js';
import {
  countSessions,
  DEFAULT_TRAFFIC_CONFIG,
  DEFAULT_WORLD_CONFIG,
  generateWorld,
  simulateTraffic,
  type SessionLog,
  type ShopBackend,
  type TrafficConfig,
  type World,
  type WorldConfig,
} from '../sim/index.js';
import type { Store } from '../store/index.js';
import { Engine } from '../engine/index.js';

/** The store meta key under which the simulation that produced the data is recorded. */
export const SIMULATION_META_KEY = 'simulation';

export interface SimulationOptions {
  store: Store;
  world?: Partial<WorldConfig>;
  traffic?: Partial<TrafficConfig>;
  /** Engine configuration for the engine the simulated users talk to. */
  engineConfig?: unknown;
  /** Sessions whose events are written (and learned from) together; default 100. */
  sessionsPerWrite?: number;
  onProgress?: (progress: { phase: 'catalog' | 'traffic'; done: number; total: number }) => void;
  /** Passed to the engine: told when a background write of served-list events fails. */
  onBackgroundError?: (error: unknown) => void;
  /** Sees every simulated session (with the true intent behind each query: qrels for evaluation). */
  onSession?: (session: SessionLog) => void;
  /** Wraps the engine as the users see it, e.g. `exploringBackend` for a randomised logging policy. Default none. */
  wrapBackend?: (backend: ShopBackend) => ShopBackend;
  signal?: AbortSignal;
}

export interface SimulationSummary {
  /** `running` is written before the traffic starts: a store left with it was interrupted mid-way. */
  status: 'running' | 'complete';
  world: WorldConfig;
  traffic: TrafficConfig;
  items: number;
  users: number;
  sessions: number;
  events: Record<EventType, number>;
  /** Clicks per impressed item, purchases per click. */
  ctr: number;
  cvr: number;
  firstTime: number;
  lastTime: number;
}

/**
 * Fills a store with a simulated shop: generates the world (catalog and users), then lets its users
 * search, browse and buy against a live engine over the store, day after day, so the history is
 * shaped by what that engine showed them. Returns the engine, ready to serve what was simulated.
 * @throws CancelledError when `signal` aborts (what was written so far stays written).
 */
export async function simulateShop(options: SimulationOptions): Promise<{ engine: Engine; world: World; summary: SimulationSummary }> {
  const { store, signal } = options;
  const world = generateWorld({ ...DEFAULT_WORLD_CONFIG, ...options.world });
  const traffic: TrafficConfig = { ...DEFAULT_TRAFFIC_CONFIG, ...options.traffic };
  const summary = emptySummary(world, traffic);
  await store.setMeta(SIMULATION_META_KEY, JSON.stringify(summary));
  await writeCatalog(store, world.items, world.users, options.onProgress);
  const engine = await Engine.open({
    store,
    config: options.engineConfig,
    ...(options.onBackgroundError === undefined ? {} : { onBackgroundError: options.onBackgroundError }),
  });

  let impressed = 0;
  let firstTime = Number.POSITIVE_INFINITY;
  let pending: Event[] = [];
  const sessionsPerWrite = options.sessionsPerWrite ?? 100;
  const totalSessions = countSessions(world, traffic);
  const backend = options.wrapBackend === undefined ? shopBackend(engine) : options.wrapBackend(shopBackend(engine));
  for (const session of simulateTraffic(world, backend, traffic)) {
    for (const event of session.events) {
      summary.events[event.type]++;
      if (event.type === 'impression') impressed += event.items.length;
      firstTime = Math.min(firstTime, event.time);
      summary.lastTime = Math.max(summary.lastTime, event.time);
    }
    options.onSession?.(session);
    pending.push(...session.events);
    if (++summary.sessions % sessionsPerWrite === 0) {
      await engine.appendParsedEvents(pending);
      pending = [];
      options.onProgress?.({ phase: 'traffic', done: summary.sessions, total: totalSessions });
      if (signal?.aborted === true) throw new CancelledError(`simulation stopped after ${summary.sessions} of ${totalSessions} sessions`);
    }
  }
  await engine.appendParsedEvents(pending);
  options.onProgress?.({ phase: 'traffic', done: summary.sessions, total: totalSessions });

  summary.status = 'complete';
  if (Number.isFinite(firstTime)) summary.firstTime = firstTime;
  summary.ctr = impressed === 0 ? 0 : summary.events.click / impressed;
  summary.cvr = summary.events.click === 0 ? 0 : summary.events.purchase / summary.events.click;
  await store.setMeta(SIMULATION_META_KEY, JSON.stringify(summary));
  return { engine, world, summary };
}

function emptySummary(world: World, traffic: TrafficConfig): SimulationSummary {
  const events = Object.fromEntries(EVENT_TYPES.map((type) => [type, 0])) as Record<EventType, number>;
  return {
    status: 'running',
    world: world.config,
    traffic,
    items: world.items.length,
    users: world.users.length,
    sessions: 0,
    events,
    ctr: 0,
    cvr: 0,
    firstTime: world.config.startTime,
    lastTime: world.config.startTime,
  };
}

/** Reads what `simulateShop` recorded in a store, if anything. */
export async function readSimulationSummary(store: Store): Promise<SimulationSummary | undefined> {
  const text = await store.getMeta(SIMULATION_META_KEY);
  return text === undefined ? undefined : (JSON.parse(text) as SimulationSummary);
}

/** The engine as the simulated users see it: synchronous calls with the simulation's clock. */
export function shopBackend(engine: Engine): ShopBackend {
  return {
    search: (r) => {
      const page = engine.search({ query: r.query, userId: r.userId, sessionId: r.sessionId, requestId: r.requestId, time: r.time, limit: r.limit, ...(r.filters === undefined ? {} : { filters: r.filters }) });
      const refinements = (page.refinements ?? []).map(({ kind, label, filter, query }) => ({ kind, label, ...(filter === undefined ? {} : { filter }), ...(query === undefined ? {} : { query }) }));
      return { items: page.items.map((i) => i.id), total: page.total, recallScores: page.items.map((i) => i.recallScore), cpcs: page.items.map((i) => i.ad?.cpc), refinements };
    },
    recommend: (r) => {
      const page = engine.recommend({
        userId: r.userId,
        sessionId: r.sessionId,
        requestId: r.requestId,
        time: r.time,
        limit: r.limit,
        ...(r.itemId === undefined ? {} : { itemId: r.itemId }),
      });
      return { items: page.items.map((i) => i.id), recallScores: page.items.map((i) => i.recallScore), cpcs: page.items.map((i) => i.ad?.cpc) };
    },
    suggest: (r) => ({
      suggestions: engine.suggest({ prefix: r.prefix, userId: r.userId, requestId: r.requestId, time: r.time, limit: r.limit }).suggestions.map((s) => s.text),
    }),
    hint: (r) => ({ hint: engine.hint({ userId: r.userId, requestId: r.requestId, time: r.time }).hint?.text }),
    guess: (r) => ({ queries: engine.guess({ userId: r.userId, requestId: r.requestId, time: r.time, limit: Math.min(r.limit, REQUEST_LIMITS.maxQueryChips) }).queries.map((q) => q.text) }),
    related: (r) => ({ queries: engine.related({ query: r.query, requestId: r.requestId, limit: Math.min(r.limit, REQUEST_LIMITS.maxQueryChips) }).queries.map((q) => q.text) }),
  };
}

async function writeCatalog(
  store: Store,
  items: readonly Item[],
  users: readonly User[],
  onProgress: SimulationOptions['onProgress'],
): Promise<void> {
  const total = items.length + users.length;
  const batch = 1_000;
  for (let i = 0; i < items.length; i += batch) {
    await store.upsertItems(items.slice(i, i + batch));
    onProgress?.({ phase: 'catalog', done: Math.min(i + batch, items.length), total });
  }
  for (let i = 0; i < users.length; i += batch) {
    await store.upsertUsers(users.slice(i, i + batch));
    onProgress?.({ phase: 'catalog', done: items.length + Math.min(i + batch, users.length), total });
  }
}
