import { Command, Option } from 'commander';
import { EVENT_TYPES, type EventType } from '../core/index.js';
import type { RunningServer } from '../server/index.js';
import { DEFAULT_TRAFFIC_CONFIG, DEFAULT_WORLD_CONFIG } from '../sim/index.js';
import { exportCommand, ingestCommand } from './commands/data.js';
import { demoCommand } from './commands/demo.js';
import { addEval } from './commands/eval.js';
import { addIndex } from './commands/index-command.js';
import { addTrain } from './commands/train.js';
import { addVectors } from './commands/vectors.js';
import { simulateCommand, type WorldFlags } from './commands/simulate.js';
import { defaultDbPath, defaultPort, parse, readEngineConfig } from './options.js';
import type { Terminal } from './terminal.js';
import { QUARRY_VERSION } from './version.js';

export interface CliContext {
  terminal: Terminal;
  /** Aborted on the first SIGINT/SIGTERM: long work stops, a server shuts down gracefully. */
  signal: AbortSignal;
  /** Set when a command finished but must exit non-zero (e.g. ingest rejected lines). */
  exitCode: number;
  /** Tests learn the server's address here. */
  onListening?: (server: RunningServer) => void;
}

interface ServeFlagsRaw extends WorldFlags {
  db: string;
  port: number;
  host: string;
  config?: string;
  verbose?: boolean;
}

/** The `quarry` command line. Parsing only: each action hands over to a function in `commands/`. */
export function buildProgram(context: CliContext): Command {
  const program = new Command('quarry')
    .description('Quarry: search, suggestions and recommendations that learn from their own logs')
    .version(QUARRY_VERSION)
    .showHelpAfterError('(run with --help for usage)');
  addDemoAndServe(program, context);
  addSimulate(program, context);
  addIngest(program, context);
  addExport(program, context);
  addEval(program, context);
  addIndex(program, context);
  addTrain(program, context);
  addVectors(program, context);
  return program;
}

const dbOption = () => new Option('--db <path>', 'SQLite database file (env QUARRY_DB)').default(defaultDbPath());
const configOption = () => new Option('--config <file>', 'engine configuration (JSON); see docs/configuration.md');

function withServeOptions(command: Command): Command {
  return command
    .addOption(dbOption())
    .addOption(new Option('--port <n>', 'port to listen on; 0 picks a free one (env PORT)').argParser(parse.port))
    .option('--host <host>', 'interface to listen on (0.0.0.0 for all)', '127.0.0.1')
    .addOption(configOption())
    .option('--verbose', 'log every request (JSON lines on stdout)');
}

function withWorldOptions(command: Command): Command {
  return command
    .option('--seed <seed>', 'simulation seed', String(DEFAULT_WORLD_CONFIG.seed))
    .option('--items <n>', 'catalog size', parse.int(10, 10_000_000), DEFAULT_WORLD_CONFIG.items)
    .option('--users <n>', 'number of users', parse.int(1, 10_000_000), DEFAULT_WORLD_CONFIG.users)
    .option('--days <n>', 'days of traffic', parse.int(0, 3_650), DEFAULT_TRAFFIC_CONFIG.days)
    .option('--sessions-per-day <n>', 'sessions a day', parse.int(0, 10_000_000), DEFAULT_TRAFFIC_CONFIG.sessionsPerDay)
    .option('--list-effects', 'simulated shoppers discount items like those they already saw above in a list (the click model redundancy; docs/simulator.md)');
}

function addDemoAndServe(program: Command, context: CliContext): void {
  const run = (flags: ServeFlagsRaw & { port?: number }, world: WorldFlags | undefined) =>
    demoCommand(context.terminal, {
      serve: { ...flags, port: flags.port ?? defaultPort() },
      world,
      engineConfig: readEngineConfig(flags.config),
      signal: context.signal,
      ...(context.onListening ? { onListening: context.onListening } : {}),
    });
  withServeOptions(withWorldOptions(program.command('demo')))
    .description('simulate a shop if the database is empty, load it and serve it (what `npm start` runs)')
    .action((flags: ServeFlagsRaw) => run(flags, worldFlags(flags)));
  withServeOptions(program.command('serve'))
    .description('load the database and serve it over HTTP')
    .action((flags: ServeFlagsRaw) => run(flags, undefined));
}

