/**
 * Approximate nearest neighbours: Quarry's HNSW (float32, and fp8/int8 codes with float32 re-ranking)
 * beside hnswlib-node (C++ hnswlib) and usearch (C++ with SIMD), the same M = 16 and efConstruction =
 * 200. Engine `quarry` computes float32 distances with its WebAssembly SIMD kernel (the default
 * `kernel: 'auto'`), `quarry-ts` with the pure TypeScript one (`kernel: 'typescript'`: the same graph,
 * the same recall; float32 runs only). Datasets:
 * MNIST t10k (9,000 base / 1,000 queries, 784 dims, L2), lda8 (10,000 / 1,000, 8 dims, L2) and
 * a seeded synthetic clustered set (100,000 / 1,000, 64 dims, L2). Ground truth by exact search.
 *
 * Quarry's build time includes `compact()` (renumbering the vectors in graph order), which it runs
 * after the bulk build. Rows: `<dataset>/ef=<ef>` for every engine and ef; `<dataset>/fp8` and
 * `<dataset>/int8` for every ef of `--quant-ef` (default: every `--ef`), with an `ef` field: Quarry's
 * codes, usearch's own e4m3/i8 quantisation beside them. Quarry's compressed index is built in memory,
 * saved, and searched as loaded with `vectors: 'file'`: codes and graph in memory, float32 rows
 * re-read from the snapshot file for re-ranking (`load_s` is that load). Queries run one at a time on
 * one thread, in three rounds with the engines taking turns (the median round is reported).
 * `bytes_per_vector` is what is held in memory to search, per vector: the vectors or codes the search
 * reads plus the graph (Quarry: `memory().totalBytes`, not counting its id map; peers: their saved
 * index file divided by the count, which is their vectors, graph and 8-byte labels). Quarry's
 * compressed rows add `code_bytes_per_vector` (codes + scales), `code_fraction` (of 4 * dim) and
 * `file_bytes_per_vector` (the float32 rows left on file).
 *
 *   npm run bench -- ann [--json] [--datasets mnist,lda8,synth100k] [--ef 16,32,64,128,256]
 *     [--engines quarry,quarry-ts,hnswlib,usearch] [--synth-count 100000] [--quant-ef 16,...] [--data ../shared/data]
 */

import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import hnswlib from 'hnswlib-node';
import { Index as UsearchIndex, MetricKind, ScalarKind, type IndexConfig } from 'usearch';
import {
  HnswIndex,
  type HnswKernel,
  addVectors,
  exactNeighbours,
  generateClustered,
  readVectorFile,
  recallAtK,
  type IntVectorSet,
  type Quantization,
  type VectorSet,
} from '../src/vector/index.js';
import { measure, round, type Bench, type BenchRow, stringArg } from './harness.js';

const M = 16;
const EF_CONSTRUCTION = 200;
const K = 10;

interface Dataset {
  name: string;
  base: VectorSet;
  queries: VectorSet;
}

/** One engine's built index: a search at a given ef returning row numbers, and its size on disk. */
interface Built {
  buildS: number;
  bytesPerVector: number;
  /** Extra figures for the rows of this engine (Quarry's compressed index: code and file bytes, load time). */
  extra?: Record<string, number>;
  search: (queryIndex: number, ef: number) => number[];
  close?: () => void;
}

