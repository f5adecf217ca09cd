import { InvalidArgumentError as CommanderArgumentError, Option, type Command } from 'commander';
import { CancelledError, InvalidArgumentError, IncompatibleFormatError } from '../../core/index.js';
import {
  DEFAULT_HNSW_OPTIONS,
  HnswIndex,
  QUANTIZATIONS,
  addVectors,
  exactNeighbours,
  readNeighbourFile,
  readVectorFile,
  recallAtK,
  type IntVectorSet,
  type Metric,
  type Quantization,
  type VectorSet,
} from '../../vector/index.js';
import { parse } from '../options.js';
import type { CliContext } from '../program.js';
import type { Progress, Terminal } from '../terminal.js';

export interface EvalAnnRun {
  base: string;
  queries: string;
  gt: string | undefined;
  k: number;
  efs: number[];
  metric: Metric;
  quant: Quantization;
  M: number;
  efConstruction: number;
  rerank: number | undefined;
  seed: string;
  json: boolean;
  signal: AbortSignal;
}

export interface EvalAnnRow {
  ef: number;
  recall_at_k: number;
  qps: number;
  p50_ms: number;
}

export interface EvalAnnReport {
  base: { path: string; count: number; dim: number };
  queries: { path: string; count: number };
  k: number;
  metric: Metric;
  quant: Quantization;
  M: number;
  efConstruction: number;
  ground_truth: 'file' | 'exact';
  build_s: number;
  /** Per vector: what a search walks (float32 rows or codes) plus the graph. */
  bytes_per_vector: number;
  /** Per vector: everything held, the float32 copy kept for re-ranking included. */
  total_bytes_per_vector: number;
  results: EvalAnnRow[];
}

/**
 * `quarry eval ann`: builds an HNSW index on the base vectors (then `compact`s it, inside the build
 * time), takes the ground truth from `--gt` or
 * computes it exactly, then for every ef searches each query once (one at a time, one thread, after a
 * warm-up) and prints recall@k, queries/s, build time and memory. See `docs/vector.md`.
 */
export async function evalAnnCommand(terminal: Terminal, run: EvalAnnRun): Promise<EvalAnnReport> {
  const base = await readVectorFile(run.base);
  const queries = await readVectorFile(run.queries);
  if (queries.dim !== base.dim) throw new InvalidArgumentError(`${run.queries} has ${queries.dim}-dim vectors, ${run.base} has ${base.dim}`);
  if (run.k > base.count) throw new InvalidArgumentError(`--k ${run.k} is more than the ${base.count} base vectors`);
  terminal.info(`${run.base}: ${base.count} vectors x ${base.dim} dims; ${run.queries}: ${queries.count} queries`);
  const truth = await groundTruth(terminal, run, base, queries);
  const start = performance.now();
  const index = new HnswIndex({ dim: base.dim, metric: run.metric, M: run.M, efConstruction: run.efConstruction, quantization: run.quant, seed: run.seed, initialCapacity: base.count });
  withBar(terminal, 'build', base.count, (onProgress) => addVectors(index, { count: base.count, dim: base.dim, data: base.data }, { onProgress, signal: run.signal }));
  index.compact();
  const buildS = (performance.now() - start) / 1000;
  const memory = index.memory();
  const results = run.efs.map((ef) => measureEf(index, queries, truth, { ...run, ef }));
  const report: EvalAnnReport = {
    base: { path: run.base, count: base.count, dim: base.dim },
    queries: { path: run.queries, count: queries.count },
    k: run.k,
    metric: run.metric,
    quant: run.quant,
    M: run.M,
    efConstruction: run.efConstruction,
    ground_truth: run.gt === undefined ? 'exact' : 'file',
    build_s: round(buildS, 3),
    bytes_per_vector: round(memory.searchedBytes + memory.graphBytes, 1),
    total_bytes_per_vector: round(memory.totalBytes, 1),
    results,
  };
  terminal.out(run.json ? JSON.stringify(report) : formatReport(report));
  return report;
}

async function groundTruth(terminal: Terminal, run: EvalAnnRun, base: VectorSet, queries: VectorSet): Promise<IntVectorSet> {
  if (run.gt === undefined) {
    return withBar(terminal, 'truth', queries.count, (onProgress) => exactNeighbours(base, queries, run.k, { metric: run.metric, onProgress, signal: run.signal }));
  }
  const truth = await readNeighbourFile(run.gt);
  if (truth.count < queries.count) throw new IncompatibleFormatError(`${run.gt} has ${truth.count} rows for ${queries.count} queries`);
  if (truth.dim < run.k) throw new IncompatibleFormatError(`${run.gt} has ${truth.dim} neighbours per query, recall@${run.k} needs ${run.k}`);
  const outside = truth.data.find((id) => id >= base.count);
  if (outside !== undefined) throw new IncompatibleFormatError(`${run.gt} names base vector ${outside}, the base has ${base.count} (ids are 0-based row numbers)`);
  return truth;
}

