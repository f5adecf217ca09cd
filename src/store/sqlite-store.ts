/**
 * The embedded store: one SQLite file (or `:memory:`) through better-sqlite3. Writes are one transaction
 * per batch; reads stream a page per statement; the schema is brought up to date at open.
 */

import { InvalidArgumentError, invariant } from '../core/index.js';
import type { Event, Item, QueryEvent, User } from '../core/index.js';
import { EventLog } from './event-log.js';
import { migrate } from './migrations.js';
import { ModelRegistry } from './model-registry.js';
import { RecordTable } from './record-table.js';
import { SqliteConnection, toStoreError } from './sqlite-connection.js';
import type { Durability } from './sqlite-connection.js';
import { readCount } from './query-args.js';
import type {
  AppendResult,
  EventCounts,
  EventQuery,
  ModelInfo,
  ModelRecord,
  NewModel,
  QueryCount,
  Store,
  UpsertResult,
} from './store.js';

export type { Durability } from './sqlite-connection.js';

export interface SqliteStoreOptions {
  /** A file path (its folder is created when missing), or `:memory:` for a private in-memory store. */
  path: string;
  /**
   * `PRAGMA synchronous`. `full` (default): a committed batch survives a power cut. `normal`: faster
   * commits; the last few may be lost on a power cut (not on a process crash), never corrupting the file.
   */
  durability?: Durability;
  /** How long a write waits for another process's lock before failing with UNAVAILABLE. Default 5000. */
  busyTimeoutMs?: number;
  /** Rows read per statement by the streaming reads. Default 5000. */
  pageSize?: number;
  /** Epoch milliseconds for `updated_at`, model `createdAt` and migration stamps. Default `Date.now`. */
  clock?: () => number;
  /** Fail with NOT_FOUND instead of creating a missing file. Default false. */
  mustExist?: boolean;
}

export const DEFAULT_SQLITE_STORE_OPTIONS = {
  durability: 'full',
  busyTimeoutMs: 5_000,
  pageSize: 5_000,
  clock: () => Date.now(),
  mustExist: false,
} as const satisfies Required<Omit<SqliteStoreOptions, 'path'>>;

type ResolvedOptions = Required<SqliteStoreOptions>;

const META_SQL = {
  get: 'SELECT value FROM meta WHERE key = ?',
  set: 'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  schemaVersion: 'SELECT MAX(version) AS version FROM schema_version',
} as const;

export class SqliteStore implements Store {
  readonly kind = 'sqlite';
  /** The path the store was opened with. */
  readonly path: string;
  /** The migrations this open applied, oldest first: empty when the database was already current. */
  readonly appliedMigrations: readonly number[];

  private readonly connection: SqliteConnection;
  private readonly items: RecordTable<Item>;
  private readonly users: RecordTable<User>;
  private readonly events: EventLog;
  private readonly models: ModelRegistry;

  private constructor(connection: SqliteConnection, appliedMigrations: readonly number[], options: ResolvedOptions) {
    const { clock, pageSize } = options;
    this.connection = connection;
    this.path = options.path;
    this.appliedMigrations = appliedMigrations;
    this.items = new RecordTable<Item>({ connection, table: 'items', clock, pageSize });
    this.users = new RecordTable<User>({ connection, table: 'users', clock, pageSize });
    this.events = new EventLog(connection, pageSize);
    this.models = new ModelRegistry(connection, clock);
  }

  /**
   * Opens (creating when missing) the store at `options.path` and migrates it to the latest schema.
   * Defaults are in `DEFAULT_SQLITE_STORE_OPTIONS`.
   * @throws InvalidArgumentError when the path is empty or `pageSize`/`busyTimeoutMs` is not a count.
   * @throws IncompatibleFormatError when the file is not SQLite, or its schema is newer than this code.
   * @throws UnavailableError when the file cannot be opened or is locked past the busy timeout.
   */
  static open(options: SqliteStoreOptions): Promise<SqliteStore> {
    try {
      return Promise.resolve(SqliteStore.openNow(options));
    } catch (error) {
      return Promise.reject(toStoreError(error, `open ${options.path}`));
    }
  }

  private static openNow(options: SqliteStoreOptions): SqliteStore {
    const resolved = resolveOptions(options);
    const connection = SqliteConnection.open(resolved);
    try {
      const applied = migrate(connection.handle, { clock: resolved.clock, label: resolved.path });
      return new SqliteStore(connection, applied, resolved);
    } catch (error) {
      connection.close();
      throw error;
    }
  }

  upsertItems(items: readonly Item[]): Promise<UpsertResult> {
    return this.connection.run('upsertItems', () => this.items.upsert(items));
  }

