/**
 * Lexical search on Vaswani (11,429 abstracts, 93 topics, TREC qrels) and on a deterministic
 * 200,000-document scale set built from it: Quarry's inverted index next to MiniSearch, Orama and
 * FlexSearch, each in its documented English configuration, in the same run.
 *
 *   npm run -s bench -- lexical [--json] [--scale 200000] [--reps 3] [--scale-reps 1] [--cases vaswani,scale-200k]
 *                               [--engines quarry,quarry-bm25,minisearch,orama,flexsearch]
 *
 * Per engine and case: build_s, build_cpu_s and docs_per_s (indexing only, documents already in memory), heap_mb
 * (heapUsed + arrayBuffers growth over the build, after a full GC, the engine alive: typed arrays live
 * outside the JS heap), qps / p50_ms / p99_ms for the 93 topics one at a time at top 10 (a warm-up on 20
 * topics, then `reps` passes, engines taking turns pass by pass; no forced GC between passes, which
 * was seen to slow the next pass by up to 2x), and MAP
 * of a 1000-deep run per topic (trec_eval's depth; MAP of a 10-deep run would cap every engine near
 * 0.17). cpu_qps divides the queries by the process's CPU time (user + system, GC threads included)
 * instead of wall time: on a machine shared with other work it moves far less. The scale set keeps
 * Vaswani's judged docs and adds unjudged ones.
 *
 * quarry: BM25F + RM3 feedback (`quarry eval search` defaults); quarry-bm25: the same index without
 * feedback. minisearch: default options (BM25+, OR). orama: english tokenizer with its stemmer, default
 * search (threshold 1: any term). flexsearch: Index with the English encoder preset, `suggest: true`
 * (without it a multi-word query returns only docs holding every word: most topics find nothing).
 */

import { create, insertMultiple, search as oramaSearch } from '@orama/orama';
import { Encoder, Index as FlexIndex } from 'flexsearch';
import EnglishPreset from 'flexsearch/lang/en';
import MiniSearch from 'minisearch';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Rng } from '../src/core/index.js';
import { buildEvalIndex, DEFAULT_LEXICAL_EVAL, evaluateRun, readDocuments, readQrels, readTopics, type EvalDocument, type Qrels, type Run, type Topic } from '../src/eval/index.js';
import { percentile, round, type Bench, type BenchRow, intArg } from './harness.js';

const DATA = join(process.env.QUARRY_DATA ?? '../shared/data', 'search/vaswani/');

/** An engine under test: a built index answering a query with external ids, best first. */
interface Built {
  search: (query: string, k: number) => string[] | Promise<string[]>;
}

interface Engine {
  name: string;
  build: (docs: readonly EvalDocument[]) => Built | Promise<Built>;
}

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const bench: Bench = async ({ args, log }) => {
  const scale = intArg(args, '--scale', 200_000);
  const reps = intArg(args, '--reps', 3);
  const scaleReps = intArg(args, '--scale-reps', 1);
  const cases = listArg(args, '--cases', ['vaswani', 'scale-200k']);
  const engines = ENGINES.filter((e) => listArg(args, '--engines', ENGINES.map((x) => x.name)).includes(e.name));
  const vaswani = readDocuments(`${DATA}corpus/doc-text.trec`);
  const topics = readTopics(`${DATA}query-text.trec`);
  const qrels = readQrels(`${DATA}qrels`);
  const rows: BenchRow[] = [];
  for (const name of cases) {
    const docs = name === 'vaswani' ? vaswani : scaleSet(vaswani, scale);
    log(`${name}: ${docs.length} documents, ${topics.length} topics`);
    const built = [];
    for (const engine of engines) {
      built.push({ engine, ...(await buildEngine(engine, docs)) });
      log(`  ${engine.name}: built in ${round(built.at(-1)?.buildS ?? 0, 2)} s`);
    }
    const maps: number[] = [];
    for (const b of built) maps.push(await meanAveragePrecision(b.index, topics, qrels));
    const latencies = await interleavedLatency(built.map((b) => b.index), topics, name === 'vaswani' ? reps : scaleReps);
    built.forEach((b, i) => {
      const row = {
        case: name,
        engine: b.engine.name,
        build_s: round(b.buildS, 3),
        build_cpu_s: round(b.buildCpuS, 3),
        docs_per_s: Math.round(docs.length / b.buildS),
        heap_mb: round(b.heapMb, 1),
        ...latencies[i],
        map: round(maps[i] ?? 0, 4),
      };
      log(`  ${JSON.stringify(row)}`);
      rows.push(row);
    });
  }
  return { bench: 'lexical', setup: { vaswani_docs: vaswani.length, scale_docs: scale, topics: topics.length, reps, scale_reps: scaleReps, map_depth: 1000, latency_k: 10 }, rows };
};

export default bench;

/** Builds one engine; its memory is the growth over the build after a full GC (engines built earlier stay alive and are not counted). */
async function buildEngine(engine: Engine, docs: readonly EvalDocument[]): Promise<{ index: Built; buildS: number; buildCpuS: number; heapMb: number }> {
  gc();
  const before = memory();
  const cpu = process.cpuUsage();
  const start = performance.now();
  const index = await engine.build(docs);
  const buildS = (performance.now() - start) / 1000;
  const buildCpuS = cpuSeconds(cpu);
  gc();
  return { index, buildS, buildCpuS, heapMb: (memory() - before) / 2 ** 20 };
}

