import type { Writable } from 'node:stream';
import { once } from 'node:events';
import { stringify } from 'csv-stringify/sync';
import type { EventType } from '../core/index.js';
import type { Store } from '../store/index.js';
import { CSV_COLUMNS, recordToCsvRow } from './csv-columns.js';
import type { FileFormat } from './read-records.js';

export type ExportKind = 'items' | 'users' | 'events' | 'queries';

export interface ExportOptions {
  kind: ExportKind;
  format: FileFormat;
  /** Events and queries only: epoch ms, `from` inclusive, `to` exclusive. */
  from?: number;
  to?: number;
  /** Events only. */
  types?: readonly EventType[];
}

const QUERY_COLUMNS = ['query', 'count', 'users', 'firstTime', 'lastTime'] as const;

/**
 * Writes the store's records to `out` as JSONL (one record a line, exactly as stored) or CSV (the
 * columns `quarry ingest` reads back). Returns how many records were written. Honors backpressure.
 */
export async function exportRecords(store: Store, out: Writable, options: ExportOptions): Promise<number> {
  const columns = options.kind === 'queries' ? QUERY_COLUMNS : CSV_COLUMNS[options.kind];
  const writeLine = async (text: string): Promise<void> => {
    if (!out.write(text)) await once(out, 'drain');
  };
  if (options.format === 'csv') await writeLine(stringify([[...columns]]));
  let written = 0;
  for await (const record of recordsOf(store, options)) {
    const line = options.format === 'jsonl' ? `${JSON.stringify(record)}\n` : stringify([recordToCsvRow(record, columns)]);
    await writeLine(line);
    written++;
  }
  return written;
}

async function* recordsOf(store: Store, options: ExportOptions): AsyncIterable<Record<string, unknown>> {
  const range = { ...(options.from === undefined ? {} : { from: options.from }), ...(options.to === undefined ? {} : { to: options.to }) };
  switch (options.kind) {
    case 'items':
      yield* store.scanItems();
      return;
    case 'users':
      yield* store.scanUsers();
      return;
    case 'events':
      yield* store.readEvents({ ...range, ...(options.types === undefined ? {} : { types: options.types }) });
      return;
    case 'queries':
      for (const count of await store.queryCounts(range)) yield { ...count };
      return;
  }
}
