/**
 * Offline evaluation of reranker chains in the simulated shop (issue 7, item 6): per seed, one shop
 * is simulated, the next day's searches are taken with the intent behind each (the world grades every
 * item against it), and every chain serves those same queries from an engine over the same store
 * (popularity ranker, the chain as `rerank.rerankers`). What each chain does to relevance, diversity,
 * exposure and revenue is measured per seed and summarised over seeds with 95% t-intervals.
 */

import { CancelledError, InvalidArgumentError, type Item } from '../core/index.js';
import { Engine, type ResultItem } from '../engine/index.js';
import { alphaNdcg, catalogCoverage, exposureCounts, gini, intraListDiversity, newItemExposureShare } from '../eval/index.js';
import { buildSimilarity, CatalogItemAttributes, DEFAULT_CATALOG_ITEM_ATTRIBUTES_OPTIONS, DEFAULT_SIMILARITY_CONFIG, type RerankerSpecInput } from '../rerank/index.js';
import { DEFAULT_CLICK_MODEL, simulateTraffic, type Intent, type World, type WorldConfig } from '../sim/index.js';
// The click model's functions are the simulator's inside; the expected CTR needs exactly them.
import { appeal, clickProbability, examination } from '../sim/click-model.js';
import { SqliteStore } from '../store/index.js';
import { tInterval, type Interval } from './ab-test.js';
import { shopBackend, simulateShop } from './simulate-shop.js';

const DAY_MS = 86_400_000;

export interface RerankEvalConfig {
  /** One simulated shop per seed; the spread over seeds gives the intervals. Default 3 seeds. */
  seeds: string[];
  /** Catalog size (users: 0.4 per item). Default 3,000. */
  items: number;
  /** Days of history simulated before the judged day. Default 5. */
  days: number;
  sessionsPerDay: number;
  /** Judged queries per seed at most (the first of the next day's searches). Default 500. */
  queries: number;
  /** Cut-off of every metric. Default 10. */
  k: number;
  /** alpha-nDCG's redundancy penalty. Default 0.5. */
  alpha: number;
  /** An item created less than this many days before the judged day is new. Default 14. */
  newItemDays: number;
}

export const DEFAULT_RERANK_EVAL_CONFIG: RerankEvalConfig = {
  seeds: ['rerank-1', 'rerank-2', 'rerank-3'],
  items: 3_000,
  days: 5,
  sessionsPerDay: 600,
  queries: 500,
  k: 10,
  alpha: 0.5,
  newItemDays: 14,
};

/** A named reranker chain, applied in order (the engine's `rerank.rerankers`). */
export interface RerankChain {
  name: string;
  rerankers: RerankerSpecInput[];
}

/** Preset chains by name; `mmr:λ` and `dpp:θ` take their trade-off after the colon. */
export const RERANK_PRESETS = ['noop', 'mmr', 'dpp', 'scatter', 'slot-mix'] as const;

/** The default sweep: the ranker's order, MMR at three lambdas, DPP, scatter rules. */
export const DEFAULT_RERANK_CHAINS: readonly string[] = ['noop', 'mmr:0.3', 'mmr:0.5', 'mmr:0.7', 'dpp:0.5', 'scatter'];

/**
 * A preset chain from its name: `noop`, `mmr[:lambda]`, `dpp[:theta]`, `scatter`, `slot-mix`, several
 * joined by `+` (`scatter+slot-mix`).
 * @throws InvalidArgumentError naming an unknown preset or a trade-off outside [0, 1].
 */
