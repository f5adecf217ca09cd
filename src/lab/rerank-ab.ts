/**
 * Reranker chains as A/B arms in the simulated shop (issue 7): `runAbTest` serves the same simulated
 * users from the same history with one engine per chain (popularity ranker, the chain as
 * `rerank.rerankers`), so the users click and buy what each chain showed them. Per seed and arm: the
 * realised CTR, purchases and revenue, catalog coverage and new-item share (`measureArm`), and the
 * search lists' alpha-nDCG@10 and intra-list diversity; over seeds, each with a 95% t-interval and its
 * paired difference to the first arm (the ranker's order alone).
 */

import { InvalidArgumentError, type Item } from '../core/index.js';
import { alphaNdcg, intraListDiversity } from '../eval/index.js';
import { buildSimilarity, CatalogItemAttributes, DEFAULT_SIMILARITY_CONFIG, encodeListScorer, LIST_RERANKER_MODEL_NAME, LIST_SCORER_VERSION, parseRerankerSpec } from '../rerank/index.js';
import type { ClickModel, Intent, SessionLog, World } from '../sim/index.js';
import { runAbTest, tInterval, type ArmMetrics, type Interval } from './ab-test.js';
import { trainListReranker, type ListRerankTrainingConfig } from './list-rerank-training.js';
import type { RerankChain } from './rerank-eval.js';

export interface RerankAbConfig {
  /** One simulated shop per seed. Default 3 seeds. */
  seeds: string[];
  /** Catalog size (users: 0.4 per item). Default 1,500. */
  items: number;
  /** Days of history against the popularity ranker before the arms. Default 4. */
  historyDays: number;
  /** Days each arm serves. Default 1. */
  testDays: number;
  /** Sessions a day, history and test. Default 500. */
  sessionsPerDay: number;
  /** Cut-off of alpha-nDCG and ILD. Default 10. */
  k: number;
  /** alpha-nDCG's redundancy penalty. Default 0.5. */
  alpha: number;
  /** Training of the list-aware re-ranker on each seed's history, for chains that use it. */
  listTraining: Partial<ListRerankTrainingConfig>;
  /** Click-model changes for history and test days (e.g. `LIST_EFFECTS`); none by default. */
  clickModel?: Partial<ClickModel>;
}

export const DEFAULT_RERANK_AB_CONFIG: RerankAbConfig = {
  seeds: ['rerank-ab-1', 'rerank-ab-2', 'rerank-ab-3'],
  items: 1_500,
  historyDays: 4,
  testDays: 1,
  sessionsPerDay: 500,
  k: 10,
  alpha: 0.5,
  listTraining: {},
};

export const RERANK_AB_METRICS = ['ctr', 'purchases', 'revenue', 'ad_revenue', 'coverage', 'new_item_share', 'alpha_ndcg_at_10', 'ild'] as const;
export type RerankAbMetric = (typeof RERANK_AB_METRICS)[number];

/** One chain's figures: each metric's mean over seeds and its paired difference to the control arm. */
export type RerankAbResult = { chain: string; rerankers: RerankChain['rerankers'] } & Record<RerankAbMetric, Interval & { delta: Interval }>;

export interface RerankAbReport {
  config: RerankAbConfig;
  /** The first chain: every delta is against it. */
  control: string;
  results: RerankAbResult[];
  perSeed: { seed: string; arms: Record<string, Record<RerankAbMetric, number>> }[];
}

/**
 * Runs every chain as an arm of a simulated A/B test. The first chain is the control.
 * Metrics per arm and seed: `ctr` clicks / impressions; `purchases` per session; `revenue` purchase
 * value per session; `ad_revenue` ad clicks at their cpc per session; `coverage`, `new_item_share` as
 * `measureArm`; `alpha_ndcg_at_10` and `ild` over the search lists shown (top k), alpha-nDCG with the
 * simulator's graded relevance (a relevant item covers its leaf category and its brand) and the ideal
 * taken over the shown list, ILD with the rerankers' default attribute similarity.
 * @throws InvalidArgumentError for fewer than two chains or duplicate names, or a bad reranker spec.
 */
