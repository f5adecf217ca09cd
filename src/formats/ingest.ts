import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { z } from 'zod';
import {
  CancelledError,
  EventSchema,
  ItemSchema,
  QuarryError,
  UserSchema,
  formatPath,
  futureTimeIssues,
  type Event,
  type Item,
  type User,
} from '../core/index.js';
import type { Store } from '../store/index.js';
import type { RecordKind } from './csv-columns.js';
import { readRecords, type FileFormat } from './read-records.js';

export interface Rejection {
  line: number;
  /** The first offending field, dotted, when the problem is with a field. */
  field?: string;
  /** Every problem of the line, `field: reason` after the first. */
  message: string;
}

export interface IngestReport {
  kind: RecordKind;
  path: string;
  /** Records read (blank lines not counted). */
  read: number;
  /** Records written: inserted or updated (items, users) or appended (events). */
  written: number;
  /** Events already in the store (same event id): skipped. */
  duplicates: number;
  /** Lines rejected (a line with several problems counts once). */
  rejectedCount: number;
  /** The first `maxReported` rejected lines, in line order. */
  rejected: Rejection[];
}

export interface IngestOptions {
  kind: RecordKind;
  path: string;
  format: FileFormat;
  /** Records per write (one transaction each); default 1,000. */
  batchSize?: number;
  /** How many rejections the report lists (all are counted); default 1,000. */
  maxReported?: number;
  onProgress?: (progress: { lines: number; totalLines: number; written: number; rejected: number }) => void;
  signal?: AbortSignal;
  /** Events dated more than a day past this are rejected, as over HTTP (default `Date.now()`). */
  now?: number;
}

const SCHEMAS = { items: ItemSchema, users: UserSchema, events: EventSchema } satisfies Record<RecordKind, z.ZodType>;

/**
 * Loads a JSONL or CSV file into the store. Each record is validated on its own: a bad line is
 * reported (line number, field, reason) and skipped; the good ones are written in batches, each batch
 * atomically. Interrupting (`signal`) stops after the batch in flight; what was written stays.
 * @throws QuarryError when the file cannot be read or is not well-formed CSV (with the line number).
 */
export async function ingestFile(store: Store, options: IngestOptions): Promise<IngestReport> {
  const { kind, path } = options;
  const batchSize = options.batchSize ?? 1_000;
  const maxReported = options.maxReported ?? 1_000;
  const totalLines = await countLines(path);
  const now = options.now ?? Date.now();
  const report: IngestReport = { kind, path, read: 0, written: 0, duplicates: 0, rejectedCount: 0, rejected: [] };
  const reject = (rejection: Rejection): void => {
    report.rejectedCount++;
    if (report.rejected.length < maxReported) report.rejected.push(rejection);
  };
  let batch: unknown[] = [];
  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    await write(store, kind, batch, report);
    batch = [];
  };

  let lastLine = 0;
  try {
    for await (const raw of readRecords(path, { format: options.format, kind })) {
      lastLine = raw.line;
      report.read++;
      if ('error' in raw) {
        reject({ line: raw.line, message: raw.error });
        continue;
      }
      const parsed = SCHEMAS[kind].safeParse(raw.value);
      const issues = parsed.success ? futureIssues(kind, parsed.data, now) : parsed.error.issues;
      if (issues.length > 0) reject(rejectionOf(raw.line, issues));
      else batch.push(parsed.data);
      if (batch.length >= batchSize) {
        await flush();
        options.onProgress?.({ lines: raw.line, totalLines, written: report.written, rejected: report.rejectedCount });
        if (options.signal?.aborted === true) throw new CancelledError(`ingest stopped at line ${raw.line} of ${path}; ${report.written} records were written`);
      }
    }
  } catch (error) {
    if (error instanceof QuarryError) throw error;
    const after = lastLine > 0 ? ` after line ${lastLine}` : '';
    throw new QuarryError('INVALID_ARGUMENT', `cannot read ${path}${after}: ${(error as Error).message}`, { cause: error });
  }
  await flush();
  options.onProgress?.({ lines: totalLines, totalLines, written: report.written, rejected: report.rejectedCount });
  return report;
}

/** An event's time too far in the future, as a schema-like issue (the path within the record). */
function futureIssues(kind: RecordKind, record: unknown, now: number): { path: PropertyKey[]; message: string }[] {
  if (kind !== 'events') return [];
  return futureTimeIssues([record as Event], { now, field: 'record' }).map((issue) => ({ path: issue.path.slice(2), message: issue.message }));
}

/** One rejection per line: the first field named, every problem listed. */
function rejectionOf(line: number, issues: readonly { path: PropertyKey[]; message: string }[]): Rejection {
  const [first, ...rest] = issues.map((issue) => ({ field: formatPath(issue.path.map(String)), message: issue.message }));
  if (first === undefined) return { line, message: 'does not match the schema' };
  const more = rest.map((r) => `${r.field}: ${r.message}`);
  return { line, field: first.field, message: [first.message, ...more].join('; ') };
}

async function write(store: Store, kind: RecordKind, batch: unknown[], report: IngestReport): Promise<void> {
  switch (kind) {
    case 'items': {
      const result = await store.upsertItems(batch as Item[]);
      report.written += result.inserted + result.updated;
      return;
    }
    case 'users': {
      const result = await store.upsertUsers(batch as User[]);
      report.written += result.inserted + result.updated;
      return;
    }
    case 'events': {
      const result = await store.appendEvents(batch as Event[]);
      report.written += result.accepted;
      report.duplicates += result.duplicates;
      return;
    }
  }
}

/** Newlines in the file (plus a last line without one), for the progress bar's total. */
async function countLines(path: string): Promise<number> {
  const size = (await stat(path)).size;
  if (size === 0) return 0;
  let lines = 0;
  let last = 10;
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
    last = chunk[chunk.length - 1] ?? last;
  }
  return last === 10 ? lines : lines + 1;
}
