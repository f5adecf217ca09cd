import { SingleBar, Presets } from 'cli-progress';

/**
 * Where the CLI writes: results to stdout (so `--json` output and exports stay clean), everything a
 * person reads (progress, summaries, warnings) to stderr.
 */
export interface Terminal {
  out(text: string): void;
  info(text: string): void;
  /** A progress bar on stderr; on a non-TTY it prints a line every few seconds instead. */
  progress(label: string, total: number): Progress;
}

export interface Progress {
  update(done: number, total?: number): void;
  stop(): void;
}

export const processTerminal: Terminal = {
  out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  info: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
  progress: (label, total) => {
    const bar = new SingleBar(
      {
        format: `${label.padEnd(10)} [{bar}] {percentage}% | {value}/{total} | {duration_formatted}`,
        stream: process.stderr,
        noTTYOutput: true,
        notTTYSchedule: 5_000,
        hideCursor: true,
        etaBuffer: 50,
      },
      Presets.shades_classic,
    );
    bar.start(Math.max(total, 1), 0);
    return {
      update: (done, newTotal) => {
        if (newTotal !== undefined) bar.setTotal(Math.max(newTotal, 1));
        bar.update(done);
      },
      stop: () => bar.stop(),
    };
  },
};

/** A terminal that records what was written, for tests. */
export function recordingTerminal(): Terminal & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return {
    stdout,
    stderr,
    out: (text) => stdout.push(text),
    info: (text) => stderr.push(text),
    progress: () => ({ update: () => {}, stop: () => {} }),
  };
}

/** Prints a warning when the engine fails to write served-list events in the background. */
export function backgroundErrorReporter(terminal: Terminal): (error: unknown) => void {
  return (error) => terminal.info(`warning: writing served-list events failed (they stay queued and are retried): ${String(error)}`);
}
