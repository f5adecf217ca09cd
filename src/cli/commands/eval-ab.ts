import { InvalidArgumentError as CommanderArgumentError, type Command } from 'commander';
import { AB_METRICS, DEFAULT_AB_TEST_CONFIG, runAbTest, type AbArm, type AbTestResult } from '../../lab/index.js';
import { LIST_EFFECTS } from '../../sim/index.js';
import { parse, readEngineConfig } from '../options.js';
import type { CliContext } from '../program.js';
import type { Progress, Terminal } from '../terminal.js';

/** Arms by name alone: the baseline ranker and the learned one. */
const PRESETS: Record<string, unknown> = {
  popularity: { rank: { ranker: 'popularity' } },
  ctr: { rank: { ranker: 'ctr' } },
};

interface EvalAbFlags {
  arm: AbArm[];
  seeds: number;
  items: number;
  users: number;
  historyDays: number;
  testDays: number;
  sessionsPerDay: number;
  seedPrefix: string;
  historyExploration: number;
  explorationTop: number;
  learning: 'live' | 'per-session';
  listEffects?: boolean;
  json?: boolean;
}

/** `quarry eval ab`: A/B dry runs in the simulated shop, with confidence intervals over seeds. */
export function addEvalAb(evalCommand: Command, context: CliContext): void {
  const d = DEFAULT_AB_TEST_CONFIG;
  evalCommand
    .command('ab')
    .description('A/B test engine configurations on simulated shops: CTR, purchases, GMV, ad revenue, coverage with 95% CIs over seeds')
    .option('--arm <name[=config.json]>', 'an arm (repeat; the first is the control): popularity, ctr, or a name with an engine configuration file', collectArm, [])
    .option('--seeds <n>', 'shops (seeds) to run; the spread over them gives the intervals', parse.int(1, 100), d.seeds.length)
    .option('--items <n>', 'catalog size', parse.int(10, 1_000_000), d.world.items ?? 3_000)
    .option('--users <n>', 'shoppers', parse.int(1, 1_000_000), d.world.users ?? 1_500)
    .option('--history-days <n>', 'days of history before the test (served by popularity ranking)', parse.int(1, 365), d.historyDays)
    .option('--test-days <n>', 'days each arm serves', parse.int(1, 365), d.testDays)
    .option('--sessions-per-day <n>', 'sessions a day', parse.int(1, 1_000_000), d.sessionsPerDay)
    .option('--seed-prefix <text>', 'the shops are seeded PREFIX-1..PREFIX-n (fresh seeds to confirm what was chosen on others)', 'ab')
    .option('--history-exploration <rate>', 'share of history lists shown with their first --exploration-top items shuffled (a randomised logging policy)', share, d.historyExploration.rate)
    .option('--exploration-top <n>', 'how many of the first items an explored history list shuffles', parse.int(2, 1_000), d.historyExploration.topN)
    .option('--learning <mode>', 'when the arms learn the test days\' events: live (each at once, as a server) or per-session', parse.oneOf(['live', 'per-session'] as const), d.learning)
    .option('--list-effects', 'simulated shoppers discount items like those they already saw above in a list (the click model redundancy; docs/simulator.md)')
    .option('--json', 'print the result as one JSON object on stdout')
    .action((flags: EvalAbFlags) => evalAbCommand(context.terminal, flags, context.signal));
}

/** A number in [0, 1]. */
function share(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !(n >= 0 && n <= 1)) throw new CommanderArgumentError(`must be a number in [0, 1], got "${value}"`);
  return n;
}

function collectArm(value: string, previous: AbArm[]): AbArm[] {
  const [name, file] = value.split('=', 2) as [string, string | undefined];
  if (name.trim() === '') throw new CommanderArgumentError(`needs a name, got "${value}"`);
  const preset = PRESETS[name];
  if (file === undefined && preset === undefined) {
    throw new CommanderArgumentError(`"${name}" is not a preset (${Object.keys(PRESETS).join(', ')}); give a configuration file as ${name}=FILE.json`);
  }
  return [...previous, { name, engineConfig: file === undefined ? preset : readEngineConfig(file) }];
}

async function evalAbCommand(terminal: Terminal, flags: EvalAbFlags, signal: AbortSignal): Promise<void> {
  const arms = flags.arm.length > 0 ? flags.arm : Object.entries(PRESETS).map(([name, engineConfig]) => ({ name, engineConfig }));
  const seeds = Array.from({ length: flags.seeds }, (_, i) => `${flags.seedPrefix}-${i + 1}`);
  const bars = new Map<string, Progress>();
  const result = await runAbTest({
    arms,
    signal,
    config: {
      seeds,
      world: { items: flags.items, users: flags.users },
      historyDays: flags.historyDays,
      testDays: flags.testDays,
      sessionsPerDay: flags.sessionsPerDay,
      historyExploration: { rate: flags.historyExploration, topN: flags.explorationTop },
      learning: flags.learning,
      ...(flags.listEffects === true ? { clickModel: LIST_EFFECTS } : {}),
    },
    onProgress: (p) => {
      if (p.phase !== 'history') return;
      const key = `${p.seed} history`;
      let bar = bars.get(key);
      if (bar === undefined) bars.set(key, (bar = terminal.progress(p.seed, p.total)));
      bar.update(p.done, p.total);
      if (p.done >= p.total) bar.stop();
    },
  });
  for (const bar of bars.values()) bar.stop();
  printTable(terminal, result);
  if (flags.json === true) terminal.out(JSON.stringify(result));
}

function printTable(terminal: Terminal, result: AbTestResult): void {
  const control = result.arms[0] as string;
  terminal.info(`${result.perSeed.length} seeds; intervals are 95% (t over seeds); Δ is against ${control}, paired by seed`);
  for (const arm of result.arms) {
    const metrics = result.summary[arm];
    if (metrics === undefined) continue;
    const cells = AB_METRICS.map((metric) => {
      const { value, deltaVsControl: delta } = metrics[metric];
      const fmt = (x: number) => (Math.abs(x) >= 10 ? x.toFixed(2) : x.toFixed(4));
      return arm === control ? `${metric} ${fmt(value.mean)}` : `${metric} ${fmt(value.mean)} (Δ ${fmt(delta.mean)} [${fmt(delta.low)}, ${fmt(delta.high)}])`;
    });
    terminal.info(`  ${arm}: ${cells.join('; ')}`);
  }
}
