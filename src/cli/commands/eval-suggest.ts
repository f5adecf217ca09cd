import { existsSync, readFileSync } from 'node:fs';
import { InvalidArgumentError as CommanderArgumentError, type Command } from 'commander';
import { InvalidArgumentError, NotFoundError, QUERY_SOURCES } from '../../core/index.js';
import {
  DEFAULT_SUGGEST_EVAL,
  evaluateSuggest,
  SUGGEST_INPUTS,
  type LoggedQuery,
  type QueryOriginReport,
  type SuggestEvalReport,
  type SuggestEvalSystems,
} from '../../eval/index.js';
import { readStoreSearches, type NextQueryReport, type StoreSearchLog } from '../../lab/index.js';
import { SqliteStore } from '../../store/index.js';
import { hasHan, mineQueries, parseQueryLog, PopularPrefixSuggester, QuerySuggester, suggestionKeys, variantKey } from '../../suggest/index.js';
import { parse, UsageError } from '../options.js';
import type { CliContext } from '../program.js';
import type { Progress, Terminal } from '../terminal.js';

export interface EvalSuggestRun {
  /** A query log: `qid<TAB>query` lines, a JSON array or JSONL of `{query, popularity}`; or undefined with `store`. */
  log: string | undefined;
  /** An event store (SQLite file): its searches split by time, plus related, click-back and origins. */
  store?: string | undefined;
  split: number;
  seed: string;
  candidates: 'train' | 'all';
  maxHeldOut: number;
  maxPrefixLength: number;
  json: boolean;
  signal: AbortSignal;
}

/**
 * `quarry eval suggest`: replays a query log's held-out issues prefix by prefix against Quarry's
 * `QuerySuggester` and the plain most-popular-prefix baseline (`PopularPrefixSuggester`), both
 * built from the same training part in the same run. See `docs/suggestions.md`.
 */
export async function evalSuggestCommand(terminal: Terminal, run: EvalSuggestRun): Promise<SuggestEvalReport & { store?: StoreReport }> {
  if ((run.log === undefined) === (run.store === undefined)) throw new UsageError('give either --log FILE or --store DB');
  const source = (run.log ?? run.store) as string;
  if (!existsSync(source)) throw new NotFoundError(`no such file: ${source}`);
  let queries: LoggedQuery[];
  let fromStore: StoreSearchLog | undefined;
  if (run.log !== undefined) {
    const parsed = parseQueryLog(readFileSync(run.log, 'utf8'), run.log);
    queries = parsed.queries;
    terminal.info(`${run.log}: ${parsed.format}, ${queries.length} distinct queries, ${queries.reduce((s, q) => s + q.count, 0)} issues`);
  } else {
    fromStore = await readStore(source, run);
    queries = fromStore.log;
    terminal.info(`${source}: ${fromStore.searches} searches of ${queries.length} distinct queries; held out from ${new Date(fromStore.splitTime).toISOString()}`);
  }
  let bar: Progress | undefined;
  try {
    const evaluated = await evaluateSuggest(queries, suggestSystems(), {
      ...(fromStore === undefined ? {} : { presplit: fromStore.presplit }),
      split: run.split,
      seed: run.seed,
      candidates: run.candidates,
      maxHeldOut: run.maxHeldOut,
      maxPrefixLength: run.maxPrefixLength,
      signal: run.signal,
      onProgress: (p) => {
        if (p.phase === 'replay') (bar ??= terminal.progress('replay', p.total)).update(p.done);
      },
    });
    bar?.stop();
    const report: SuggestEvalReport & { store?: StoreReport } = fromStore === undefined ? evaluated : { ...evaluated, store: storeReport(fromStore) };
    terminal.out(run.json ? JSON.stringify(report) : [formatReport(source, evaluated), ...(report.store === undefined ? [] : [formatStoreReport(report.store)])].join('\n'));
    return report;
  } finally {
    bar?.stop();
  }
}

/** What `--store` adds to the report: searches by origin, related and click-back hit@5. */
export interface StoreReport {
  split_time: number;
  origins: QueryOriginReport;
  related: NextQueryReport;
  click_back: NextQueryReport;
}

async function readStore(path: string, run: EvalSuggestRun): Promise<StoreSearchLog> {
  const store = await SqliteStore.open({ path });
  try {
    const read = await readStoreSearches(store, { split: run.split, signal: run.signal });
    if (read.searches === 0) throw new InvalidArgumentError(`${path} holds no query events`);
    return read;
  } finally {
    await store.close();
  }
}

function storeReport(read: StoreSearchLog): StoreReport {
  return { split_time: read.splitTime, origins: read.origins, related: read.related, click_back: read.clickBack };
}

function formatStoreReport(r: StoreReport): string {
  const header = ['origin', 'searches', 'share', 'ctr', 'click rate', 'purchases/search'];
  const rows = [...QUERY_SOURCES.map((s) => [s, r.origins.by_source[s]] as const), ['all offered', r.origins.offered] as const].map(([name, m]) => [
    name,
    String(m.searches),
    m.share.toFixed(4),
    m.ctr.toFixed(4),
    m.click_rate.toFixed(4),
    m.purchases_per_search.toFixed(4),
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((row) => (row[c] as string).length)));
  const line = (cells: string[]) => cells.map((cell, c) => cell.padEnd(widths[c] as number)).join('  ').trimEnd();
  const next = (name: string, n: NextQueryReport) =>
    `${name}: ${n.pairs} held-out steps, hit@5 ${n.hit_at_5.toFixed(4)} (popular baseline ${n.baseline_hit_at_5.toFixed(4)}), coverage ${n.coverage.toFixed(4)}`;
  return [`searches by origin (${r.origins.searches}):`, line(header), ...rows.map(line), next('related (next query)', r.related), next('click-back (next query after a click)', r.click_back)].join('\n');
}