function addSimulate(program: Command, context: CliContext): void {
  withWorldOptions(program.command('simulate'))
    .description('fill a new database with a simulated shop: catalog, users, and their history against the engine')
    .addOption(dbOption())
    .addOption(configOption())
    .option('--force', 'replace the database if it holds data')
    .option('--json', 'print the summary as one JSON object on stdout')
    .action((flags: ServeFlagsRaw & { force?: boolean; json?: boolean }) =>
      simulateCommand(context.terminal, {
        db: flags.db,
        force: flags.force === true,
        json: flags.json === true,
        flags: worldFlags(flags),
        engineConfig: readEngineConfig(flags.config),
        signal: context.signal,
      }),
    );
}

function addIngest(program: Command, context: CliContext): void {
  program
    .command('ingest')
    .description('load items, users or events from a JSONL or CSV file (rejected lines are reported; exit 1 if any)')
    .argument('<kind>', 'items | users | events', parse.oneOf(['items', 'users', 'events'] as const))
    .argument('<file>', 'a .jsonl or .csv file')
    .addOption(dbOption())
    .addOption(new Option('--format <format>', 'jsonl | csv (default: from the extension)').choices(['jsonl', 'csv']))
    .option('--batch-size <n>', 'records per transaction', parse.int(1, 100_000), 1_000)
    .option('--json', 'print the report as one JSON object on stdout')
    .action(async (kind: 'items' | 'users' | 'events', file: string, flags: { db: string; format?: 'jsonl' | 'csv'; batchSize: number; json?: boolean }) => {
      const report = await ingestCommand(context.terminal, {
        db: flags.db,
        kind,
        path: file,
        format: flags.format,
        batchSize: flags.batchSize,
        json: flags.json === true,
        signal: context.signal,
      });
      if (report.rejectedCount > 0) context.exitCode = 1;
    });
}

function addExport(program: Command, context: CliContext): void {
  program
    .command('export')
    .description('write items, users, events or the aggregated query log as JSONL or CSV')
    .argument('<kind>', 'items | users | events | queries', parse.oneOf(['items', 'users', 'events', 'queries'] as const))
    .addOption(dbOption())
    .addOption(new Option('--format <format>', 'jsonl | csv').choices(['jsonl', 'csv']).default('jsonl'))
    .option('--out <file>', 'write to a file instead of stdout')
    .option('--from <time>', 'events/queries from this time (epoch ms or ISO-8601), inclusive', parse.time)
    .option('--to <time>', 'events/queries before this time, exclusive', parse.time)
    .option('--types <types>', `event types, comma-separated (${EVENT_TYPES.join(', ')})`, parseEventTypes)
    .action((kind: 'items' | 'users' | 'events' | 'queries', flags: ExportFlags) =>
      exportCommand(context.terminal, { db: flags.db, kind, format: flags.format, out: flags.out, ...optionalRange(flags) }),
    );
}

interface ExportFlags {
  db: string;
  format: 'jsonl' | 'csv';
  out?: string;
  from?: number;
  to?: number;
  types?: EventType[];
}

function worldFlags(flags: WorldFlags): WorldFlags {
  const { seed, items, users, days, sessionsPerDay, listEffects } = flags;
  return { seed, items, users, days, sessionsPerDay, ...(listEffects === true ? { listEffects } : {}) };
}

function optionalRange(flags: ExportFlags): { from?: number; to?: number; types?: EventType[] } {
  return {
    ...(flags.from === undefined ? {} : { from: flags.from }),
    ...(flags.to === undefined ? {} : { to: flags.to }),
    ...(flags.types === undefined ? {} : { types: flags.types }),
  };
}

function parseEventTypes(value: string): EventType[] {
  return value.split(',').map((t) => parse.oneOf(EVENT_TYPES)(t.trim()));
}
