import { basename } from 'node:path';
import { readFileSync } from 'node:fs';
import { InvalidArgumentError as CommanderArgumentError, type Command } from 'commander';
import {
  DEFAULT_RERANK_CHAINS,
  DEFAULT_RERANK_EVAL_CONFIG,
  presetChain,
  RERANK_METRICS,
  runRerankEval,
  type ChainResult,
  type RerankChain,
  type RerankEvalReport,
} from '../../lab/rerank-eval.js';
import { parseRerankerSpec, type RerankerSpecInput } from '../../rerank/index.js';
import { writeFileAtomic } from '../../core/index.js';
import { parse } from '../options.js';
import type { CliContext } from '../program.js';
import type { Progress, Terminal } from '../terminal.js';

interface EvalRerankFlags {
  chain: RerankChain[];
  seeds: number;
  seed: string;
  items: number;
  days: number;
  sessionsPerDay: number;
  queries: number;
  chart?: string;
  json?: boolean;
}

/** `quarry eval rerank`: reranker chains on simulated shops, relevance against diversity and revenue. */
export function addEvalRerank(evalCommand: Command, context: CliContext): void {
  const d = DEFAULT_RERANK_EVAL_CONFIG;
  evalCommand
    .command('rerank')
    .description('reranker chains on simulated shops: nDCG, alpha-nDCG, ILD, coverage, Gini, new-item share, expected CTR and ad revenue with 95% CIs over seeds')
    .option(
      '--chain <chain>',
      `a chain (repeat): noop, mmr[:lambda], dpp[:theta], scatter, slot-mix, several joined by +, or a JSON file of reranker specs (default ${DEFAULT_RERANK_CHAINS.join(', ')})`,
      collectChain,
      [],
    )
    .option('--seeds <n>', 'shops (seeds) to run; the spread over them gives the intervals', parse.int(1, 100), d.seeds.length)
    .option('--seed <prefix>', 'seed prefix: shops are <prefix>-1 .. <prefix>-n', 'rerank')
    .option('--items <n>', 'catalog size (users: 0.4 per item)', parse.int(50, 1_000_000), d.items)
    .option('--days <n>', 'days of history before the judged day', parse.int(1, 365), d.days)
    .option('--sessions-per-day <n>', 'sessions a day', parse.int(1, 1_000_000), d.sessionsPerDay)
    .option('--queries <n>', 'judged queries per seed at most', parse.int(1, 1_000_000), d.queries)
    .option('--chart <file.html>', 'write an HTML page with SVG scatter plots of nDCG against alpha-nDCG and ILD per chain')
    .option('--json', 'print the report as one JSON object on stdout (the table goes to stderr)')
    .action((flags: EvalRerankFlags) => evalRerankCommand(context.terminal, flags, context.signal));
}

/** A preset name, or a JSON file: one spec, an array of specs, or `{ "name", "rerankers": [...] }`. */
function collectChain(value: string, previous: RerankChain[]): RerankChain[] {
  if (!value.endsWith('.json')) {
    try {
      return [...previous, presetChain(value)];
    } catch (error) {
      throw new CommanderArgumentError((error as Error).message);
    }
  }
  let input: unknown;
  try {
    input = JSON.parse(readFileSync(value, 'utf8')) as unknown;
  } catch (error) {
    throw new CommanderArgumentError(`cannot read the chain file ${value}: ${(error as Error).message}`);
  }
  const named = typeof input === 'object' && input !== null && !Array.isArray(input) && 'rerankers' in input ? (input as { name?: unknown; rerankers: unknown }) : undefined;
  const specs = named?.rerankers ?? input;
  const list = (Array.isArray(specs) ? specs : [specs]) as unknown[];
  try {
    list.forEach((spec, i) => parseRerankerSpec(typeof spec === 'string' ? { type: spec } : spec, [i]));
  } catch (error) {
    throw new CommanderArgumentError(`chain file ${value}: ${(error as Error).message}`);
  }
  const name = typeof named?.name === 'string' ? named.name : basename(value, '.json');
  return [...previous, { name, rerankers: list as RerankerSpecInput[] }];
}

async function evalRerankCommand(terminal: Terminal, flags: EvalRerankFlags, signal: AbortSignal): Promise<void> {
  const chains = flags.chain.length > 0 ? flags.chain : DEFAULT_RERANK_CHAINS.map(presetChain);
  const bars = new Map<string, Progress>();
  const report = await runRerankEval({
    chains,
    signal,
    config: {
      seeds: Array.from({ length: flags.seeds }, (_, i) => `${flags.seed}-${i + 1}`),
      items: flags.items,
      days: flags.days,
      sessionsPerDay: flags.sessionsPerDay,
      queries: flags.queries,
    },
    onProgress: (p) => {
      const key = `${p.seed} ${p.phase}`;
      let bar = bars.get(key);
      if (bar === undefined) bars.set(key, (bar = terminal.progress(key, p.total)));
      bar.update(p.done, p.total);
      if (p.done >= p.total) bar.stop();
    },
  }).finally(() => {
    for (const bar of bars.values()) bar.stop();
  });
  const table = formatTable(report);
  if (flags.json === true) {
    terminal.info(table);
    terminal.out(JSON.stringify(report));
  } else {
    terminal.out(table);
  }
  if (flags.chart !== undefined) {
    await writeFileAtomic(flags.chart, chartHtml(report));
    terminal.info(`chart written to ${flags.chart}`);
  }
}