export function presetChain(name: string): RerankChain {
  const rerankers = name.split('+').map((part): RerankerSpecInput => {
    const [type = '', value, extra] = part.split(':');
    const tradeOff = value === undefined ? undefined : Number(value);
    const known = (RERANK_PRESETS as readonly string[]).includes(type);
    const takesValue = type === 'mmr' || type === 'dpp';
    if (!known || extra !== undefined || (value !== undefined && (!takesValue || !(tradeOff! >= 0 && tradeOff! <= 1) || value.trim() === ''))) {
      throw new InvalidArgumentError(`unknown reranker chain "${part}", expected one of ${RERANK_PRESETS.join(', ')} (mmr:λ and dpp:θ with a value in [0, 1]) or a JSON file`);
    }
    if (type === 'mmr') return tradeOff === undefined ? { type } : { type, lambda: tradeOff };
    if (type === 'dpp') return tradeOff === undefined ? { type } : { type, theta: Math.min(tradeOff, 0.999) };
    return { type } as RerankerSpecInput;
  });
  return { name, rerankers };
}

/** One chain's figures: each metric's mean over seeds with its 95% interval. */
export interface ChainResult {
  chain: string;
  rerankers: RerankerSpecInput[];
  ndcg_at_10: Interval;
  alpha_ndcg_at_10: Interval;
  ild: Interval;
  coverage: Interval;
  gini: Interval;
  new_item_share: Interval;
  /** Expected clicks per shown item under the simulator's click model. */
  ctr: Interval;
  /** Expected ad revenue per query: Σ eCPM/1000 of the ads shown. */
  revenue: Interval;
}

export const RERANK_METRICS = ['ndcg_at_10', 'alpha_ndcg_at_10', 'ild', 'coverage', 'gini', 'new_item_share', 'ctr', 'revenue'] as const;
export type RerankMetric = (typeof RERANK_METRICS)[number];

export interface RerankEvalReport {
  config: RerankEvalConfig;
  /** Judged queries per seed. */
  queries: number[];
  results: ChainResult[];
}

export interface RerankEvalProgress {
  seed: string;
  phase: 'simulate' | 'chains';
  done: number;
  total: number;
}

/**
 * Runs every chain on every seed's simulated shop and summarises each metric over the seeds.
 * @param config overrides of `DEFAULT_RERANK_EVAL_CONFIG`.
 * @throws InvalidArgumentError on no chains or no seeds; CancelledError when `signal` aborts;
 *   the engine's InvalidArgumentError for a bad reranker spec (naming the field).
 */
export async function runRerankEval(options: {
  chains: readonly RerankChain[];
  config?: Partial<RerankEvalConfig>;
  onProgress?: (progress: RerankEvalProgress) => void;
  signal?: AbortSignal;
}): Promise<RerankEvalReport> {
  const config = { ...DEFAULT_RERANK_EVAL_CONFIG, ...options.config };
  if (options.chains.length === 0 || config.seeds.length === 0) throw new InvalidArgumentError(`rerank evaluation needs chains and seeds, got ${options.chains.length} chains and ${config.seeds.length} seeds`);
  const perSeed: Record<RerankMetric, number>[][] = options.chains.map(() => []);
  const queries: number[] = [];
  for (const seed of config.seeds) {
    const figures = await evaluateSeed(seed, config, options);
    queries.push(figures.queries);
    figures.metrics.forEach((m, c) => perSeed[c]?.push(m));
  }
  const results = options.chains.map((chain, c): ChainResult => {
    const rows = perSeed[c] ?? [];
    const summary = Object.fromEntries(RERANK_METRICS.map((metric) => [metric, tInterval(rows.map((r) => r[metric]))])) as Record<RerankMetric, Interval>;
    return { chain: chain.name, rerankers: chain.rerankers, ...summary };
  });
  return { config, queries, results };
}

interface Judged {
  query: string;
  intent: Intent;
  userId: string;
  time: number;
}

