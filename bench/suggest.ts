/**
 * Suggestions while typing, in process: Quarry's `QuerySuggester`, MiniSearch's `autoSuggest` and the
 * foundation's most-popular-prefix baseline (`PopularPrefixSuggester`), built from the same queries
 * and asked the same prefixes. Quality next to speed: MRR@10 of the query each prefix was cut from.
 *
 * Queries: the 100,000 real Chinese e-commerce queries of Multi-CPR (`../shared/data`, or
 * `QUARRY_DATA`) with Zipf popularity (s = 1, over a seeded permutation); the 1,000,000 set adds
 * 900,000 seeded perturbations of them (a modifier appended, or two queries spliced). Prefixes: a
 * query drawn by popularity, cut after 1 to 8 characters. `pinyin-typo` asks Quarry alone for
 * full-pinyin and initials prefixes, 30% of those from four letters on with one letter left out
 * (the peers have no pinyin). MiniSearch indexes each query as a document and boosts by
 * ln(1 + count), so it ranks by popularity too. Latency is timed over `--queries` prefixes for
 * Quarry and `--peer-queries` for the peers (MiniSearch takes ~100 ms a prefix at 1M); MRR@10 is
 * over the first `--peer-queries` prefixes for every engine, so it compares.
 *
 *   npm run bench -- suggest [--json] [--queries 10000] [--peer-queries 1000] [--sizes 100000,1000000] [--seed quarry]
 */

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import MiniSearch from 'minisearch';
import { Rng } from '../src/core/index.js';
import { hasHan, mineQueries, PopularPrefixSuggester, QuerySuggester, suggestionKeys, variantKey } from '../src/suggest/index.js';
import { normalizeText } from '../src/text/index.js';
import { measure, round, type Bench, type BenchRow, intArg, stringArg } from './harness.js';

interface Logged {
  query: string;
  count: number;
}

interface Engine {
  name: string;
  complete: (prefix: string) => readonly string[];
}

// A garbage collector to call between builds, so heap figures measure the structure built.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const MODIFIERS = ['新款', '2024', '男', '女', '儿童', '大码', '黑色', '白色', '套装', 'pro', 'max', '官方旗舰店', '正品', '包邮', '批发', '家用', '便携', '迷你', '无线', '加厚'];

const bench: Bench = async ({ args, log }) => {
  const queryCount = intArg(args, '--queries', 10_000);
  const peerQueries = intArg(args, '--peer-queries', 1_000);
  const sizes = (stringArg(args, '--sizes', '100000,1000000')).split(',').map(Number);
  const seed = stringArg(args, '--seed', 'quarry');
  const file = join(process.env.QUARRY_DATA ?? '../shared/data', 'search/multi-cpr-ecom/train.query.txt');
  if (!existsSync(file)) {
    log(`skipped: ${file} is missing (set QUARRY_DATA to the shared data folder)`);
    const setup: Record<string, string> = { skipped: `${file} missing` };
    return { bench: 'suggest', setup, rows: [] };
  }
  const real = readFileSync(file, 'utf8').split('\n').filter((l) => l.includes('\t')).map((l) => l.slice(l.indexOf('\t') + 1));
  const rows: BenchRow[] = [];
  for (const size of sizes) {
    const label = size >= 1_000_000 ? `${size / 1_000_000}m` : `${size / 1_000}k`;
    const logged = scaleSet(real, size, new Rng(seed).fork(`set/${size}`));
    const prefixes = charPrefixes(logged, queryCount, new Rng(seed).fork(`prefixes/${size}`));
    log(`${label}: ${logged.length} distinct queries, ${logged.reduce((s, q) => s + q.count, 0)} issues; ${prefixes.length} prefixes`);
    const quarry = await built(log, 'quarry', () => buildQuarry(logged));
    rows.push({ case: `complete-${label}`, engine: 'quarry', ...(await timed(quarry, prefixes, { latency: queryCount, quality: peerQueries })) });
    const other = otherInputs(logged, queryCount, new Rng(seed).fork(`other/${size}`));
    rows.push({ case: `pinyin-typo-${label}`, engine: 'quarry', ...(await timed(quarry, other, { latency: queryCount, quality: queryCount })) });
    quarry.engine = undefined;
    for (const [name, build] of [['minisearch', () => buildMiniSearch(logged)], ['baseline', () => buildBaseline(logged)]] as const) {
      const peer = await built(log, name, build);
      rows.push({ case: `complete-${label}`, engine: name, ...(await timed(peer, prefixes, { latency: peerQueries, quality: peerQueries })) });
      peer.engine = undefined;
    }
  }
  return { bench: 'suggest', setup: { source: 'multi-cpr-ecom train queries', sizes: sizes.join(','), prefixes: queryCount, peer_prefixes: peerQueries, seed }, rows };
};

export default bench;

/** `size` distinct queries: the real ones, then seeded perturbations; Zipf counts over a seeded permutation. */
function scaleSet(real: readonly string[], size: number, rng: Rng): Logged[] {
  const seen = new Set<string>();
  const texts: string[] = [];
  for (const q of real) {
    if (texts.length === size) break;
    if (seen.has(q)) continue;
    texts.push(q);
    seen.add(q);
  }
  while (texts.length < size) {
    const a = rng.pick(real);
    const b = rng.pick(real);
    const q = rng.bool(0.6) ? `${a}${rng.pick(MODIFIERS)}` : `${Array.from(a).slice(0, 2 + rng.int(3)).join('')}${Array.from(b).slice(-2 - rng.int(3)).join('')}`;
    if (seen.has(q)) continue;
    texts.push(q);
    seen.add(q);
  }
  const ranks = rng.shuffle(Array.from(texts.keys()));
  return texts.map((query, i) => ({ query, count: Math.max(1, Math.round(100_000 / ((ranks[i] as number) + 1))) }));
}

