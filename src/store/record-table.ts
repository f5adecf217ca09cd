/**
 * A table of records keyed by external id (items, users): the record's JSON in `data`, rows in
 * first-insertion order by `seq`.
 */

import type { UpsertResult } from './store.js';
import { keysetPages } from './keyset-pages.js';
import { decodeRecord, encodeRecord } from './record-json.js';
import type { SqliteConnection } from './sqlite-connection.js';

export type RecordTableName = 'items' | 'users';

interface RecordRow {
  seq: number;
  data: string;
}

export interface RecordTableOptions {
  connection: SqliteConnection;
  table: RecordTableName;
  clock: () => number;
  pageSize: number;
}

export class RecordTable<R extends { id: string }> {
  private readonly connection: SqliteConnection;
  private readonly table: RecordTableName;
  private readonly clock: () => number;
  private readonly pageSize: number;
  private readonly sql: ReturnType<typeof recordSql>;

  constructor(options: RecordTableOptions) {
    this.connection = options.connection;
    this.table = options.table;
    this.clock = options.clock;
    this.pageSize = options.pageSize;
    this.sql = recordSql(options.table);
  }

  /** Inserts or replaces every record in one transaction; a repeated id counts as an update. */
  upsert(records: readonly R[]): UpsertResult {
    const exists = this.connection.statement(this.sql.exists);
    const upsert = this.connection.statement(this.sql.upsert);
    const updatedAt = this.clock();
    return this.connection.transaction(() => {
      let updated = 0;
      for (const record of records) {
        if (exists.get(record.id) !== undefined) updated += 1;
        upsert.run(record.id, encodeRecord(record), updatedAt);
      }
      return { inserted: records.length - updated, updated };
    });
  }

  get(id: string): R | undefined {
    const row = this.connection.statement<{ data: string }>(this.sql.get).get(id);
    return row === undefined ? undefined : decodeRecord<R>(row.data);
  }

  /** False when there was no record with that id. */
  delete(id: string): boolean {
    return this.connection.statement(this.sql.delete).run(id).changes > 0;
  }

  count(): number {
    return this.connection.statement<{ count: number }>(this.sql.count).get()?.count ?? 0;
  }

  /** Every record in first-insertion order, a page at a time. */
  async *scan(): AsyncGenerator<R, void, undefined> {
    const rows = keysetPages<RecordRow>({
      pageSize: this.pageSize,
      limit: Infinity,
      fetchPage: (last, size) =>
        this.connection.guard(`scan ${this.table}`, () =>
          this.connection.statement<RecordRow>(this.sql.page).all(last?.seq ?? 0, size),
        ),
    });
    for await (const row of rows) yield decodeRecord<R>(row.data);
  }
}

// `table` is one of two literals, never user input, so building the SQL from it is safe.
function recordSql(table: RecordTableName) {
  return {
    exists: `SELECT 1 FROM ${table} WHERE id = ?`,
    upsert: `INSERT INTO ${table} (id, data, updated_at) VALUES (?, ?, ?)
             ON CONFLICT (id) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at`,
    get: `SELECT data FROM ${table} WHERE id = ?`,
    delete: `DELETE FROM ${table} WHERE id = ?`,
    count: `SELECT COUNT(*) AS count FROM ${table}`,
    // seq starts at 1, so `seq > 0` is the first page.
    page: `SELECT seq, data FROM ${table} WHERE seq > ? ORDER BY seq LIMIT ?`,
  } as const;
}