const bench: Bench = async ({ args, log }) => {
  const datasets = listArg(args, '--datasets', ['mnist', 'lda8', 'synth100k']);
  const efs = listArg(args, '--ef', ['16', '32', '64', '128', '256']).map(Number);
  const engines = listArg(args, '--engines', ['quarry', 'quarry-ts', 'hnswlib', 'usearch']);
  const quantEfs = listArg(args, '--quant-ef', efs.map(String)).map(Number);
  const dataDir = stringArg(args, '--data', process.env.QUARRY_DATA ?? '../shared/data');
  const synthCount = Number(stringArg(args, '--synth-count', '100000'));
  const scratch = mkdtempSync(join(tmpdir(), 'quarry-ann-'));
  const rows: BenchRow[] = [];
  const setup: Record<string, string | number> = { M, ef_construction: EF_CONSTRUCTION, k: K, quant_ef: quantEfs.join(',') };
  try {
    for (const name of datasets) {
      const dataset = await loadDataset(name, dataDir, synthCount, log);
      if (dataset === undefined) continue;
      setup[name] = `${dataset.base.count} base x ${dataset.base.dim} dims, ${dataset.queries.count} queries`;
      log(`${name}: exact ground truth for ${dataset.queries.count} queries…`);
      const truth = exactNeighbours(dataset.base, dataset.queries, K);
      rows.push(...(await runDataset(dataset, truth, { efs, engines, quantEfs, scratch, log })));
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return { bench: 'ann', setup, rows };
};

export default bench;

async function runDataset(
  dataset: Dataset,
  truth: IntVectorSet,
  run: { efs: number[]; engines: string[]; quantEfs: number[]; scratch: string; log: (text: string) => void },
): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const builtBy = new Map<string, Built>();
  for (const engine of run.engines) {
    run.log(`${dataset.name}: building ${engine}…`);
    builtBy.set(engine, await build(engine, dataset, 'none', run.scratch));
  }
  const float32Recall = new Map<number, number>();
  for (const ef of run.efs) {
    const measured = await measureInterleaved(dataset, truth, builtBy, ef);
    for (const [engine, row] of measured) {
      if (engine === 'quarry') float32Recall.set(ef, row.recall_at_10);
      rows.push({ case: `${dataset.name}/ef=${ef}`, engine, ...row });
      run.log(`  ${engine} ef=${ef}: recall@10 ${row.recall_at_10}, ${row.qps} q/s`);
    }
  }
  for (const quantization of ['fp8', 'int8'] as const) {
    const quantized = new Map<string, Built>();
    // Compressed runs: Quarry's default kernel against usearch (the TypeScript kernel reads the same codes).
    for (const engine of run.engines.filter((e) => e !== 'hnswlib' && e !== 'quarry-ts')) {
      run.log(`${dataset.name}: building ${engine} with ${quantization} vectors…`);
      quantized.set(engine, await build(engine, dataset, quantization, run.scratch));
    }
    for (const ef of run.quantEfs) {
      for (const [engine, row] of await measureInterleaved(dataset, truth, quantized, ef)) {
        const out: BenchRow = { case: `${dataset.name}/${quantization}`, engine, ef, ...row };
        if (engine === 'quarry') out.float32_recall_at_10 = float32Recall.get(ef) ?? Number.NaN;
        rows.push(out);
        run.log(`  ${engine} ${quantization} ef=${ef}: recall@10 ${row.recall_at_10}, ${row.qps} q/s`);
      }
    }
    quantized.get('quarry')?.close?.();
  }
  for (const built of builtBy.values()) built.close?.();
  return rows;
}

/** Rounds of timing, each engine in turn, so a burst of load on this shared machine hits all of them; the median round is kept. */
const ROUNDS = 3;

interface MeasuredRow {
  recall_at_10: number;
  qps: number;
  p50_ms: number;
  build_s: number;
  bytes_per_vector: number;
  [extra: string]: number;
}

async function measureInterleaved(dataset: Dataset, truth: IntVectorSet, builtBy: Map<string, Built>, ef: number): Promise<Map<string, MeasuredRow>> {
  const count = dataset.queries.count;
  const timings = new Map<string, { qps: number; p50_ms: number }[]>();
  for (let round = 0; round < ROUNDS; round++) {
    for (const [engine, built] of builtBy) {
      const latency = await measure({ count, warmup: Math.min(200, count), run: (q) => built.search(q, ef) });
      timings.set(engine, [...(timings.get(engine) ?? []), latency]);
    }
  }
  const out = new Map<string, MeasuredRow>();
  for (const [engine, built] of builtBy) {
    const found: number[][] = [];
    for (let q = 0; q < count; q++) found.push(built.search(q, ef));
    const median = (timings.get(engine) ?? []).sort((a, b) => a.qps - b.qps)[Math.floor(ROUNDS / 2)]!;
    out.set(engine, {
      recall_at_10: round(recallAtK(found, truth, K), 4),
      qps: median.qps,
      p50_ms: median.p50_ms,
      build_s: round(built.buildS, 2),
      bytes_per_vector: round(built.bytesPerVector, 1),
      ...built.extra,
    });
  }
  return out;
}

async function build(engine: string, dataset: Dataset, quantization: Quantization, scratch: string): Promise<Built> {
  switch (engine) {
    case 'quarry':
      return buildQuarry(dataset, quantization, scratch);
    case 'quarry-ts':
      return buildQuarry(dataset, quantization, scratch, 'typescript');
    case 'hnswlib':
      return buildHnswlib(dataset, scratch);
    case 'usearch':
      return buildUsearch(dataset, quantization, scratch);
    default:
      throw new Error(`unknown engine ${engine}: use quarry, quarry-ts, hnswlib or usearch`);
  }
}

async function buildQuarry(dataset: Dataset, quantization: Quantization, scratch: string, kernel: HnswKernel = 'auto'): Promise<Built> {
  const { base, queries } = dataset;
  const start = performance.now();
  const built = new HnswIndex({ dim: base.dim, M, efConstruction: EF_CONSTRUCTION, quantization, initialCapacity: base.count, kernel });
  addVectors(built, base);
  built.compact();
  const buildS = (performance.now() - start) / 1000;
  const rowsOf = Array.from({ length: queries.count }, (_, q) => queries.data.subarray(q * queries.dim, (q + 1) * queries.dim));
  let index = built;
  let extra: Record<string, number> | undefined;
  if (quantization !== 'none') {
    // Served as deployed: saved, then loaded with the float32 rows left in the file.
    const file = join(scratch, `quarry-${quantization}.qvix`);
    await writeFile(file, built.serialize());
    const loadStart = performance.now();
    index = await HnswIndex.load(file, { vectors: 'file' });
    const memory = index.memory();
    extra = {
      load_s: round((performance.now() - loadStart) / 1000, 2),
      code_bytes_per_vector: memory.codeBytes,
      code_fraction: round(memory.codeBytes / (4 * base.dim), 4),
      file_bytes_per_vector: memory.fileBytes,
    };
  }
  return {
    buildS,
    bytesPerVector: index.memory().totalBytes,
    ...(extra === undefined ? {} : { extra }),
    search: (q, ef) => index.search(rowsOf[q]!, K, { ef }).map((hit) => hit.id as number),
    close: () => index.close(),
  };
}

function buildHnswlib(dataset: Dataset, scratch: string): Built {
  const { base, queries } = dataset;
  // hnswlib-node takes plain arrays only: converted before timing, for queries too.
  const baseRows = Array.from({ length: base.count }, (_, r) => Array.from(base.data.subarray(r * base.dim, (r + 1) * base.dim)));
  const queryRows = Array.from({ length: queries.count }, (_, q) => Array.from(queries.data.subarray(q * queries.dim, (q + 1) * queries.dim)));
  const start = performance.now();
  const index = new hnswlib.HierarchicalNSW('l2', base.dim);
  index.initIndex({ maxElements: base.count, m: M, efConstruction: EF_CONSTRUCTION, randomSeed: 100 });
  for (let r = 0; r < base.count; r++) index.addPoint(baseRows[r]!, r);
  const buildS = (performance.now() - start) / 1000;
  const file = join(scratch, 'hnswlib.bin');
  index.writeIndexSync(file);
  let currentEf = -1;
  return {
    buildS,
    bytesPerVector: statSync(file).size / base.count,
    search: (q, ef) => {
      if (ef !== currentEf) index.setEf((currentEf = ef));
      return index.searchKnn(queryRows[q]!, K).neighbors;
    },
  };
}

function buildUsearch(dataset: Dataset, quantization: Quantization, scratch: string): Built {
  const { base, queries } = dataset;
  const scalar = quantization === 'fp8' ? ScalarKind.E4M3 : quantization === 'int8' ? ScalarKind.I8 : ScalarKind.F32;
  const config = (ef: number): IndexConfig => ({
    dimensions: base.dim,
    metric: MetricKind.L2sq,
    quantization: scalar,
    connectivity: M,
    expansion_add: EF_CONSTRUCTION,
    expansion_search: ef,
    multi: false,
  });
  const keys = BigUint64Array.from({ length: base.count }, (_, r) => BigInt(r));
  const start = performance.now();
  const built = new UsearchIndex(config(64));
  built.add(keys, base.data, 1);
  const buildS = (performance.now() - start) / 1000;
  // usearch fixes expansion_search at construction: the built index is saved once and loaded per ef.
  const file = join(scratch, `usearch-${scalar}.bin`);
  built.save(file);
  const byEf = new Map<number, UsearchIndex>();
  const at = (ef: number): UsearchIndex => {
    let index = byEf.get(ef);
    if (index === undefined) {
      index = new UsearchIndex(config(ef));
      index.load(file);
      byEf.set(ef, index);
    }
    return index;
  };
  const rowsOf = Array.from({ length: queries.count }, (_, q) => queries.data.subarray(q * queries.dim, (q + 1) * queries.dim));
  return {
    buildS,
    bytesPerVector: statSync(file).size / base.count,
    search: (q, ef) => Array.from(at(ef).search(rowsOf[q]!, K, 1).keys, Number),
  };
}

async function loadDataset(name: string, dataDir: string, synthCount: number, log: (text: string) => void): Promise<Dataset | undefined> {
  const tryRead = async (path: string): Promise<VectorSet | undefined> => {
    try {
      return await readVectorFile(path);
    } catch (error) {
      log(`${name}: skipped, cannot read ${path} (${(error as Error).message})`);
      return undefined;
    }
  };
  switch (name) {
    case 'mnist': {
      const all = await tryRead(join(dataDir, 'ann/mnist-t10k/t10k-images-idx3-ubyte.gz'));
      return all === undefined ? undefined : { name, base: slice(all, 0, 9_000), queries: slice(all, 9_000, 10_000) };
    }
    case 'lda8': {
      const base = await tryRead(join(dataDir, 'ann/lda8/final8_10K.txt'));
      const queries = await tryRead(join(dataDir, 'ann/lda8/final8_query1K.txt'));
      return base === undefined || queries === undefined ? undefined : { name, base, queries };
    }
    case 'synth100k': {
      // One draw split in two, so the queries come from the same clusters as the base.
      const all = generateClustered({ count: synthCount + 1_000, dim: 64, seed: 'ann-bench' });
      return { name, base: slice(all, 0, synthCount), queries: slice(all, synthCount, synthCount + 1_000) };
    }
    default:
      log(`${name}: unknown dataset (mnist, lda8, synth100k)`);
      return undefined;
  }
}

function slice(set: VectorSet, from: number, to: number): VectorSet {
  return { count: to - from, dim: set.dim, data: set.data.slice(from * set.dim, to * set.dim) };
}

function listArg(args: readonly string[], name: string, fallback: string[]): string[] {
  const i = args.indexOf(name);
  const value = i === -1 ? undefined : args[i + 1];
  return value === undefined ? fallback : value.split(',').map((s) => s.trim()).filter((s) => s !== '');
}