interface Prefix {
  typed: string;
  /** The variant key of the query it was cut from. */
  target: string;
}

/** Queries drawn by popularity (inverse-CDF over the counts), cut after 1 to 8 characters. */
function charPrefixes(logged: readonly Logged[], count: number, rng: Rng): Prefix[] {
  const draw = sampler(logged, rng);
  return Array.from({ length: count }, () => {
    const text = normalizeText((logged[draw()] as Logged).query);
    const chars = Array.from(text);
    return { typed: chars.slice(0, 1 + rng.int(Math.min(8, chars.length))).join(''), target: variantKey(text) };
  });
}

/** Pinyin, initials and one-typo prefixes of queries drawn by popularity. */
function otherInputs(logged: readonly Logged[], count: number, rng: Rng): Prefix[] {
  const draw = sampler(logged, rng);
  const out: Prefix[] = [];
  while (out.length < count) {
    const text = normalizeText((logged[draw()] as Logged).query);
    if (!hasHan(text)) continue;
    const keys = suggestionKeys(text);
    const form = rng.bool(0.5) ? keys.romanized : rng.bool(0.5) ? keys.initials : keys.romanized;
    if (form === undefined || form.length < 2) continue;
    let typed = form.slice(0, 1 + rng.int(Math.min(12, form.length)));
    if (typed.length >= 4 && rng.bool(0.3)) typed = typed.slice(0, 1) + typed.slice(2); // one letter left out
    out.push({ typed, target: variantKey(text) });
  }
  return out;
}

function sampler(logged: readonly Logged[], rng: Rng): () => number {
  const cumulative = new Float64Array(logged.length);
  let total = 0;
  logged.forEach((q, i) => (cumulative[i] = total += q.count));
  return () => {
    const x = rng.next() * total;
    let lo = 0;
    let hi = logged.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((cumulative[mid] as number) <= x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

async function built(log: (text: string) => void, name: string, build: () => Promise<Engine>) {
  const heapBefore = await settledHeap();
  const start = performance.now();
  const engine = await build();
  const buildS = round((performance.now() - start) / 1000, 2);
  const heapMb = round(((await settledHeap()) - heapBefore) / 2 ** 20, 1);
  log(`  ${name}: built in ${buildS} s, ${heapMb} MB of heap`);
  return { engine: engine as Engine | undefined, buildS, heapMb };
}

/** Heap in use after a turn of the event loop and two full collections. */
async function settledHeap(): Promise<number> {
  await new Promise((resolve) => setTimeout(resolve, 0));
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

/**
 * Latency over the first `counts.latency` prefixes, MRR@10 over the first `counts.quality` (the
 * same prefixes for every engine of a case, so the quality figures compare).
 */
async function timed(built: { engine: Engine | undefined; buildS: number; heapMb: number }, prefixes: readonly Prefix[], counts: { latency: number; quality: number }) {
  const engine = built.engine as Engine;
  const judged = prefixes.slice(0, counts.quality);
  let reciprocal = 0;
  for (const p of judged) {
    const rank = engine.complete(p.typed).findIndex((s) => variantKey(normalizeText(s)) === p.target);
    if (rank >= 0) reciprocal += 1 / (rank + 1);
  }
  const timedPrefixes = prefixes.slice(0, counts.latency);
  const latency = await measure({ count: timedPrefixes.length, warmup: Math.min(200, timedPrefixes.length), run: (i) => engine.complete((timedPrefixes[i] as Prefix).typed) });
  return {
    prefixes: timedPrefixes.length,
    mrr_at_10: round(reciprocal / judged.length, 4),
    qps: latency.qps,
    p50_ms: latency.p50_ms,
    p99_ms: latency.p99_ms,
    build_s: built.buildS,
    heap_mb: built.heapMb,
  };
}

async function buildQuarry(logged: readonly Logged[]): Promise<Engine> {
  const suggester = await QuerySuggester.build(mineQueries(logged, { config: { minUsers: 1 } }));
  return { name: 'quarry', complete: (prefix) => suggester.suggest(prefix, { limit: 10 }).suggestions.map((s) => s.text) };
}

function buildMiniSearch(logged: readonly Logged[]): Promise<Engine> {
  const counts = logged.map((q) => q.count);
  const index = new MiniSearch<{ id: number; text: string }>({ fields: ['text'] });
  index.addAll(logged.map((q, id) => ({ id, text: q.query })));
  const boostDocument = (id: unknown) => Math.log1p(counts[id as number] ?? 0);
  return Promise.resolve({ name: 'minisearch', complete: (prefix) => index.autoSuggest(prefix, { boostDocument }).slice(0, 10).map((s) => s.suggestion) });
}

function buildBaseline(logged: readonly Logged[]): Promise<Engine> {
  const baseline = new PopularPrefixSuggester({ minUsers: 1, maxLength: 100 });
  for (const { query, count } of logged) for (let k = 0; k < count; k++) baseline.observe('u', query);
  return Promise.resolve({ name: 'baseline', complete: (prefix) => baseline.suggest(prefix, 10).suggestions.map((s) => s.text) });
}