/** Quarry's suggester and the baseline, both counting each logged issue as one anonymous user's. */
export function suggestSystems(): SuggestEvalSystems {
  return {
    build: async (train) => {
      const suggester = await QuerySuggester.build(mineQueries(train, { config: { minUsers: 1 } }));
      return { complete: (prefix, limit) => suggester.suggest(prefix, { limit }).suggestions.map((s) => s.text) };
    },
    buildBaseline: (train) => {
      const baseline = new PopularPrefixSuggester({ minUsers: 1, maxLength: 100 });
      let user = 0;
      for (const { query, count } of train) for (let k = 0; k < count; k++) baseline.observe(`u${user++}`, query);
      return Promise.resolve({ complete: (prefix, limit) => baseline.suggest(prefix, limit).suggestions.map((s) => s.text) });
    },
    typedForms: (text) => {
      if (!hasHan(text)) return {};
      const keys = suggestionKeys(text);
      return { ...(keys.romanized === undefined ? {} : { pinyin: keys.romanized }), ...(keys.initials === undefined ? {} : { initials: keys.initials }) };
    },
    queryKey: variantKey,
  };
}

function formatReport(log: string, r: SuggestEvalReport): string {
  const lines = [
    `${log}: ${r.queries} queries, ${r.issues} issues; split ${r.split} (seed ${r.seed}); candidates ${r.candidates}: ${r.train_queries} offered`,
    `held out: ${r.held_out} issues of ${r.held_out_queries} queries, coverage ${r.coverage.toFixed(4)}; build ${r.build_s} s (baseline ${r.baseline_build_s} s)`,
    `overall (characters): MRR@10 ${r.mrr_at_10.toFixed(4)} vs baseline ${r.baseline_mrr_at_10.toFixed(4)}`,
  ];
  const header = ['input', 'len', 'n', 'mrr@10', 'baseline', 's@1', 'baseline', 's@5', 'baseline'];
  const rows: string[][] = [];
  for (const input of SUGGEST_INPUTS) {
    const report = r.by_input[input];
    for (const row of [...report.by_prefix_length, { ...report, prefix_length: 'all' }]) {
      rows.push([input, String(row.prefix_length), String(row.n), ...[row.mrr_at_10, row.baseline_mrr_at_10, row.success_at_1, row.baseline_success_at_1, row.success_at_5, row.baseline_success_at_5].map((x) => x.toFixed(4))]);
    }
  }
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((row) => (row[c] as string).length)));
  const line = (cells: string[]) => cells.map((cell, c) => cell.padEnd(widths[c] as number)).join('  ').trimEnd();
  return [...lines, line(header), ...rows.map(line)].join('\n');
}

const parseSplit = (value: string): number => {
  const x = Number(value);
  if (value.trim() === '' || !(x > 0 && x < 1)) throw new CommanderArgumentError(`must be a number between 0 and 1 (exclusive), got "${value}"`);
  return x;
};

interface EvalSuggestFlags {
  log?: string;
  store?: string;
  split: number;
  seed: string;
  candidates: 'train' | 'all';
  maxHeldOut: number;
  maxPrefix: number;
  json?: boolean;
}

/** Registers `quarry eval suggest`. */
export function addEvalSuggest(evalCommand: Command, context: CliContext): void {
  const d = DEFAULT_SUGGEST_EVAL;
  evalCommand
    .command('suggest')
    .description('query suggestion by replaying a query log prefix by prefix: MRR@10 and success@1/@5 per prefix length, against the most-popular-prefix baseline')
    .option('--log <file>', 'query log: qid<TAB>query lines, or a JSON array / JSONL of {query, popularity}')
    .option('--store <db>', 'or an event store (SQLite): its searches split by time; adds searches by origin, related and click-back hit@5')
    .option('--split <x>', 'share of the issues used for training', parseSplit, d.split)
    .option('--seed <seed>', 'split, sample and typo seed', d.seed)
    .option('--candidates <set>', 'train: only training queries can be suggested; all: every query of the log, popularity from training', parse.oneOf(['train', 'all'] as const), d.candidates)
    .option('--max-held-out <n>', 'held-out issues replayed at most (a seeded sample)', parse.int(1, 10_000_000), d.maxHeldOut)
    .option('--max-prefix <n>', 'longest prefix typed, in characters', parse.int(1, 100), d.maxPrefixLength)
    .option('--json', 'print the report as one JSON object on stdout')
    // Nested subcommands do not inherit the exit override runCli sets on top-level commands.
    .exitOverride()
    .configureOutput({ writeOut: (s) => context.terminal.out(s), writeErr: (s) => context.terminal.info(s) })
    .action(async (flags: EvalSuggestFlags) => {
      await evalSuggestCommand(context.terminal, {
        log: flags.log,
        store: flags.store,
        split: flags.split,
        seed: flags.seed,
        candidates: flags.candidates,
        maxHeldOut: flags.maxHeldOut,
        maxPrefixLength: flags.maxPrefix,
        json: flags.json === true,
        signal: context.signal,
      });
    });
}
