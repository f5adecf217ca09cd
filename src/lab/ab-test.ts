import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CancelledError, InvalidArgumentError, type Event, type Item, type Surface } from '../core/index.js';
import { Engine, resolveEngineConfig } from '../engine/index.js';
import { encodeRankingModel, RANKING_MODEL_FORMAT_VERSION, RANKING_MODEL_NAME } from '../rank/index.js';
import { countSessions, DEFAULT_WORLD_CONFIG, generateWorld, simulateTraffic, type ClickModel, type SessionLog, type ShopBackend, type World, type WorldConfig } from '../sim/index.js';
import { SqliteStore } from '../store/index.js';
import { trainRankingModel, type CtrTrainingConfig } from './ctr-training.js';
import { exploringBackend } from './exploring-backend.js';
import { shopBackend, simulateShop } from './simulate-shop.js';

/** One arm of an experiment: a name and the engine configuration its users are served by. */
export interface AbArm {
  name: string;
  engineConfig: unknown;
}

export interface AbTestConfig {
  /** One simulated shop per seed; the spread over seeds gives the confidence intervals. Default 3 seeds. */
  seeds: string[];
  world: Partial<WorldConfig>;
  /** Days of history simulated against the baseline engine (popularity ranking) before the test. Default 7. */
  historyDays: number;
  /** Days each arm serves, starting from the same history, to the same simulated users. Default 2. */
  testDays: number;
  sessionsPerDay: number;
  /** Training of the ranking model on the history, for arms that rank with it. */
  training: Partial<CtrTrainingConfig>;
  /**
   * Randomised exploration in the history's logging policy (`exploringBackend`, seeded by the shop's
   * seed): the share of history lists shown shuffled and how many of their first items. Rate 0 (the
   * default) logs the popularity ranker's order as it is. The test days never explore.
   */
  historyExploration: { rate: number; topN: number };
  /**
   * When the arms' engines learn the test days' events: `live`, each event the moment the simulated
   * user makes it (as a server learns each POST /events), so a list within a session already knows
   * the session's earlier searches and clicks, as the training samples' features did; `per-session`,
   * a session's events after it ends (a train/serve skew for the learned ranker). Default `live`.
   */
  learning: 'live' | 'per-session';
  /** Click-model changes for history and test days alike (e.g. the redundancy weights at 0: no list effects). */
  clickModel?: Partial<ClickModel>;
}

export const DEFAULT_AB_TEST_CONFIG: AbTestConfig = {
  seeds: ['ab-1', 'ab-2', 'ab-3'],
  world: { items: 3_000, users: 1_500 },
  historyDays: 7,
  testDays: 2,
  sessionsPerDay: 1_000,
  training: { epochs: 4, importanceRows: 0 },
  historyExploration: { rate: 0, topN: 10 },
  learning: 'live',
};

/** What one arm did in one shop. */
export interface ArmMetrics {
  sessions: number;
  /** Items shown, summed over lists. */
  impressions: number;
  clicks: number;
  purchases: number;
  /** Purchase value (price x quantity). */
  gmv: number;
  /** Clicks on ads at the price per click their auction set. */
  adRevenue: number;
  /** clicks / impressions. */
  ctr: number;
  purchasesPerSession: number;
  gmvPerSession: number;
  /** Distinct items shown / catalog size. */
  coverage: number;
  /** Share of impressions that went to items created within `newItemDays` of the test start. */
  newItemShare: number;
  /** clicks / impressions per surface (search, recommend, similar). */
  ctrBySurface: Partial<Record<Surface, number>>;
  /** `ctrBySurface` entries as metrics with intervals (0 for a surface that showed nothing). */
  ctrSearch: number;
  ctrRecommend: number;
  ctrSimilar: number;
}

export const AB_METRICS = ['ctr', 'purchasesPerSession', 'gmvPerSession', 'adRevenue', 'coverage', 'newItemShare', 'ctrSearch', 'ctrRecommend', 'ctrSimilar'] as const;
export type AbMetric = (typeof AB_METRICS)[number];

export interface Interval {
  mean: number;
  /** 95% confidence interval (Student t over seeds). */
  low: number;
  high: number;
}

export interface AbTestResult {
  arms: string[];
  perSeed: { seed: string; arms: Record<string, ArmMetrics> }[];
  /** Per arm and metric: the mean over seeds, and the paired difference to the first arm (the control). */
  summary: Record<string, Record<AbMetric, { value: Interval; deltaVsControl: Interval }>>;
}

export interface AbTestOptions {
  arms: AbArm[];
  config?: Partial<AbTestConfig>;
  onProgress?: (progress: { seed: string; phase: 'history' | 'training' | 'arm'; arm?: string; done: number; total: number }) => void;
  /** Called with each seed's history store (open, written) before the arms copy it: e.g. to train and store a model an arm needs. */
  afterHistory?: (history: { seed: string; store: SqliteStore }) => Promise<void>;
  /** Called with each arm's sessions and the shop's world, for metrics beyond `ArmMetrics`. */
  onArmSessions?: (arm: { seed: string; arm: string; sessions: readonly SessionLog[]; world: World; testStart: number }) => void;
  signal?: AbortSignal;
}