export async function runRerankAb(options: {
  chains: readonly RerankChain[];
  config?: Partial<RerankAbConfig>;
  onProgress?: Parameters<typeof runAbTest>[0]['onProgress'];
  signal?: AbortSignal;
}): Promise<RerankAbReport> {
  const config = { ...DEFAULT_RERANK_AB_CONFIG, ...options.config };
  const { chains } = options;
  const specs = chains.map((chain) => chain.rerankers.map((spec, i) => parseRerankerSpec(typeof spec === 'string' ? { type: spec } : spec, [i])));
  const listModels = new Set(specs.flat().flatMap((spec) => (spec.type === 'list-aware' ? [spec.model] : [])));
  if (chains.length < 2) throw new InvalidArgumentError(`a reranker A/B test needs at least two chains, got ${chains.length}`);
  const lists = new Map<string, Record<string, { alpha: number; ild: number }>>(); // seed → arm → list metrics
  const ab = await runAbTest({
    arms: chains.map((chain) => ({ name: chain.name, engineConfig: { rank: { ranker: 'popularity' }, rerank: { rerankers: chain.rerankers } } })),
    config: {
      seeds: config.seeds,
      world: { items: config.items, users: Math.max(1, Math.round(config.items * 0.4)) },
      historyDays: config.historyDays,
      testDays: config.testDays,
      sessionsPerDay: config.sessionsPerDay,
      ...(config.clickModel === undefined ? {} : { clickModel: config.clickModel }),
    },
    afterHistory: async ({ seed, store }) => {
      for (const name of listModels) {
        const { scorer } = await trainListReranker({ store, config: { seed, ...config.listTraining }, ...(options.signal ? { signal: options.signal } : {}) });
        await store.putModel({ name, formatVersion: LIST_SCORER_VERSION, data: encodeListScorer(scorer) });
      }
    },
    onArmSessions: ({ seed, arm, sessions, world }) => {
      const bySeed = lists.get(seed) ?? {};
      bySeed[arm] = listMetrics(world, sessions, config);
      lists.set(seed, bySeed);
    },
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const perSeed = ab.perSeed.map(({ seed, arms }) => ({
    seed,
    arms: Object.fromEntries(chains.map((c) => [c.name, armRow(arms[c.name] as ArmMetrics, lists.get(seed)?.[c.name] ?? { alpha: 0, ild: 0 })])),
  }));
  const control = (chains[0] as RerankChain).name;
  const results = chains.map((chain): RerankAbResult => {
    const entry = { chain: chain.name, rerankers: chain.rerankers } as RerankAbResult;
    for (const metric of RERANK_AB_METRICS) {
      const values = perSeed.map((s) => (s.arms[chain.name] as Record<RerankAbMetric, number>)[metric]);
      const deltas = perSeed.map((s) => (s.arms[chain.name] as Record<RerankAbMetric, number>)[metric] - (s.arms[control] as Record<RerankAbMetric, number>)[metric]);
      entry[metric] = { ...tInterval(values), delta: tInterval(deltas) };
    }
    return entry;
  });
  return { config, control, results, perSeed };
}

function armRow(m: ArmMetrics, lists: { alpha: number; ild: number }): Record<RerankAbMetric, number> {
  const perSession = (x: number) => (m.sessions === 0 ? 0 : x / m.sessions);
  return {
    ctr: m.ctr,
    purchases: m.purchasesPerSession,
    revenue: m.gmvPerSession,
    ad_revenue: perSession(m.adRevenue),
    coverage: m.coverage,
    new_item_share: m.newItemShare,
    alpha_ndcg_at_10: lists.alpha,
    ild: lists.ild,
  };
}

/** Mean alpha-nDCG@k and ILD@k over the search lists the arm showed (impressions of a search with a known intent). */
export function listMetrics(world: World, sessions: readonly SessionLog[], config: Pick<RerankAbConfig, 'k' | 'alpha'>): { alpha: number; ild: number } {
  const docIdOf = new Map(world.items.map((item, docId) => [item.id, docId]));
  const attributes = new CatalogItemAttributes({ item: (docId: number): Item | undefined => world.items[docId] });
  let alpha = 0;
  let ild = 0;
  let lists = 0;
  for (const session of sessions) {
    const intents = new Map<string, Intent>(session.searches.map((s) => [s.requestId, s.intent]));
    for (const event of session.events) {
      if (event.type !== 'impression' || event.surface !== 'search') continue;
      const intent = intents.get(event.requestId);
      const docIds = [...event.items].sort((a, b) => a.position - b.position).flatMap((i) => docIdOf.get(i.itemId) ?? []);
      if (intent === undefined || docIds.length === 0) continue;
      const subtopics = (docId: number): string[] => {
        const item = world.items[docId] as Item;
        if (world.relevance(intent, item.id) === 0) return [];
        return [`category:${item.categoryPath.join('>')}`, ...(item.brand === undefined ? [] : [`brand:${item.brand}`])];
      };
      alpha += alphaNdcg(docIds, subtopics, { k: config.k, alpha: config.alpha });
      const top = docIds.slice(0, config.k);
      const kernel = buildSimilarity(DEFAULT_SIMILARITY_CONFIG, attributes, top);
      const row = new Float64Array(top.length);
      ild += intraListDiversity(top.map((_, i) => i), (a, b) => (kernel.row(a, row), row[b] as number), config.k);
      lists++;
    }
  }
  return lists === 0 ? { alpha: 0, ild: 0 } : { alpha: alpha / lists, ild: ild / lists };
}

/** The default arms: the ranker's order, then each reranker type alone with its defaults. */
export const DEFAULT_RERANK_AB_CHAINS: readonly RerankChain[] = [
  { name: 'none', rerankers: [] },
  { name: 'mmr', rerankers: [{ type: 'mmr' }] },
  { name: 'dpp', rerankers: [{ type: 'dpp' }] },
  { name: 'scatter', rerankers: [{ type: 'scatter' }] },
  { name: 'slot-mix', rerankers: [{ type: 'slot-mix' }] },
  // The simulated catalog is created before the history starts (nothing arrives during traffic), so
  // under the reranker's 3-day default no item is new on the test day; the arm uses the same 30-day
  // window as the new-item-share metric (`measureArm`).
  { name: 'new-item-exposure', rerankers: [{ type: 'new-item-exposure', maxAgeMs: 30 * 86_400_000 }] },
  { name: 'frequency-cap', rerankers: [{ type: 'frequency-cap' }] },
  { name: 'list-aware', rerankers: [{ type: 'list-aware', model: LIST_RERANKER_MODEL_NAME }] },
];
