/**
 * What every benchmark shares: the JSON report shape of the foundation's convention, latency
 * measurement with a warm-up, and percentiles.
 *
 *   {"bench": name, "node": version, "cpus": n, "rows": [{"case": "...", "engine": "quarry" | "<peer>", ...metrics}]}
 *
 * Metric names are snake case with the unit in the name (qps, p50_ms, p99_ms, build_s, heap_mb, ...).
 */

import { availableParallelism } from 'node:os';

export interface BenchRow {
  case: string;
  engine: string;
  [metric: string]: string | number;
}

export interface BenchReport {
  bench: string;
  node: string;
  cpus: number;
  rows: BenchRow[];
  /** What was measured on: data sizes, seeds, settings. */
  setup: Record<string, string | number>;
}

export interface BenchContext {
  args: readonly string[];
  /** Progress and notes for a person: stderr, never stdout. */
  log: (text: string) => void;
}

export type Bench = (context: BenchContext) => Promise<Omit<BenchReport, 'node' | 'cpus'>>;

export function report(partial: Omit<BenchReport, 'node' | 'cpus'>): BenchReport {
  return { bench: partial.bench, node: process.version, cpus: availableParallelism(), setup: partial.setup, rows: partial.rows };
}

export interface Latency {
  qps: number;
  p50_ms: number;
  p99_ms: number;
  mean_ms: number;
}

/**
 * Runs `run(i)` for each of `count` inputs, one at a time, after `warmup` untimed runs, and returns
 * throughput and latency percentiles (nearest-rank).
 */
export async function measure(options: { count: number; warmup: number; run: (i: number) => unknown }): Promise<Latency> {
  const { count, warmup, run } = options;
  for (let i = 0; i < warmup; i++) await run(i % count);
  const times = new Float64Array(count);
  const start = performance.now();
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    await run(i);
    times[i] = performance.now() - t0;
  }
  const total = performance.now() - start;
  times.sort();
  return {
    qps: round(count / (total / 1000), 1),
    p50_ms: round(percentile(times, 0.5), 4),
    p99_ms: round(percentile(times, 0.99), 4),
    mean_ms: round(total / count, 4),
  };
}

export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1));
  return sorted[rank] as number;
}

export function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

export function heapMb(): number {
  return round(process.memoryUsage().heapUsed / 2 ** 20, 1);
}

/** The integer after `name` in the arguments (`--rows 2000000`), or `fallback` when absent or not a positive integer. */
export function intArg(args: readonly string[], name: string, fallback: number): number {
  const i = args.indexOf(name);
  const value = i === -1 ? undefined : Number(args[i + 1]);
  return value !== undefined && Number.isInteger(value) && value > 0 ? value : fallback;
}

/** The string after `name` in the arguments, or `fallback`. */
export function stringArg(args: readonly string[], name: string, fallback: string): string {
  const i = args.indexOf(name);
  return i === -1 ? fallback : (args[i + 1] ?? fallback);
}
