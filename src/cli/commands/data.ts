import { createWriteStream, existsSync } from 'node:fs';
import { finished } from 'node:stream/promises';
import { NotFoundError, type EventType } from '../../core/index.js';
import { exportRecords, formatOf, ingestFile, type ExportKind, type FileFormat, type IngestReport, type RecordKind } from '../../formats/index.js';
import { SqliteStore } from '../../store/index.js';
import { UsageError } from '../options.js';
import type { Progress, Terminal } from '../terminal.js';

/**
 * `quarry ingest items|users|events FILE`: loads a JSONL or CSV file into the store, reporting every
 * rejected line. Returns the report; the caller exits 1 when any line was rejected.
 */
export async function ingestCommand(
  terminal: Terminal,
  run: { db: string; kind: RecordKind; path: string; format: FileFormat | undefined; batchSize: number; json: boolean; signal: AbortSignal },
): Promise<IngestReport> {
  const format = run.format ?? formatOfArgument(run.path);
  if (!existsSync(run.path)) throw new NotFoundError(`no such file: ${run.path}`);
  const store = await SqliteStore.open({ path: run.db });
  let bar: Progress | undefined;
  try {
    const report = await ingestFile(store, {
      kind: run.kind,
      path: run.path,
      format,
      batchSize: run.batchSize,
      signal: run.signal,
      onProgress: ({ lines, totalLines }) => (bar ??= terminal.progress(run.kind, totalLines)).update(lines, totalLines),
    });
    bar?.stop();
    printReport(terminal, report, { json: run.json });
    return report;
  } finally {
    bar?.stop();
    await store.close();
  }
}

function formatOfArgument(path: string): FileFormat {
  try {
    return formatOf(path);
  } catch (error) {
    throw new UsageError((error as Error).message, { cause: error });
  }
}

function printReport(terminal: Terminal, report: IngestReport, options: { json: boolean }): void {
  for (const r of report.rejected) {
    terminal.info(`${report.path}:${r.line}: rejected${r.field === undefined ? '' : ` (${r.field})`}: ${r.message}`);
  }
  if (report.rejectedCount > report.rejected.length) {
    terminal.info(`… and ${report.rejectedCount - report.rejected.length} more rejections`);
  }
  const duplicates = report.kind === 'events' ? `, ${report.duplicates} already stored` : '';
  terminal.info(`${report.kind}: ${report.read} read, ${report.written} written${duplicates}, ${report.rejectedCount} rejected`);
  if (options.json) terminal.out(JSON.stringify(report));
}

/** `quarry export items|users|events|queries`: writes JSONL or CSV to a file or stdout. */
export async function exportCommand(
  terminal: Terminal,
  run: { db: string; kind: ExportKind; format: FileFormat; out: string | undefined; from?: number; to?: number; types?: EventType[] },
): Promise<void> {
  const store = await SqliteStore.open({ path: run.db, mustExist: true });
  try {
    const out = run.out === undefined ? process.stdout : createWriteStream(run.out);
    const written = await exportRecords(store, out, {
      kind: run.kind,
      format: run.format,
      ...(run.from === undefined ? {} : { from: run.from }),
      ...(run.to === undefined ? {} : { to: run.to }),
      ...(run.types === undefined ? {} : { types: run.types }),
    });
    if (out !== process.stdout) {
      out.end();
      await finished(out);
    }
    terminal.info(`exported ${written} ${run.kind}${run.out === undefined ? '' : ` to ${run.out}`}`);
  } finally {
    await store.close();
  }
}
