/**
 * One better-sqlite3 handle, its prepared-statement cache, and the closed state that every store call
 * checks. better-sqlite3 is synchronous; this is where its work is turned into settled promises and its
 * errors into the QuarryError family.
 */

import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { IncompatibleFormatError, InvalidArgumentError, NotFoundError, QuarryError, UnavailableError } from '../core/index.js';

/** How hard a commit waits for the disk (`PRAGMA synchronous`). */
export type Durability = 'full' | 'normal';

export interface ConnectionOptions {
  /** A file path, or `:memory:` for a private in-memory database. */
  path: string;
  durability: Durability;
  /** How long a write waits for another connection's lock before failing with UNAVAILABLE. */
  busyTimeoutMs: number;
  /** Refuse to create the file: readers (export) must not leave an empty database behind a typo. */
  mustExist: boolean;
}

export const MEMORY_PATH = ':memory:';

// In WAL mode, FULL syncs the log on every commit (a committed batch survives power loss); NORMAL syncs
// only at checkpoints (the last commits may be lost on power loss, the file is never corrupted).
const SYNCHRONOUS: Record<Durability, string> = { full: 'FULL', normal: 'NORMAL' };

export class SqliteConnection {
  /** The path the connection was opened with; error messages name it. */
  readonly path: string;
  private readonly db: Database.Database;
  private readonly statements = new Map<string, Database.Statement>();
  private closed = false;

  private constructor(db: Database.Database, path: string) {
    this.db = db;
    this.path = path;
  }

  /**
   * Opens (creating when missing, with its parent folder) a database and sets its pragmas: WAL for files
   * so readers never block the writer, the durability level, and the busy timeout.
   * @throws InvalidArgumentError when `path` is empty.
   * @throws UnavailableError when the file cannot be opened; IncompatibleFormatError when it is not SQLite;
   *   NotFoundError when `mustExist` and there is no file.
   */
  static open(options: ConnectionOptions): SqliteConnection {
    const { path, durability, busyTimeoutMs } = options;
    if (path.length === 0) {
      throw new InvalidArgumentError('store path must not be empty (use ":memory:" for an in-memory store)', {
        issues: [{ path: ['path'], message: 'must not be empty' }],
      });
    }
    if (options.mustExist && path !== MEMORY_PATH && !existsSync(path)) {
      throw new NotFoundError(`no database at ${path}`, { issues: [{ path: ['path'], message: 'no such file' }] });
    }
    let db: Database.Database | undefined;
    try {
      if (path !== MEMORY_PATH) mkdirSync(dirname(path), { recursive: true });
      db = new Database(path, { timeout: busyTimeoutMs });
      // The first statement is where SQLite reads the file: a file that is not a database fails here.
      if (!db.memory) db.pragma('journal_mode = WAL');
      db.pragma(`synchronous = ${SYNCHRONOUS[durability]}`);
      return new SqliteConnection(db, path);
    } catch (error) {
      db?.close();
      throw toStoreError(error, `open ${path}`);
    }
  }

  /** The raw handle, for migrations only: everything else goes through `statement` and `transaction`. */
  get handle(): Database.Database {
    this.assertOpen('use the database');
    return this.db;
  }

  /**
   * The prepared statement for `sql`, prepared once per connection. `Row` is what the caller's SELECT
   * returns; SQLite cannot check it, so keep each row type next to its SQL.
   */
  statement<Row = unknown>(sql: string): Database.Statement<unknown[], Row> {
    this.assertOpen('prepare a statement');
    let statement = this.statements.get(sql);
    if (statement === undefined) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    // The cache holds statements of every row type; the caller states the one its SQL produces.
    return statement as Database.Statement<unknown[], Row>;
  }

  /**
   * Runs `work` in one IMMEDIATE transaction: all of it is committed or none of it. IMMEDIATE takes the
   * write lock up front, so a concurrent writer waits for the busy timeout instead of failing mid-way.
   */
  transaction<T>(work: () => T): T {
    this.assertOpen('begin a transaction');
    return this.db.transaction(work).immediate();
  }

  /** Runs `work` now and settles a promise with its result or its error, mapped to a QuarryError. */
  run<T>(operation: string, work: () => T): Promise<T> {
    try {
      return Promise.resolve(this.guard(operation, work));
    } catch (error) {
      return Promise.reject(toStoreError(error, `${operation} on ${this.path}`));
    }
  }

  /** Runs `work` synchronously, mapping its error to a QuarryError (for page fetches inside iterators). */
  guard<T>(operation: string, work: () => T): T {
    this.assertOpen(operation);
    try {
      return work();
    } catch (error) {
      throw toStoreError(error, `${operation} on ${this.path}`);
    }
  }

  /**
   * Checkpoints the WAL into the main file (so the file alone is the whole database) and closes.
   * Closing twice is allowed; the second call does nothing.
   */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.statements.clear();
    try {
      if (!this.db.memory) this.db.pragma('wal_checkpoint(TRUNCATE)');
    } finally {
      this.db.close();
    }
  }

  private assertOpen(operation: string): void {
    if (this.closed) throw new UnavailableError(`store is closed: cannot ${operation} on ${this.path}`);
  }
}

/**
 * Maps anything thrown by better-sqlite3 (or by JSON encoding) into the QuarryError family, keeping the
 * original as `cause`. A lock held by another connection is UNAVAILABLE (retrying later can succeed); a
 * file that is not SQLite is INCOMPATIBLE_FORMAT; everything else is INTERNAL.
 */
export function toStoreError(error: unknown, context: string): QuarryError {
  if (error instanceof QuarryError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const internal = () => new QuarryError('INTERNAL', `${context} failed: ${message}`, { cause: error });
  if (!(error instanceof Database.SqliteError)) return internal();
  const code = primaryCode(error.code);
  switch (code) {
    case 'SQLITE_BUSY':
    case 'SQLITE_LOCKED':
    case 'SQLITE_CANTOPEN':
      return new UnavailableError(`${context}: ${message} (${error.code})`, { cause: error });
    case 'SQLITE_NOTADB':
      return new IncompatibleFormatError(`${context}: not a SQLite database (${message})`, { cause: error });
    default:
      return internal();
  }
}

/** `SQLITE_BUSY_SNAPSHOT` → `SQLITE_BUSY`: extended result codes refine a primary one. */
function primaryCode(code: string): string {
  return code.split('_').slice(0, 2).join('_');
}
