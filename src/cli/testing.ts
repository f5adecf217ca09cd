import { runCli } from './main.js';
import { recordingTerminal } from './terminal.js';

/** Runs `quarry <argv>` in process for tests: the exit code and what went to stdout and stderr. */
export async function runQuarry(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const terminal = recordingTerminal();
  const code = await runCli(argv, { terminal });
  return { code, stdout: terminal.stdout.join(''), stderr: terminal.stderr.join('') };
}