/** CPU seconds (user + system) of this process since `start`: steadier than wall time on a shared machine. */
function cpuSeconds(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
}

async function meanAveragePrecision(index: Built, topics: readonly Topic[], qrels: Qrels): Promise<number> {
  const run: Run = new Map();
  for (const topic of topics) {
    const ids = await index.search(topic.query, 1000);
    run.set(topic.id, ids.map((docId, i) => ({ docId, score: ids.length - i })));
  }
  return evaluateRun(run, qrels).map;
}

/** Topics searched once, untimed, before timing (JIT warm-up). */
const WARMUP_TOPICS = 20;

/**
 * Top-10 latency of every topic, one query at a time. The engines take turns pass by pass (after a
 * warm-up on the first WARMUP_TOPICS topics), so a machine shared with other work slows them alike.
 */
async function interleavedLatency(indexes: readonly Built[], topics: readonly Topic[], reps: number) {
  const times = indexes.map(() => new Float64Array(topics.length * reps));
  const totals = indexes.map(() => 0);
  const cpuTotals = indexes.map(() => 0);
  for (const index of indexes) for (const topic of topics.slice(0, WARMUP_TOPICS)) await index.search(topic.query, 10);
  for (let rep = 0; rep < reps; rep++) {
    for (let e = 0; e < indexes.length; e++) {
      const index = indexes[e] as Built;
      const cpu = process.cpuUsage();
      const start = performance.now();
      for (let t = 0; t < topics.length; t++) {
        const t0 = performance.now();
        await index.search((topics[t] as Topic).query, 10);
        (times[e] as Float64Array)[rep * topics.length + t] = performance.now() - t0;
      }
      totals[e] = (totals[e] as number) + performance.now() - start;
      cpuTotals[e] = (cpuTotals[e] as number) + cpuSeconds(cpu);
    }
  }
  return times.map((samples, e) => {
    samples.sort();
    return {
      qps: round(samples.length / ((totals[e] as number) / 1000), 1),
      cpu_qps: round(samples.length / (cpuTotals[e] as number), 1),
      p50_ms: round(percentile(samples, 0.5), 4),
      p99_ms: round(percentile(samples, 0.99), 4),
    };
  });
}

function memory(): number {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

const ENGINES: Engine[] = [
  { name: 'quarry', build: (docs) => quarry(docs, true) },
  { name: 'quarry-bm25', build: (docs) => quarry(docs, false) },
  {
    name: 'minisearch',
    build: (docs) => {
      const index = new MiniSearch<EvalDocument>({ fields: ['text'] });
      index.addAll(docs);
      return { search: (query, k) => index.search(query).slice(0, k).map((r) => r.id as string) };
    },
  },
  {
    name: 'orama',
    build: async (docs) => {
      const db = create({ schema: { id: 'string', text: 'string' } as const, components: { tokenizer: { language: 'english', stemming: true } } });
      await insertMultiple(db, docs.map((d) => ({ id: d.id, text: d.text })), 1000);
      return { search: async (query, k) => (await oramaSearch(db, { term: query, limit: k })).hits.map((h) => h.id) };
    },
  },
  {
    name: 'flexsearch',
    build: (docs) => {
      const index = new FlexIndex({ encoder: new Encoder(EnglishPreset) });
      docs.forEach((d, i) => index.add(i, d.text));
      return { search: (query, k) => (index.search(query, { limit: k, suggest: true }) as number[]).map((i) => (docs[i] as EvalDocument).id) };
    },
  },
];

async function quarry(docs: readonly EvalDocument[], feedback: boolean): Promise<Built> {
  const index = await buildEvalIndex({ docs });
  const options = { typos: DEFAULT_LEXICAL_EVAL.typos, exactCountUpTo: DEFAULT_LEXICAL_EVAL.exactCountUpTo, ...(feedback ? { feedback: DEFAULT_LEXICAL_EVAL.feedback } : {}) };
  return { search: (query, k) => index.search(query, { ...options, k }).hits.map((h) => (docs[h.docId] as EvalDocument).id) };
}

/**
 * Vaswani plus `size − 11,429` unjudged documents (seeded, so every run builds the same set): each
 * takes a random Vaswani abstract and replaces half of its words by words drawn from the whole
 * collection's word stream, so lengths and term statistics stay Vaswani-like.
 */
function scaleSet(base: readonly EvalDocument[], size: number): EvalDocument[] {
  const rng = new Rng('bench-lexical-scale');
  const words = base.flatMap((d) => d.text.split(/\s+/).filter((w) => w !== ''));
  const docs = [...base];
  for (let i = docs.length; i < size; i++) {
    const source = (base[rng.int(base.length)] as EvalDocument).text.split(/\s+/);
    const text = source.map((w) => (rng.next() < 0.5 ? w : (words[rng.int(words.length)] as string))).join(' ');
    docs.push({ id: `s${i}`, text });
  }
  return docs;
}

function listArg(args: readonly string[], name: string, fallback: string[]): string[] {
  const i = args.indexOf(name);
  return i === -1 || args[i + 1] === undefined ? fallback : (args[i + 1] as string).split(',');
}
