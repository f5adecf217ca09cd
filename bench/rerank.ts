/**
 * Rerankers on synthetic candidate lists: DPP and MMR choosing 50 of 500 candidates (goal < 5 ms),
 * scatter rules on 1,000 items (goal < 1 ms), each through the `Reranker` interface as the engine calls
 * it (kernel construction, interning and list building included; trace not detailed). Quality next to
 * speed: intra-list diversity and alpha-nDCG@10 (subtopic = an item's cluster) of the top 10 against
 * the ranker's order, the share of the ranker's top-10 score kept; for scatter, whether the rules hold.
 * No JavaScript peer implements DPP/MMR/scatter rules; the `ranker-order` rows are the baseline.
 *
 *   npm run -s bench -- rerank [--json] [--runs 300] [--seed rerank]
 */

import { Rng, Trace, type Item, type Reranker, type ScoredCandidate, type StageContext } from '../src/core/index.js';
import { alphaNdcg, intraListDiversity } from '../src/eval/index.js';
import {
  CatalogItemAttributes,
  DppReranker,
  internGroups,
  MmrReranker,
  ScatterReranker,
  scatterViolations,
  type ScatterRuleConfig,
} from '../src/rerank/index.js';
import { measure, round, type Bench, type BenchRow, intArg, stringArg } from './harness.js';

const DIM = 64;
const CLUSTERS = 25;
const LISTS = 20;

interface World {
  items: Item[];
  vectors: Float32Array[];
  cluster: Int32Array;
  attributes: CatalogItemAttributes;
}

/** Items in clusters: a vector near its cluster's centroid, a category per cluster, Zipf-like brands. */
function makeWorld(rng: Rng, size: number, brands: number): World {
  const centroids = Array.from({ length: CLUSTERS }, () => Float32Array.from({ length: DIM }, () => rng.normal()));
  const items: Item[] = [];
  const vectors: Float32Array[] = [];
  const cluster = new Int32Array(size);
  for (let i = 0; i < size; i++) {
    const c = Math.floor(CLUSTERS * rng.next() ** 1.5);
    cluster[i] = c;
    vectors.push(Float32Array.from(centroids[c] as Float32Array, (x) => x + 0.6 * rng.normal()));
    items.push({
      id: `i${i}`,
      title: `item ${i}`,
      description: '',
      categoryPath: ['root', `c${c % 12}`],
      brand: `b${Math.floor(brands * rng.next() ** 2)}`,
      shop: `s${rng.int(60)}`,
      attributes: {},
      kind: 'product',
    });
  }
  const attributes = new CatalogItemAttributes({ item: (docId) => items[docId] }, { vector: (docId) => vectors[docId] });
  return { items, vectors, cluster, attributes };
}

/** Lists of `n` distinct doc ids with descending scores (ranker order). */
function makeLists(rng: Rng, world: World, n: number): ScoredCandidate[][] {
  const all = world.items.map((_, i) => i);
  return Array.from({ length: LISTS }, () =>
    rng
      .sample(all, n)
      .map((docId) => ({ docId, recallScore: 1, sources: [], score: rng.next() }))
      .sort((a, b) => b.score - a.score),
  );
}

function context(): StageContext {
  return { kind: 'search', requestId: 'bench', query: '', userId: undefined, seedDocId: undefined, time: 0, accepts: () => true, trace: new Trace('bench', { detailed: false }) };
}

function cosine(world: World): (a: number, b: number) => number {
  return (a, b) => {
    const x = world.vectors[a] as Float32Array;
    const y = world.vectors[b] as Float32Array;
    let dot = 0;
    let nx = 0;
    let ny = 0;
    for (let d = 0; d < DIM; d++) {
      dot += (x[d] as number) * (y[d] as number);
      nx += (x[d] as number) ** 2;
      ny += (y[d] as number) ** 2;
    }
    return dot / Math.sqrt(nx * ny);
  };
}

/** Mean top-10 quality of a reranker's outputs over the lists. */
function diversityQuality(world: World, lists: ScoredCandidate[][], outputs: ScoredCandidate[][]) {
  const sim = cosine(world);
  const subtopics = (docId: number) => [world.cluster[docId] as number];
  let ild = 0;
  let andcg = 0;
  let kept = 0;
  outputs.forEach((out, i) => {
    const ids = out.map((c) => c.docId);
    const input = lists[i] as ScoredCandidate[];
    ild += intraListDiversity(ids, sim, 10);
    andcg += alphaNdcg(ids, subtopics, { k: 10, alpha: 0.5, pool: input.map((c) => c.docId) });
    const top = (l: ScoredCandidate[]) => l.slice(0, 10).reduce((s, c) => s + c.score, 0);
    kept += top(out) / top(input);
  });
  const n = outputs.length;
  return { ild_at_10: round(ild / n, 4), alpha_ndcg_at_10: round(andcg / n, 4), score_kept_at_10: round(kept / n, 4) };
}