const NEW_ITEM_DAYS = 30;
const DAY_MS = 86_400_000;

/**
 * A/B dry runs in the simulator: per seed, a shop's history is simulated against the baseline engine,
 * the ranking model is trained on it when an arm needs one, then every arm serves the same simulated
 * users for the same test days from a copy of that history. Arms differ only in what they showed, so
 * each seed gives a paired comparison; the spread over seeds gives 95% confidence intervals.
 * @throws InvalidArgumentError for fewer than two arms or duplicate names; CancelledError when `signal` aborts.
 */
export async function runAbTest(options: AbTestOptions): Promise<AbTestResult> {
  const config = { ...DEFAULT_AB_TEST_CONFIG, ...options.config };
  const names = options.arms.map((a) => a.name);
  if (names.length < 2 || new Set(names).size !== names.length) {
    throw new InvalidArgumentError(`an A/B test needs at least two arms with distinct names, got ${JSON.stringify(names)}`);
  }
  const dir = await mkdtemp(join(tmpdir(), 'quarry-ab-'));
  try {
    const perSeed: AbTestResult['perSeed'] = [];
    for (const seed of config.seeds) perSeed.push({ seed, arms: await runSeed(seed, dir, config, options) });
    return { arms: names, perSeed, summary: summarizeArms(names, perSeed) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function clickModelOf(config: AbTestConfig): { clickModel?: Partial<ClickModel> } {
  return config.clickModel === undefined ? {} : { clickModel: config.clickModel };
}

async function runSeed(seed: string, dir: string, config: AbTestConfig, options: AbTestOptions): Promise<Record<string, ArmMetrics>> {
  const historyPath = join(dir, `${seed}-history.db`);
  const world = { ...DEFAULT_WORLD_CONFIG, ...config.world, seed };
  const store = await SqliteStore.open({ path: historyPath });
  const { engine } = await simulateShop({
    store,
    world,
    traffic: { days: config.historyDays, sessionsPerDay: config.sessionsPerDay, ...clickModelOf(config) },
    engineConfig: { rank: { ranker: 'popularity' } },
    ...(config.historyExploration.rate > 0 ? { wrapBackend: (backend: ShopBackend) => exploringBackend(backend, { ...config.historyExploration, seed }) } : {}),
    onProgress: (p) => options.onProgress?.({ seed, phase: 'history', done: p.done, total: p.total }),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  await engine.close();
  if (options.arms.some((arm) => resolveEngineConfig(arm.engineConfig).rank.ranker !== 'popularity')) {
    options.onProgress?.({ seed, phase: 'training', done: 0, total: 1 });
    const { model } = await trainRankingModel({ store, config: config.training, ...(options.signal ? { signal: options.signal } : {}) });
    await store.putModel({ name: RANKING_MODEL_NAME, formatVersion: RANKING_MODEL_FORMAT_VERSION, data: encodeRankingModel(model) });
  }
  await options.afterHistory?.({ seed, store });
  await store.close();

  const shop = generateWorld(world);
  const items = new Map(shop.items.map((item) => [item.id, item]));
  const testStart = shop.config.startTime + config.historyDays * DAY_MS;
  const results: Record<string, ArmMetrics> = {};
  for (const arm of options.arms) {
    const armPath = join(dir, `${seed}-${arm.name}.db`);
    await copyFile(historyPath, armPath);
    const armStore = await SqliteStore.open({ path: armPath });
    const armEngine = await Engine.open({ store: armStore, config: arm.engineConfig });
    const sessions: SessionLog[] = [];
    const traffic = { firstDay: config.historyDays, days: config.testDays, sessionsPerDay: config.sessionsPerDay, ...clickModelOf(config) };
    const total = countSessions(shop, traffic);
    const live = config.learning === 'live';
    const onEvent = (event: Event) => armEngine.learnParsedEvents([event]);
    for (const session of simulateTraffic(shop, shopBackend(armEngine), traffic, live ? { onEvent } : {})) {
      await armEngine.appendParsedEvents(session.events, { learned: live });
      sessions.push(session);
      if (sessions.length % 200 === 0) {
        options.onProgress?.({ seed, phase: 'arm', arm: arm.name, done: sessions.length, total });
        if (options.signal?.aborted === true) throw new CancelledError(`A/B test stopped in seed ${seed}, arm ${arm.name}`);
      }
    }
    await armEngine.close();
    await armStore.close();
    results[arm.name] = measureArm(sessions, items, testStart);
    options.onArmSessions?.({ seed, arm: arm.name, sessions, world: shop, testStart });
  }
  return results;
}

/** The arm's metrics from its sessions' events. */
export function measureArm(sessions: readonly SessionLog[], items: ReadonlyMap<string, Item>, testStart: number): ArmMetrics {
  const m = { sessions: sessions.length, impressions: 0, clicks: 0, purchases: 0, gmv: 0, adRevenue: 0, newImpressions: 0 };
  const shown = new Set<string>();
  const bySurface = new Map<Surface, { impressions: number; clicks: number }>();
  for (const session of sessions) {
    const cpcs = new Map<string, number>();
    const surfaces = new Map<string, Surface>();
    for (const event of session.events) {
      countEvent(event, { m, shown, cpcs, items, testStart });
      countSurface(event, surfaces, bySurface);
    }
  }
  const perSession = (x: number) => (m.sessions === 0 ? 0 : x / m.sessions);
  const ctrBySurface = Object.fromEntries([...bySurface].map(([surface, t]) => [surface, t.impressions === 0 ? 0 : t.clicks / t.impressions])) as Partial<Record<Surface, number>>;
  return {
    sessions: m.sessions,
    impressions: m.impressions,
    clicks: m.clicks,
    purchases: m.purchases,
    gmv: m.gmv,
    adRevenue: m.adRevenue,
    ctr: m.impressions === 0 ? 0 : m.clicks / m.impressions,
    purchasesPerSession: perSession(m.purchases),
    gmvPerSession: perSession(m.gmv),
    coverage: items.size === 0 ? 0 : shown.size / items.size,
    newItemShare: m.impressions === 0 ? 0 : m.newImpressions / m.impressions,
    ctrBySurface,
    ctrSearch: ctrBySurface.search ?? 0,
    ctrRecommend: ctrBySurface.recommend ?? 0,
    ctrSimilar: ctrBySurface.similar ?? 0,
  };
}

function countSurface(event: Event, surfaces: Map<string, Surface>, bySurface: Map<Surface, { impressions: number; clicks: number }>): void {
  const tally = (surface: Surface) => {
    let t = bySurface.get(surface);
    if (t === undefined) bySurface.set(surface, (t = { impressions: 0, clicks: 0 }));
    return t;
  };
  if (event.type === 'impression') {
    surfaces.set(event.requestId, event.surface);
    tally(event.surface).impressions += event.items.length;
  } else if (event.type === 'click') {
    const surface = surfaces.get(event.requestId ?? '');
    if (surface !== undefined) tally(surface).clicks++;
  }
}

interface Tally {
  m: { impressions: number; clicks: number; purchases: number; gmv: number; adRevenue: number; newImpressions: number };
  shown: Set<string>;
  cpcs: Map<string, number>;
  items: ReadonlyMap<string, Item>;
  testStart: number;
}

function countEvent(event: Event, { m, shown, cpcs, items, testStart }: Tally): void {
  if (event.type === 'impression') {
    for (const shownItem of event.items) {
      m.impressions++;
      shown.add(shownItem.itemId);
      const created = items.get(shownItem.itemId)?.createdAt;
      if (created !== undefined && created >= testStart - NEW_ITEM_DAYS * DAY_MS) m.newImpressions++;
      if (shownItem.cpc !== undefined) cpcs.set(`${event.requestId}\u0000${shownItem.itemId}`, shownItem.cpc);
    }
  } else if (event.type === 'click') {
    m.clicks++;
    m.adRevenue += cpcs.get(`${event.requestId ?? ''}\u0000${event.itemId}`) ?? 0;
  } else if (event.type === 'purchase') {
    m.purchases += 1;
    m.gmv += (event.price ?? items.get(event.itemId)?.price ?? 0) * event.quantity;
  }
}

function summarizeArms(names: readonly string[], perSeed: AbTestResult['perSeed']): AbTestResult['summary'] {
  const control = names[0] as string;
  const summary: AbTestResult['summary'] = {};
  for (const name of names) {
    const entry = {} as Record<AbMetric, { value: Interval; deltaVsControl: Interval }>;
    for (const metric of AB_METRICS) {
      const values = perSeed.map((s) => (s.arms[name] as ArmMetrics)[metric]);
      const deltas = perSeed.map((s) => (s.arms[name] as ArmMetrics)[metric] - (s.arms[control] as ArmMetrics)[metric]);
      entry[metric] = { value: tInterval(values), deltaVsControl: tInterval(deltas) };
    }
    summary[name] = entry;
  }
  return summary;
}

/** Two-sided 95% Student t quantiles by degrees of freedom (1..10), then the normal 1.96. */
const T_975 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228];

/** Mean and 95% interval of the mean of a few values (t distribution; a single value gives a zero-width interval). */
export function tInterval(values: readonly number[]): Interval {
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / Math.max(1, n);
  if (n < 2) return { mean, low: mean, high: mean };
  const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1);
  const half = (T_975[n - 2] ?? 1.96) * Math.sqrt(variance / n);
  return { mean, low: mean - half, high: mean + half };
}