  deleteItem(id: string): Promise<boolean> {
    return this.connection.run('deleteItem', () => this.items.delete(id));
  }

  getItem(id: string): Promise<Item | undefined> {
    return this.connection.run('getItem', () => this.items.get(id));
  }

  scanItems(): AsyncIterable<Item> {
    return this.items.scan();
  }

  countItems(): Promise<number> {
    return this.connection.run('countItems', () => this.items.count());
  }

  upsertUsers(users: readonly User[]): Promise<UpsertResult> {
    return this.connection.run('upsertUsers', () => this.users.upsert(users));
  }

  getUser(id: string): Promise<User | undefined> {
    return this.connection.run('getUser', () => this.users.get(id));
  }

  scanUsers(): AsyncIterable<User> {
    return this.users.scan();
  }

  countUsers(): Promise<number> {
    return this.connection.run('countUsers', () => this.users.count());
  }

  appendEvents(events: readonly Event[]): Promise<AppendResult> {
    return this.connection.run('appendEvents', () => this.events.append(events));
  }

  /**
   * Events in (time, append) order. An empty `types` list matches no event.
   * @throws InvalidArgumentError (on iteration) for a non-finite bound or a limit that is not a count.
   */
  readEvents(query?: EventQuery): AsyncIterable<Event> {
    return this.events.read(query);
  }

  countEvents(query?: Omit<EventQuery, 'limit'>): Promise<EventCounts> {
    return this.connection.run('countEvents', () => this.events.count(query));
  }

  /** Most frequent first; ties go to more distinct users, then to the query string in code-point order. */
  queryCounts(query?: { from?: number; to?: number; minUsers?: number; limit?: number }): Promise<QueryCount[]> {
    return this.connection.run('queryCounts', () => this.events.queryCounts(query));
  }

  readQueries(query?: { from?: number; to?: number; limit?: number }): AsyncIterable<QueryEvent> {
    return this.events.readQueries(query);
  }

  /**
   * Stores the next version of `model.name`. Versions are never reused: after deleting version 3 (the
   * latest), the next put is version 4.
   * @throws InvalidArgumentError for an empty name, a bad format version, or meta that is not JSON.
   */
  putModel(model: NewModel): Promise<ModelInfo> {
    return this.connection.run('putModel', () => this.models.put(model));
  }

  getModel(name: string, version?: number): Promise<ModelRecord | undefined> {
    return this.connection.run('getModel', () => this.models.get(name, version));
  }

  listModels(name?: string): Promise<ModelInfo[]> {
    return this.connection.run('listModels', () => this.models.list(name));
  }

  deleteModel(name: string, version: number): Promise<boolean> {
    return this.connection.run('deleteModel', () => this.models.delete(name, version));
  }

  getMeta(key: string): Promise<string | undefined> {
    return this.connection.run('getMeta', () => this.connection.statement<{ value: string }>(META_SQL.get).get(key)?.value);
  }

  setMeta(key: string, value: string): Promise<void> {
    return this.connection.run('setMeta', () => {
      this.connection.statement(META_SQL.set).run(key, value);
    });
  }

  schemaVersion(): Promise<number> {
    return this.connection.run('schemaVersion', () => {
      const version = this.connection.statement<{ version: number | null }>(META_SQL.schemaVersion).get()?.version;
      invariant(typeof version === 'number', `store ${this.path} is open but has no schema version`);
      return version;
    });
  }

  /** Checkpoints the WAL into the main file and closes. A second call does nothing. */
  close(): Promise<void> {
    try {
      this.connection.close();
      return Promise.resolve();
    } catch (error) {
      return Promise.reject(toStoreError(error, `close ${this.path}`));
    }
  }
}

function resolveOptions(options: SqliteStoreOptions): ResolvedOptions {
  const defaults = DEFAULT_SQLITE_STORE_OPTIONS;
  const resolved: ResolvedOptions = {
    path: options.path,
    durability: options.durability ?? defaults.durability,
    busyTimeoutMs: readCount(options.busyTimeoutMs, 'busyTimeoutMs') ?? defaults.busyTimeoutMs,
    pageSize: readCount(options.pageSize, 'pageSize') ?? defaults.pageSize,
    clock: options.clock ?? defaults.clock,
    mustExist: options.mustExist ?? defaults.mustExist,
  };
  if (resolved.pageSize === 0) {
    throw new InvalidArgumentError('pageSize must be at least 1, got 0', {
      issues: [{ path: ['pageSize'], message: 'must be at least 1' }],
    });
  }
  return resolved;
}