/**
 * Wall-clock latency, plus the mean CPU time per call (warm-up included): on a shared machine the
 * wall clock counts the time other processes hold the core, the CPU time does not.
 */
async function timed(reranker: Reranker, lists: ScoredCandidate[][], runs: number) {
  const warmup = Math.min(50, runs);
  const cpu = process.cpuUsage();
  const { p50_ms, p99_ms, mean_ms } = await measure({ count: runs, warmup, run: (i) => reranker.rerank(context(), lists[i % lists.length] as ScoredCandidate[]) });
  const used = process.cpuUsage(cpu);
  return { p50_ms, p99_ms, mean_ms, cpu_mean_ms: round((used.user + used.system) / 1000 / (runs + warmup), 4) };
}

async function diversityRows(rng: Rng, runs: number): Promise<BenchRow[]> {
  const world = makeWorld(rng.fork('diversity'), 5_000, 40);
  const lists = makeLists(rng.fork('lists-500'), world, 500);
  const rows: BenchRow[] = [{ case: 'ranker-order-500', engine: 'baseline', ...diversityQuality(world, lists, lists) }];
  const cases: [string, Reranker][] = [
    ['dpp-500-50', new DppReranker(world.attributes, { k: 50, theta: 0.7, epsilon: 1e-6, similarity: { kind: 'cosine' } })],
    ['mmr-500-50', new MmrReranker(world.attributes, { k: 50, lambda: 0.7, similarity: { kind: 'cosine' } })],
    [
      'dpp-500-50-attributes',
      new DppReranker(world.attributes, { k: 50, theta: 0.7, epsilon: 1e-6, similarity: { kind: 'attributes', weights: { brand: 1, category: 1, shop: 0.5 }, maxSimilarity: 0.9 } }),
    ],
  ];
  for (const [name, reranker] of cases) {
    const outputs = lists.map((l) => reranker.rerank(context(), l));
    rows.push({ case: name, engine: 'quarry', ...(await timed(reranker, lists, runs)), ...diversityQuality(world, lists, outputs) });
  }
  return rows;
}

async function scatterRows(rng: Rng, runs: number): Promise<BenchRow[]> {
  const rules: ScatterRuleConfig[] = [
    { attribute: 'brand', window: 6, max: 2 },
    { attribute: 'category', window: 6, max: 3 },
  ];
  const rows: BenchRow[] = [];
  // 40 brands (the largest ~16% of a list): satisfiable. 8 brands (the largest ~35%): not, best effort.
  for (const [name, brands] of [['scatter-1000', 40], ['scatter-1000-unsatisfiable', 8]] as const) {
    const world = makeWorld(rng.fork(name), 5_000, brands);
    const lists = makeLists(rng.fork(`${name}-lists`), world, 1_000);
    const reranker = new ScatterReranker(world.attributes, { rules, backtrackLimit: 1_000 });
    let valid = 0;
    let violations = 0;
    let displacement = 0;
    let backtracks = 0;
    for (const list of lists) {
      const traced = context();
      const out = traced.trace.stage({ stage: 'rerank', name: reranker.name, input: list.length }, () => reranker.rerank(traced, list), (r) => r.length);
      backtracks += Number(traced.trace.stages[0]?.detail?.backtracks ?? 0);
      const index = new Map(list.map((c, i) => [c.docId, i]));
      const order = out.map((c) => index.get(c.docId) as number);
      const docIds = list.map((c) => c.docId);
      const codes = rules.map((r) => internGroups(world.attributes, docIds, r.attribute).codes);
      const broken = scatterViolations(order, { rules, codes }).length;
      valid += broken === 0 ? 1 : 0;
      violations += broken;
      displacement += order.reduce((s, from, to) => s + Math.abs(from - to), 0) / order.length;
    }
    rows.push({
      case: name,
      engine: 'quarry',
      ...(await timed(reranker, lists, runs)),
      valid_share: round(valid / lists.length, 3),
      violated_windows: round(violations / lists.length, 1),
      mean_displacement: round(displacement / lists.length, 2),
      mean_backtracks: round(backtracks / lists.length, 1),
    });
  }
  return rows;
}

const bench: Bench = async ({ args, log }) => {
  const runs = intArg(args, '--runs', 300);
  const seed = stringArg(args, '--seed', 'rerank');
  const rng = new Rng(seed);
  log(`diversity: ${LISTS} lists of 500 candidates, ${DIM}-dim vectors in ${CLUSTERS} clusters; ${runs} timed runs each…`);
  const rows = await diversityRows(rng, runs);
  log(`scatter: ${LISTS} lists of 1,000 items…`);
  rows.push(...(await scatterRows(rng, runs)));
  return { bench: 'rerank', setup: { runs, seed, lists: LISTS, dim: DIM, clusters: CLUSTERS, k: 50 }, rows };
};

export default bench;