async function evaluateSeed(
  seed: string,
  config: RerankEvalConfig,
  options: { chains: readonly RerankChain[]; onProgress?: (progress: RerankEvalProgress) => void; signal?: AbortSignal },
): Promise<{ queries: number; metrics: Record<RerankMetric, number>[] }> {
  const { chains, onProgress, signal } = options;
  const store = await SqliteStore.open({ path: ':memory:' });
  try {
    const world: Partial<WorldConfig> = { seed, items: config.items, users: Math.max(1, Math.round(config.items * 0.4)) };
    const shop = await simulateShop({
      store,
      world,
      traffic: { days: config.days, sessionsPerDay: config.sessionsPerDay },
      onProgress: (p) => onProgress?.({ seed, phase: 'simulate', done: p.phase === 'traffic' ? p.done : 0, total: p.phase === 'traffic' ? p.total : 1 }),
      ...(signal === undefined ? {} : { signal }),
    });
    const judged = judgedQueries(shop.world, shop.engine, config);
    await shop.engine.close();
    const lists: string[][][] = [];
    for (const [c, chain] of chains.entries()) {
      if (signal?.aborted === true) throw new CancelledError(`rerank evaluation stopped at chain ${chain.name} of seed ${seed}`);
      lists.push(await serveChain(store, chain, judged, config.k));
      onProgress?.({ seed, phase: 'chains', done: c + 1, total: chains.length });
    }
    return { queries: judged.length, metrics: measureLists(shop.world, judged, lists, config) };
  } finally {
    await store.close();
  }
}

/** The day after the history, served by the simulation's engine but never learned from. */
function judgedQueries(world: World, engine: Engine, config: RerankEvalConfig): Judged[] {
  const judged: Judged[] = [];
  for (const session of simulateTraffic(world, shopBackend(engine), { days: 1, firstDay: config.days, sessionsPerDay: config.sessionsPerDay })) {
    for (const s of session.searches) {
      if (judged.length < config.queries) judged.push({ query: s.query, intent: s.intent, userId: session.userId, time: session.start });
    }
    if (judged.length >= config.queries) break;
  }
  return judged;
}

/** Each judged query's top k under one chain; shown items as the engine returns them. */
async function serveChain(store: SqliteStore, chain: RerankChain, judged: readonly Judged[], k: number): Promise<string[][]> {
  const engine = await Engine.open({ store, config: { rank: { ranker: 'popularity' }, rerank: { rerankers: chain.rerankers } } });
  try {
    return judged.map((q) => engine.search({ query: q.query, userId: q.userId, time: q.time, limit: k }).items.map(encodeShown));
  } finally {
    await engine.close();
  }
}

/** An item id with the eCPM its auction set, when it won one: `id` or `id\teCpm`. */
function encodeShown(item: ResultItem): string {
  return item.ad === undefined ? item.id : `${item.id}\t${item.ad.eCpm}`;
}

/**
 * Every metric of every chain on one seed. `lists` is [chain][query][rank] of shown items. alpha-nDCG's
 * ideal is taken over the union of all chains' lists for the query, so the chains share one judge.
 */
function measureLists(world: World, judged: readonly Judged[], lists: readonly string[][][], config: RerankEvalConfig): Record<RerankMetric, number>[] {
  const docIdOf = new Map(world.items.map((item, docId) => [item.id, docId]));
  const byId = (id: string): Item | undefined => world.items[docIdOf.get(id) ?? -1];
  const attributes = new CatalogItemAttributes({ item: (docId: number): Item | undefined => world.items[docId] });
  const ideal = judged.map((q) => idealDcg(world, q.intent, config.k));
  const newSince = world.config.startTime + (config.days - config.newItemDays) * DAY_MS;
  const isNew = (docId: number): boolean => (world.items[docId]?.createdAt ?? 0) >= newSince;
  return lists.map((chainLists) => {
    const sums = { ndcg: 0, alpha: 0, ild: 0, ctr: 0, revenue: 0 };
    const docLists: number[][] = [];
    chainLists.forEach((shown, q) => {
      const query = judged[q] as Judged;
      const ids = shown.map((s) => s.split('\t')[0] as string);
      const docIds = ids.map((id) => docIdOf.get(id) ?? -1).filter((d) => d >= 0);
      docLists.push(docIds);
      const idcg = ideal[q] as number;
      sums.ndcg += idcg === 0 ? 0 : dcg(ids.map((id) => 2 ** world.relevance(query.intent, id) - 1)) / idcg;
      sums.alpha += alphaOf({ world, byId, query }, ids, lists.map((l) => l[q] ?? []), config);
      const kernel = buildSimilarity(DEFAULT_SIMILARITY_CONFIG, attributes, docIds);
      const row = new Float64Array(docIds.length);
      sums.ild += intraListDiversity(docIds.map((_, i) => i), (a, b) => (kernel.row(a, row), row[b] as number), config.k);
      sums.ctr += expectedCtr(world, query, ids);
      sums.revenue += shown.reduce((sum, s) => sum + adECpm(world, docIdOf, s) / 1000, 0);
    });
    const n = Math.max(1, judged.length);
    const exposure = exposureCounts(docLists, world.items.length, config.k);
    return {
      ndcg_at_10: sums.ndcg / n,
      alpha_ndcg_at_10: sums.alpha / n,
      ild: sums.ild / n,
      coverage: catalogCoverage(docLists, world.items.length, config.k),
      gini: gini(exposure),
      new_item_share: newItemExposureShare(docLists, isNew, config.k),
      ctr: sums.ctr / n,
      revenue: sums.revenue / n,
    };
  });
}

