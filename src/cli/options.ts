import { readFileSync } from 'node:fs';
import { InvalidArgumentError as CommanderArgumentError } from 'commander';
import { QuarryError, TimestampSchema } from '../core/index.js';
import { resolveEngineConfig } from '../engine/index.js';

/**
 * A mistake in how the command was called (an option's value, a missing file argument): exit code 2.
 * Failures of the work itself are other QuarryErrors (exit code 1).
 */
export class UsageError extends QuarryError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('INVALID_ARGUMENT', message, options);
  }
}

/** Where the data lives unless `--db` says otherwise. */
export function defaultDbPath(): string {
  return process.env.QUARRY_DB ?? 'data/quarry.db';
}

/**
 * The port when `--port` is not given: `PORT` from the environment (empty means unset), else 7700.
 * @throws UsageError when `PORT` is not a port number.
 */
export function defaultPort(): number {
  const fromEnv = process.env.PORT?.trim();
  if (fromEnv === undefined || fromEnv === '') return 7700;
  try {
    return parse.port(fromEnv);
  } catch (error) {
    throw new UsageError(`environment variable PORT ${(error as Error).message}`, { cause: error });
  }
}

/** commander argument parsers: each rejects a bad value with a message naming it (→ exit 2). */
export const parse = {
  int: (min: number, max: number) => (value: string): number => {
    const n = Number(value);
    if (!/^-?\d+$/.test(value.trim()) || n < min || n > max) {
      throw new CommanderArgumentError(`must be a whole number from ${min} to ${max}, got "${value}"`);
    }
    return n;
  },
  port: (value: string): number => parse.int(0, 65_535)(value),
  /** A number in (0, 1]. */
  fraction: (value: string): number => {
    const n = Number(value);
    if (value.trim() === '' || !(n > 0 && n <= 1)) throw new CommanderArgumentError(`must be a number in (0, 1], got "${value}"`);
    return n;
  },
  time: (value: string): number => {
    const parsed = TimestampSchema.safeParse(/^\d+$/.test(value) ? Number(value) : value);
    if (!parsed.success) throw new CommanderArgumentError(`must be epoch milliseconds or an ISO-8601 date-time, got "${value}"`);
    return parsed.data;
  },
  oneOf:
    <T extends string>(allowed: readonly T[]) =>
    (value: string): T => {
      if (!(allowed as readonly string[]).includes(value)) {
        throw new CommanderArgumentError(`must be one of ${allowed.join(', ')}, got "${value}"`);
      }
      return value as T;
    },
};

/**
 * Reads an engine configuration file (JSON) and validates it.
 * @throws UsageError naming the file and the bad field.
 */
export function readEngineConfig(path: string | undefined): unknown {
  if (path === undefined) return {};
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read the configuration file ${path}: ${(error as Error).message}`, { cause: error });
  }
  try {
    return resolveEngineConfig(JSON.parse(text) as unknown);
  } catch (error) {
    throw new UsageError(`configuration file ${path}: ${(error as Error).message}`, { cause: error });
  }
}
