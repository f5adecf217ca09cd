// The `quarry` command: parse, run, map the outcome to an exit code (0 ok, 1 failure, 2 bad usage,
// 130 interrupted).
import { CommanderError, type Command } from 'commander';
import { QuarryError } from '../core/index.js';
import { UsageError } from './options.js';
import { buildProgram, type CliContext } from './program.js';
import { processTerminal, type Terminal } from './terminal.js';

export const EXIT = { ok: 0, failure: 1, usage: 2, interrupted: 130 } as const;

/** Runs the CLI with `argv` (without node and the script) and returns the exit code. */
export async function runCli(argv: readonly string[], options: Partial<Pick<CliContext, 'terminal' | 'onListening'>> = {}): Promise<number> {
  const terminal = options.terminal ?? processTerminal;
  const abort = new AbortController();
  const context: CliContext = { terminal, signal: abort.signal, exitCode: EXIT.ok, ...options };
  const program = buildProgram(context);
  // Every command at every depth (`quarry eval search`, `quarry train ctr`): commander must throw, not exit.
  const all = (command: Command): Command[] => [command, ...command.commands.flatMap(all)];
  for (const command of all(program)) {
    command.exitOverride().configureOutput({ writeOut: (s) => terminal.out(s), writeErr: (s) => terminal.info(s) });
  }

  // The first SIGINT/SIGTERM asks the running command to stop (long work stops at its next
  // checkpoint; a server shuts down gracefully); a second one quits at once.
  const interrupt = (signal: NodeJS.Signals): void => {
    if (abort.signal.aborted) process.exit(EXIT.interrupted);
    abort.abort(signal);
  };
  process.on('SIGINT', interrupt);
  process.on('SIGTERM', interrupt);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return context.exitCode;
  } catch (error) {
    return exitCodeFor(error, terminal);
  } finally {
    process.off('SIGINT', interrupt);
    process.off('SIGTERM', interrupt);
  }
}

function exitCodeFor(error: unknown, terminal: Terminal): number {
  if (error instanceof CommanderError) {
    // commander has already printed its message.
    return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  }
  if (error instanceof UsageError) {
    terminal.info(`quarry: ${error.message}`);
    return EXIT.usage;
  }
  if (error instanceof QuarryError && error.code === 'CANCELLED') {
    terminal.info(`quarry: ${error.message}`);
    return EXIT.interrupted;
  }
  terminal.info(`quarry: ${error instanceof Error ? error.message : String(error)}`);
  if (!(error instanceof QuarryError) && error instanceof Error && error.stack !== undefined) terminal.info(error.stack);
  return EXIT.failure;
}
