/**
 * Query logs as files: the inputs of `quarry eval suggest` and of mining from a file.
 *
 *   TSV    `qid<TAB>query` per line (MS MARCO / Multi-CPR query files): each line one issue,
 *          so a query's frequency is how often it repeats
 *   JSON   an array of `{query, popularity}` (Algolia query-suggestion records, e.g. Best Buy)
 *   JSONL  one `{query, popularity}` (or `{query, count}`) object per line
 *
 * The format is told by the first character: `[` JSON, `{` JSONL, anything else TSV.
 */

import { IncompatibleFormatError } from '../core/index.js';

/** A query and how many times it was issued. */
export interface LoggedQuery {
  query: string;
  count: number;
}

export type QueryLogFormat = 'tsv' | 'json' | 'jsonl';

/**
 * Parses a query log, adding up repeats of the same query (first-seen order kept).
 * @param source the file name, for messages.
 * @throws IncompatibleFormatError naming the line (or record) and what is wrong with it.
 */
export function parseQueryLog(text: string, source: string): { format: QueryLogFormat; queries: LoggedQuery[] } {
  const first = text.trimStart()[0];
  const format: QueryLogFormat = first === '[' ? 'json' : first === '{' ? 'jsonl' : 'tsv';
  const counts = new Map<string, number>();
  const add = (query: string, count: number) => counts.set(query, (counts.get(query) ?? 0) + count);
  if (format === 'json') {
    let records: unknown;
    try {
      records = JSON.parse(text) as unknown;
    } catch (error) {
      throw new IncompatibleFormatError(`${source}: not valid JSON: ${(error as Error).message}`, { cause: error });
    }
    if (!Array.isArray(records)) throw new IncompatibleFormatError(`${source}: expected a JSON array of {query, popularity} records`);
    records.forEach((record: unknown, i) => add(...recordOf(record, `${source}: record ${i}`)));
  } else {
    text.split(/\r?\n/).forEach((line, i) => {
      if (line.trim() === '') return;
      const where = `${source}:${i + 1}`;
      if (format === 'jsonl') add(...recordOf(parseLine(line, where), where));
      else add(...tsvQuery(line, where), 1);
    });
  }
  return { format, queries: [...counts].map(([query, count]) => ({ query, count })) };
}

function tsvQuery(line: string, where: string): [string] {
  const tab = line.indexOf('\t');
  if (tab < 0) throw new IncompatibleFormatError(`${where}: expected "qid<TAB>query", found no tab`);
  return [line.slice(tab + 1)];
}

function parseLine(line: string, where: string): unknown {
  try {
    return JSON.parse(line) as unknown;
  } catch (error) {
    throw new IncompatibleFormatError(`${where}: not valid JSON: ${(error as Error).message}`, { cause: error });
  }
}

function recordOf(record: unknown, where: string): [string, number] {
  if (typeof record !== 'object' || record === null) throw new IncompatibleFormatError(`${where}: expected an object with a "query" string`);
  const { query, popularity, count } = record as { query?: unknown; popularity?: unknown; count?: unknown };
  if (typeof query !== 'string' || query.trim() === '') throw new IncompatibleFormatError(`${where}: "query" must be a non-empty string`);
  const value = popularity ?? count ?? 1;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new IncompatibleFormatError(`${where}: "popularity" (or "count") must be an integer >= 0, got ${JSON.stringify(value)}`);
  }
  return [query, value];
}