/** Subtopics of a relevant item (grade ≥ 1): its leaf category and its brand; none otherwise. */
function alphaOf(
  { world, byId, query }: { world: World; byId: (id: string) => Item | undefined; query: Judged },
  ids: readonly string[],
  allLists: readonly string[][],
  config: RerankEvalConfig,
): number {
  const pool = [...new Set([...ids, ...allLists.flat().map((s) => s.split('\t')[0] as string)])];
  const local = new Map(pool.map((id, i) => [id, i]));
  const subtopics = (i: number): string[] => {
    const id = pool[i] as string;
    if (world.relevance(query.intent, id) === 0) return [];
    const item = byId(id);
    return [`category:${item?.categoryPath.join('>') ?? ''}`, ...(item?.brand === undefined ? [] : [`brand:${item.brand}`])];
  };
  return alphaNdcg(ids.map((id) => local.get(id) as number), subtopics, { k: config.k, alpha: config.alpha, pool: pool.map((_, i) => i) });
}

/** Expected clicks per shown item: Σ_r examination(r) · P(click | examined), over the list's length. */
function expectedCtr(world: World, query: Judged, ids: readonly string[]): number {
  if (ids.length === 0) return 0;
  const user = world.userTruth(query.userId);
  const model = DEFAULT_CLICK_MODEL;
  const clicks = ids.reduce((sum, id, r) => {
    const judgement = { user, item: world.itemTruth(id), relevance: world.relevance(query.intent, id) };
    return sum + examination(model, { rank: r + 1, satisfied: false }) * clickProbability(model, appeal(model, judgement));
  }, 0);
  return clicks / ids.length;
}

/** An ad's eCPM: its auction's when it ran one, else 1000 · assumedCtr · bid as the rerankers assume. */
function adECpm(world: World, docIdOf: ReadonlyMap<string, number>, shown: string): number {
  const [id = '', eCpm] = shown.split('\t');
  if (eCpm !== undefined) return Number(eCpm);
  const item = world.items[docIdOf.get(id) ?? -1];
  return item?.kind === 'ad' ? 1000 * DEFAULT_CATALOG_ITEM_ATTRIBUTES_OPTIONS.assumedCtr * (item.bid ?? 0) : 0;
}

/** The best possible DCG@k over the whole catalog (gain 2^rel − 1). */
function idealDcg(world: World, intent: Intent, k: number): number {
  const gains = world.items.map((item) => 2 ** world.relevance(intent, item.id) - 1);
  return dcg(gains.sort((a, b) => b - a).slice(0, k));
}

function dcg(gains: readonly number[]): number {
  return gains.reduce((sum, g, i) => sum + g / Math.log2(i + 2), 0);
}
