import { InvalidArgumentError as CommanderArgumentError, type Command } from 'commander';
import { DEFAULT_RERANK_AB_CHAINS, DEFAULT_RERANK_AB_CONFIG, RERANK_AB_METRICS, runRerankAb, type RerankAbReport } from '../../lab/rerank-ab.js';
import { parse } from '../options.js';
import type { CliContext } from '../program.js';
import type { Progress } from '../terminal.js';
import { LIST_EFFECTS } from '../../sim/index.js';

interface EvalRerankAbFlags {
  arm: string[];
  seeds: number;
  seed: string;
  items: number;
  historyDays: number;
  testDays: number;
  sessionsPerDay: number;
  listEffects?: boolean;
  json?: boolean;
}

const ARM_NAMES = DEFAULT_RERANK_AB_CHAINS.map((c) => c.name);

/**
 * `quarry eval rerank-ab`: each reranker as an arm of a simulated A/B test against the ranker's order
 * alone (`runRerankAb`): realised CTR, purchases, revenue, coverage, new-item share, alpha-nDCG and ILD
 * with 95% intervals over seeds and of the difference to the `none` arm.
 */
export function addEvalRerankAb(evalCommand: Command, context: CliContext): void {
  const d = DEFAULT_RERANK_AB_CONFIG;
  evalCommand
    .command('rerank-ab')
    .description('each reranker as an arm of a simulated A/B test against the ranker alone: CTR, purchases, revenue, diversity, new-item share with 95% CIs')
    .option('--arm <name>', `an arm (repeat; "none" is always the control): ${ARM_NAMES.join(', ')} (default: all)`, collectArm, [])
    .option('--seeds <n>', 'shops (seeds); the spread over them gives the intervals', parse.int(1, 100), d.seeds.length)
    .option('--seed <prefix>', 'seed prefix: shops are <prefix>-1 .. <prefix>-n', 'rerank-ab')
    .option('--items <n>', 'catalog size (users: 0.4 per item)', parse.int(50, 1_000_000), d.items)
    .option('--history-days <n>', 'days of history against the ranker alone', parse.int(1, 365), d.historyDays)
    .option('--test-days <n>', 'days each arm serves', parse.int(1, 365), d.testDays)
    .option('--sessions-per-day <n>', 'sessions a day', parse.int(1, 1_000_000), d.sessionsPerDay)
    .option('--list-effects', 'simulated shoppers discount items like those they already saw above in a list (the click model redundancy; docs/simulator.md)')
    .option('--json', 'print the report as one JSON object on stdout (the table goes to stderr)')
    .action(async (flags: EvalRerankAbFlags) => {
      const { terminal } = context;
      const wanted = new Set(['none', ...flags.arm]);
      const chains = DEFAULT_RERANK_AB_CHAINS.filter((c) => flags.arm.length === 0 || wanted.has(c.name));
      let bar: Progress | undefined;
      let label = '';
      const report = await runRerankAb({
        chains,
        signal: context.signal,
        config: {
          seeds: Array.from({ length: flags.seeds }, (_, i) => `${flags.seed}-${i + 1}`),
          items: flags.items,
          historyDays: flags.historyDays,
          testDays: flags.testDays,
          sessionsPerDay: flags.sessionsPerDay,
          ...(flags.listEffects === true ? { clickModel: LIST_EFFECTS } : {}),
        },
        onProgress: (p) => {
          const next = `${p.seed} ${p.phase}${p.arm === undefined ? '' : ` ${p.arm}`}`;
          if (next !== label) {
            bar?.stop();
            label = next;
            bar = terminal.progress(next, p.total);
          }
          bar?.update(p.done, p.total);
        },
      }).finally(() => bar?.stop());
      const table = formatAbTable(report);
      if (flags.json === true) {
        terminal.info(table);
        terminal.out(JSON.stringify(report));
      } else {
        terminal.out(table);
      }
    });
}

function collectArm(value: string, previous: string[]): string[] {
  if (!ARM_NAMES.includes(value)) throw new CommanderArgumentError(`unknown arm "${value}", expected one of ${ARM_NAMES.join(', ')}`);
  return [...previous, value];
}

/** One line per arm: each metric's mean and the 95% interval of its difference to the control. */
export function formatAbTable(report: RerankAbReport): string {
  const fmt = (x: number): string => (Math.abs(x) >= 10 ? x.toFixed(2) : x.toFixed(4));
  const header = ['arm', ...RERANK_AB_METRICS];
  const rows = report.results.map((r) => [r.chain, ...RERANK_AB_METRICS.map((m) => `${fmt(r[m].mean)} (Δ ${fmt(r[m].delta.low)}..${fmt(r[m].delta.high)})`)]);
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((row) => (row[c] as string).length)));
  const line = (cells: string[]): string => cells.map((cell, c) => cell.padEnd(widths[c] as number)).join('  ').trimEnd();
  const { seeds, items, sessionsPerDay, historyDays, testDays } = report.config;
  return [
    `${seeds.length} seeds × ${items} items, ${historyDays} history + ${testDays} test days × ${sessionsPerDay} sessions; mean (95% t-interval of the difference to ${report.control})`,
    line(header),
    ...rows.map(line),
  ].join('\n');
}
