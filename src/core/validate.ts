import type { z } from 'zod';
import { InvalidArgumentError, type FieldIssue } from './errors.js';

/** Zod issues → Quarry field issues (paths kept, messages prefixed with nothing: the path says where). */
export function toFieldIssues(error: z.ZodError, pathPrefix: readonly (string | number)[] = []): FieldIssue[] {
  return error.issues.map((issue) => ({
    path: [...pathPrefix, ...issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p))],
    message: issue.message,
  }));
}

/**
 * Parses `value` with `schema`, or throws an InvalidArgumentError naming the first bad field.
 * @param what names the value in the message (`item`, `search request`).
 * @throws InvalidArgumentError with one issue per problem.
 */
export function parseOrThrow<S extends z.ZodType>(
  schema: S,
  value: unknown,
  what: string,
  pathPrefix: readonly (string | number)[] = [],
): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = toFieldIssues(result.error, pathPrefix);
  const first = issues[0];
  const where = first === undefined || first.path.length === 0 ? '' : ` at ${first.path.join('.')}`;
  throw new InvalidArgumentError(`invalid ${what}${where}: ${first?.message ?? 'does not match the schema'}`, { issues });
}

/**
 * Parses every element of a batch; if any is bad, throws for the whole batch (nothing of it is kept),
 * listing every bad element's issues with the element's index in the path.
 * @throws InvalidArgumentError when the batch is not an array, is too long, or has a bad element.
 */
export function parseBatchOrThrow<S extends z.ZodType>(
  schema: S,
  values: unknown,
  options: { what: string; field: string; maxSize: number },
): z.output<S>[] {
  const { what, field, maxSize } = options;
  if (!Array.isArray(values)) {
    throw new InvalidArgumentError(`${field} must be an array of ${what}s`, { issues: [{ path: [field], message: 'must be an array' }] });
  }
  if (values.length > maxSize) {
    throw new InvalidArgumentError(`${field} has ${values.length} ${what}s, at most ${maxSize} are allowed per batch`, {
      issues: [{ path: [field], message: `at most ${maxSize} per batch, got ${values.length}` }],
    });
  }
  const parsed: z.output<S>[] = [];
  const issues: FieldIssue[] = [];
  values.forEach((value: unknown, index) => {
    const result = schema.safeParse(value);
    if (result.success) parsed.push(result.data);
    else issues.push(...toFieldIssues(result.error, [field, index]));
  });
  const first = issues[0];
  if (first !== undefined) {
    const bad = new Set(issues.map((i) => i.path[1])).size;
    throw new InvalidArgumentError(
      `${bad} of ${values.length} ${what}s are invalid; first at ${first.path.join('.')}: ${first.message}; nothing in the batch was written`,
      { issues },
    );
  }
  return parsed;
}

/** How far past the clock an event's time may be: clients' clocks drift, unit mistakes do not. */
export const FUTURE_TOLERANCE_MS = 86_400_000;

/**
 * One issue per event dated more than `FUTURE_TOLERANCE_MS` after `now`: almost always a unit mistake
 * (microseconds sent as milliseconds), and time-decayed statistics would let it fade everything else.
 * Paths are `[field, index, 'time']`.
 */
export function futureTimeIssues(events: readonly { time: number }[], options: { now: number; field: string }): FieldIssue[] {
  const limit = options.now + FUTURE_TOLERANCE_MS;
  return events.flatMap((event, index) =>
    event.time > limit
      ? [{ path: [options.field, index, 'time'], message: `is ${new Date(event.time).toISOString()}, in the future (times are epoch milliseconds)` }]
      : [],
  );
}
