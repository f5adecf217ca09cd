import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { parse } from 'csv-parse';
import { InvalidArgumentError } from '../core/index.js';
import { csvRowToRecord, type RecordKind } from './csv-columns.js';

export type FileFormat = 'jsonl' | 'csv';

/** One line of an input file: the value it holds, or why it could not be read. */
export type RawRecord = { line: number; value: Record<string, unknown> } | { line: number; error: string };

/**
 * The format of a file from its extension (`.jsonl`, `.ndjson`, `.json` → jsonl; `.csv` → csv).
 * @throws InvalidArgumentError for any other extension.
 */
export function formatOf(path: string): FileFormat {
  if (/\.(jsonl|ndjson|json)$/i.test(path)) return 'jsonl';
  if (/\.csv$/i.test(path)) return 'csv';
  throw new InvalidArgumentError(`cannot tell the format of "${path}" from its extension; pass --format jsonl or --format csv`);
}

/** Reads records from a JSONL or CSV file, one at a time, with their 1-based line numbers. */
export function readRecords(path: string, options: { format: FileFormat; kind: RecordKind }): AsyncIterable<RawRecord> {
  return options.format === 'jsonl' ? readJsonl(path) : readCsv(path, options.kind);
}

async function* readJsonl(path: string): AsyncIterable<RawRecord> {
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  let line = 0;
  for await (const text of lines) {
    line++;
    if (text.trim() === '') continue;
    try {
      const value: unknown = JSON.parse(text);
      if (typeof value !== 'object' || value === null || Array.isArray(value)) yield { line, error: 'is not a JSON object' };
      else yield { line, value: value as Record<string, unknown> };
    } catch (error) {
      yield { line, error: `is not valid JSON (${(error as Error).message})` };
    }
  }
}

async function* readCsv(path: string, kind: RecordKind): AsyncIterable<RawRecord> {
  const parser = createReadStream(path).pipe(
    parse({ columns: true, bom: true, skip_empty_lines: true, info: true, relax_column_count: true, trim: false }),
  );
  for await (const entry of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
    yield { line: entry.info.lines, value: csvRowToRecord(kind, entry.record) };
  }
}