/** Searches every query at `ef` once untimed (recall) and once timed after a warm-up (queries/s). */
function measureEf(index: HnswIndex, queries: VectorSet, truth: IntVectorSet, run: EvalAnnRun & { ef: number }): EvalAnnRow {
  if (run.signal.aborted) throw new CancelledError(`evaluation interrupted before ef ${run.ef}`);
  const rows = Array.from({ length: queries.count }, (_, q) => queries.data.subarray(q * queries.dim, (q + 1) * queries.dim));
  const options = { ef: run.ef, ...(run.rerank === undefined ? {} : { rerank: run.rerank }) };
  const found = rows.map((query) => index.search(query, run.k, options).map((hit) => hit.id as number));
  for (let q = 0; q < Math.min(200, rows.length); q++) index.search(rows[q]!, run.k, options);
  const times = new Float64Array(rows.length);
  const start = performance.now();
  for (let q = 0; q < rows.length; q++) {
    const t0 = performance.now();
    index.search(rows[q]!, run.k, options);
    times[q] = performance.now() - t0;
  }
  const seconds = (performance.now() - start) / 1000;
  times.sort();
  return {
    ef: run.ef,
    recall_at_k: round(recallAtK(found, truth, run.k), 4),
    qps: round(rows.length / seconds, 1),
    p50_ms: round(times[Math.floor(times.length / 2)] ?? 0, 4),
  };
}

function withBar<T>(terminal: Terminal, label: string, total: number, work: (onProgress: (done: number, total: number) => void) => T): T {
  let bar: Progress | undefined;
  try {
    return work((done, all) => (bar ??= terminal.progress(label, all)).update(done, all));
  } finally {
    bar?.stop();
  }
}

function formatReport(r: EvalAnnReport): string {
  const header = `${r.base.count} base x ${r.base.dim} dims, ${r.queries.count} queries, k ${r.k}, ${r.metric}, quant ${r.quant}; M ${r.M}, efConstruction ${r.efConstruction}; truth: ${r.ground_truth}`;
  const memory = `build ${r.build_s.toFixed(2)} s; ${r.bytes_per_vector} bytes/vector searched + graph, ${r.total_bytes_per_vector} held`;
  const table = ['ef      recall@k  queries/s  p50 ms', ...r.results.map((x) => `${String(x.ef).padEnd(8)}${x.recall_at_k.toFixed(4).padEnd(10)}${String(x.qps).padEnd(11)}${x.p50_ms}`)];
  return [header, memory, ...table].join('\n');
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

interface EvalAnnFlags {
  base: string;
  queries: string;
  gt?: string;
  k: number;
  ef: number[];
  metric: Metric;
  quant: Quantization;
  m: number;
  efConstruction: number;
  rerank?: number;
  seed: string;
  json?: boolean;
}

function parseEfList(value: string): number[] {
  const efs = value.split(',').map((s) => s.trim());
  if (efs.length === 0 || efs.some((s) => !/^\d+$/.test(s) || Number(s) < 1 || Number(s) > 100_000)) {
    throw new CommanderArgumentError(`must be a comma-separated list of whole numbers from 1 to 100000, got "${value}"`);
  }
  return efs.map(Number);
}

/** Registers `quarry eval ann`. */
export function addEvalAnn(evalCommand: Command, context: CliContext): void {
  evalCommand
    .command('ann')
    .description('approximate nearest neighbours (HNSW): recall@k, queries/s, build time and memory per ef')
    .requiredOption('--base <file>', 'base vectors: .fvecs .bvecs .npy .txt/.csv .jsonl or MNIST -ubyte(.gz)')
    .requiredOption('--queries <file>', 'query vectors, same formats')
    .option('--gt <file>', 'ground truth: .ivecs (or text/.npy) rows of 0-based base row numbers; computed exactly when absent')
    .option('--k <n>', 'neighbours per query', parse.int(1, 10_000), 10)
    .option('--ef <list>', 'search ef values, comma-separated', parseEfList, [16, 32, 64, 128, 256])
    .addOption(new Option('--metric <metric>', 'distance').choices(['l2', 'ip', 'cos']).default('l2'))
    .addOption(new Option('--quant <kind>', 'search on compressed vectors, re-ranked with float32').choices([...QUANTIZATIONS]).default('none'))
    .option('--m <n>', 'HNSW links per node (2M on layer 0)', parse.int(2, 256), DEFAULT_HNSW_OPTIONS.M)
    .option('--ef-construction <n>', 'HNSW candidate list while building', parse.int(1, 100_000), DEFAULT_HNSW_OPTIONS.efConstruction)
    .option('--rerank <n>', 'compressed search: candidates re-ranked with float32 (default 4k)', parse.int(1, 1_000_000))
    .option('--seed <seed>', 'seed of the HNSW level draws', String(DEFAULT_HNSW_OPTIONS.seed))
    .option('--json', 'print the report as one JSON object on stdout')
    // Nested subcommands do not inherit the exit override runCli sets on top-level commands.
    .exitOverride()
    .configureOutput({ writeOut: (s) => context.terminal.out(s), writeErr: (s) => context.terminal.info(s) })
    .action(async (flags: EvalAnnFlags) => {
      await evalAnnCommand(context.terminal, {
        base: flags.base,
        queries: flags.queries,
        gt: flags.gt,
        k: flags.k,
        efs: flags.ef,
        metric: flags.metric,
        quant: flags.quant,
        M: flags.m,
        efConstruction: flags.efConstruction,
        rerank: flags.rerank,
        seed: flags.seed,
        json: flags.json === true,
        signal: context.signal,
      });
    });
}