/** One line per chain: each metric's mean and its 95% interval. */
export function formatTable(report: RerankEvalReport): string {
  const fmt = (x: number): string => (Math.abs(x) >= 10 ? x.toFixed(2) : x.toFixed(4));
  const header = ['chain', ...RERANK_METRICS];
  const rows = report.results.map((r) => [r.chain, ...RERANK_METRICS.map((m) => `${fmt(r[m].mean)} [${fmt(r[m].low)}, ${fmt(r[m].high)}]`)]);
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((row) => (row[c] as string).length)));
  const line = (cells: string[]): string => cells.map((cell, c) => cell.padEnd(widths[c] as number)).join('  ').trimEnd();
  const { seeds, items } = report.config;
  return [
    `${seeds.length} seeds × ${items} items, ${report.queries.join('/')} judged queries; mean [95% t-interval over seeds]`,
    line(header),
    ...rows.map(line),
  ].join('\n');
}

/** An HTML page with two hand-drawn SVG scatter plots (no scripts, no network resources). */
export function chartHtml(report: RerankEvalReport): string {
  const panels = [
    scatterSvg(report.results, { x: 'ndcg_at_10', y: 'alpha_ndcg_at_10' }),
    scatterSvg(report.results, { x: 'ndcg_at_10', y: 'ild' }),
  ];
  return [
    '<!doctype html><html><head><meta charset="utf-8"><title>quarry eval rerank</title>',
    '<style>body{font:14px sans-serif;margin:24px}svg{margin-right:24px}</style></head><body>',
    `<h1>Reranker chains: relevance against diversity</h1><p>${escapeHtml(formatTable(report).split('\n')[0] ?? '')}. Bars are 95% intervals.</p>`,
    ...panels,
    `<pre>${escapeHtml(formatTable(report))}</pre></body></html>`,
  ].join('\n');
}

const SIZE = { width: 460, height: 360, margin: 56 };
const COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b', '#e377c2', '#17becf', '#7f7f7f', '#bcbd22'];

function scatterSvg(results: readonly ChainResult[], axes: { x: 'ndcg_at_10'; y: 'alpha_ndcg_at_10' | 'ild' }): string {
  const { width, height, margin } = SIZE;
  const range = (metric: 'ndcg_at_10' | 'alpha_ndcg_at_10' | 'ild'): [number, number] => {
    const lo = Math.min(...results.map((r) => r[metric].low));
    const hi = Math.max(...results.map((r) => r[metric].high));
    const pad = Math.max((hi - lo) * 0.1, 1e-3);
    return [lo - pad, hi + pad];
  };
  const [x0, x1] = range(axes.x);
  const [y0, y1] = range(axes.y);
  const px = (v: number): number => margin + ((v - x0) / (x1 - x0)) * (width - 2 * margin);
  const py = (v: number): number => height - margin - ((v - y0) / (y1 - y0)) * (height - 2 * margin);
  const points = results.map((r, i) => {
    const colour = COLOURS[i % COLOURS.length] as string;
    const [x, y] = [px(r[axes.x].mean), py(r[axes.y].mean)];
    return [
      `<line x1="${px(r[axes.x].low)}" x2="${px(r[axes.x].high)}" y1="${y}" y2="${y}" stroke="${colour}"/>`,
      `<line x1="${x}" x2="${x}" y1="${py(r[axes.y].low)}" y2="${py(r[axes.y].high)}" stroke="${colour}"/>`,
      `<circle cx="${x}" cy="${y}" r="4" fill="${colour}"><title>${escapeHtml(r.chain)}</title></circle>`,
      `<text x="${x + 6}" y="${y - 6}" fill="${colour}">${escapeHtml(r.chain)}</text>`,
    ].join('');
  });
  const ticks = (lo: number, hi: number): number[] => [0, 0.25, 0.5, 0.75, 1].map((t) => lo + t * (hi - lo));
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-size="11">`,
    `<rect x="${margin}" y="${margin}" width="${width - 2 * margin}" height="${height - 2 * margin}" fill="none" stroke="#999"/>`,
    ...ticks(x0, x1).map((v) => `<text x="${px(v)}" y="${height - margin + 16}" text-anchor="middle">${v.toFixed(3)}</text>`),
    ...ticks(y0, y1).map((v) => `<text x="${margin - 6}" y="${py(v) + 4}" text-anchor="end">${v.toFixed(3)}</text>`),
    `<text x="${width / 2}" y="${height - 12}" text-anchor="middle">${axes.x} (relevance)</text>`,
    `<text x="14" y="${height / 2}" text-anchor="middle" transform="rotate(-90 14 ${height / 2})">${axes.y}</text>`,
    ...points,
    '</svg>',
  ].join('\n');
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
