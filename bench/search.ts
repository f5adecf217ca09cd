/**
 * `/search` on the simulated shop: Quarry's engine in process and over HTTP, with MiniSearch and Orama
 * (each in its default configuration over the same fields) on the same catalog and the same queries.
 * Quality next to speed: nDCG@10 against the simulator's graded relevance of each query's true intent.
 *
 * The measured queries come from one more simulated day after the history, whose events the engine
 * never learns: it is judged on searches it has not seen the clicks of.
 *
 *   npm run bench -- search [--json] [--items 5000] [--queries 1000] [--seed quarry]
 */

import { create, insertMultiple, search as oramaSearch } from '@orama/orama';
import MiniSearch from 'minisearch';
import type { Item } from '../src/core/index.js';
import type { Engine } from '../src/engine/index.js';
import { shopBackend, simulateShop } from '../src/lab/index.js';
import { serve } from '../src/server/index.js';
import { simulateTraffic, type Intent, type World } from '../src/sim/index.js';
import { SqliteStore } from '../src/store/index.js';
import { heapMb, measure, round, type Bench, type BenchRow, intArg, stringArg } from './harness.js';

interface Judged {
  query: string;
  intent: Intent;
}

const bench: Bench = async ({ args, log }) => {
  const items = intArg(args, '--items', 5_000);
  const queryCount = intArg(args, '--queries', 1_000);
  const seed = stringArg(args, '--seed', 'quarry');
  const days = 14;

  log(`simulating ${items} items, ${days} days (seed ${seed})…`);
  const store = await SqliteStore.open({ path: ':memory:', durability: 'normal' });
  const { engine, world, summary } = await simulateShop({ store, world: { seed, items, users: Math.round(items * 0.4) }, traffic: { days } });
  // The day after the history, served but not learned from: queries as users type them, with the
  // intent behind each.
  const judged: Judged[] = [];
  for (const session of simulateTraffic(world, shopBackend(engine), { days: 1, firstDay: days })) {
    for (const s of session.searches) judged.push({ query: s.query, intent: s.intent });
  }
  const queries = judged.slice(0, queryCount);
  log(`${world.items.length} items, ${summary.events.query} searches in the history; measuring ${queries.length} of the next day's`);

  const rows: BenchRow[] = [];
  const quality = (results: (q: Judged) => string[]) => qualityOf(world, queries, results);

  const quarryResults = (q: Judged) => engine.search({ query: q.query, limit: 10 }).items.map((i) => i.id);
  rows.push({ case: 'sim-queries', engine: 'quarry', ...quality(quarryResults), ...(await latency(queries, quarryResults)), heap_mb: heapMb() });

  const mini = buildMiniSearch(world.items);
  const miniResults = (q: Judged) => mini.index.search(q.query).slice(0, 10).map((r) => String(r.id));
  rows.push({ case: 'sim-queries', engine: 'minisearch', build_s: mini.buildS, ...quality(miniResults), ...(await latency(queries, miniResults)) });

  const orama = await buildOrama(world.items);
  const oramaResults = async (q: Judged) => (await oramaSearch(orama.db, { term: q.query, limit: 10 })).hits.map((h) => h.id);
  const oramaIds = new Map<string, string[]>();
  for (const q of queries) oramaIds.set(q.query, await oramaResults(q));
  rows.push({
    case: 'sim-queries',
    engine: 'orama',
    build_s: orama.buildS,
    ...quality((q) => oramaIds.get(q.query) ?? []),
    ...(await latency(queries, oramaResults)),
  });

  rows.push({ case: 'http', engine: 'quarry', ...(await httpLatency(engine, store, queries)) });
  await engine.close();
  await store.close();
  return {
    bench: 'search',
    setup: { items: world.items.length, queries: queries.length, seed, history_days: days, history_searches: summary.events.query },
    rows,
  };
};

export default bench;

async function latency(queries: Judged[], run: (q: Judged) => unknown) {
  const { qps, p50_ms, p99_ms } = await measure({ count: queries.length, warmup: Math.min(200, queries.length), run: (i) => run(queries[i]!) });
  return { qps, p50_ms, p99_ms };
}

/** GET /search over a real port, one request at a time (served-list logging off: reads only). */
async function httpLatency(engine: Engine, store: SqliteStore, queries: Judged[]) {
  const server = await serve({ engine, store, port: 0 });
  const get = async (q: Judged) => {
    const response = await fetch(`${server.url}/search?q=${encodeURIComponent(q.query)}&limit=10&log=false`);
    await response.arrayBuffer();
  };
  const result = await latency(queries, get);
  await server.app.close(); // only the listener: the engine and store are closed by the caller
  return result;
}

/** nDCG@10 with the simulator's graded relevance (gain 2^rel - 1), and the share of queries with no result. */
function qualityOf(world: World, queries: Judged[], results: (q: Judged) => string[]) {
  let ndcg = 0;
  let empty = 0;
  for (const q of queries) {
    const ids = results(q);
    if (ids.length === 0) empty++;
    const gains = ids.map((id) => 2 ** world.relevance(q.intent, id) - 1);
    const ideal = world.items.map((item) => 2 ** world.relevance(q.intent, item.id) - 1).sort((a, b) => b - a).slice(0, 10);
    const idcg = dcg(ideal);
    ndcg += idcg === 0 ? 0 : dcg(gains) / idcg;
  }
  return { ndcg_at_10: round(ndcg / queries.length, 4), zero_result_rate: round(empty / queries.length, 4) };
}

function dcg(gains: number[]): number {
  return gains.reduce((sum, g, i) => sum + g / Math.log2(i + 2), 0);
}

function searchableText(item: Item) {
  return { id: item.id, title: item.title, description: item.description, brand: item.brand ?? '', category: item.categoryPath.join(' ') };
}

function buildMiniSearch(items: readonly Item[]) {
  const start = performance.now();
  const index = new MiniSearch({ fields: ['title', 'description', 'brand', 'category'] });
  index.addAll(items.map(searchableText));
  return { index, buildS: round((performance.now() - start) / 1000, 3) };
}

async function buildOrama(items: readonly Item[]) {
  const start = performance.now();
  const db = create({ schema: { title: 'string', description: 'string', brand: 'string', category: 'string' } as const });
  await insertMultiple(db, items.map(searchableText));
  return { db, buildS: round((performance.now() - start) / 1000, 3) };
}

