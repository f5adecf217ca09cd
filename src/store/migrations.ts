/**
 * Schema migrations for the SQLite store. The database records which migrations it has had in
 * `schema_version`; at open, every migration newer than that is applied in order, each in its own
 * transaction, so a crash leaves the database at a whole version. A database newer than this code is
 * refused rather than guessed at.
 *
 * A migration, once released, is never edited: a change to the schema is a new migration at the end.
 */

import type Database from 'better-sqlite3';
import { IncompatibleFormatError, invariant } from '../core/index.js';

export interface Migration {
  /** 1, 2, 3, ...: the schema version the database is at after `up`. */
  readonly version: number;
  readonly description: string;
  /** Changes the schema from `version - 1` to `version`; runs inside a transaction. */
  up(db: Database.Database): void;
}

const SCHEMA_VERSION_TABLE = `
  CREATE TABLE IF NOT EXISTS schema_version (
    version INTEGER PRIMARY KEY,
    description TEXT NOT NULL,
    applied_at INTEGER NOT NULL
  )`;

// Items and users carry an explicit `seq INTEGER PRIMARY KEY` beside the external id: a scan follows
// first-insertion order (dense ids are handed out in it), and only an INTEGER PRIMARY KEY is safe from
// being renumbered by VACUUM. Upserts use ON CONFLICT DO UPDATE, which keeps the row (and its seq);
// INSERT OR REPLACE would delete it and append a new one at the end.
//
// Events: `data` is the whole validated record as JSON (the source of truth); the other columns are
// copies kept for filtering. (user_id, time) serves "one user's events in time order" without a sort;
// SQLite appends the rowid (seq) to every index, so (type, time) is ordered by (type, time, seq).
const SCHEMA_V1 = `
  CREATE TABLE items (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    data TEXT NOT NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE TABLE users (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    data TEXT NOT NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE TABLE events (
    seq INTEGER PRIMARY KEY,
    event_id TEXT NOT NULL UNIQUE,
    type TEXT NOT NULL,
    user_id TEXT NOT NULL,
    time INTEGER NOT NULL,
    request_id TEXT,
    item_id TEXT,
    query TEXT,
    data TEXT NOT NULL
  );
  CREATE INDEX events_by_time ON events (time, seq);
  CREATE INDEX events_by_type_time ON events (type, time);
  CREATE INDEX events_by_user_time ON events (user_id, time);
  CREATE INDEX events_by_request ON events (request_id);
  CREATE TABLE models (
    name TEXT NOT NULL,
    version INTEGER NOT NULL,
    format_version INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    meta TEXT NOT NULL,
    data BLOB NOT NULL,
    PRIMARY KEY (name, version)
  );
  -- The last version handed out per name, so deleting the latest version never frees its number for a
  -- different blob (a cache keyed by name and version would otherwise serve the wrong one).
  CREATE TABLE model_versions (
    name TEXT PRIMARY KEY,
    last_version INTEGER NOT NULL
  );
  CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
  );
`;

/** Every migration, oldest first. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'items, users, events, models and meta',
    up: (db) => db.exec(SCHEMA_V1),
  },
];

/** The newest schema version this code knows. */
export const LATEST_SCHEMA_VERSION = MIGRATIONS.length;

/** The version the database is at: 0 for a new database. */
export function readSchemaVersion(db: Database.Database): number {
  db.exec(SCHEMA_VERSION_TABLE);
  const row = db.prepare<[], { version: number | null }>('SELECT MAX(version) AS version FROM schema_version').get();
  return row?.version ?? 0;
}

export interface MigrateOptions {
  /** Stamps `applied_at`. */
  clock: () => number;
  /** Names the database in errors (its path). */
  label: string;
  /** Defaults to `MIGRATIONS`; tests pass their own lists. */
  migrations?: readonly Migration[];
}

/**
 * Brings the database up to the newest version in `migrations`.
 * @returns the versions applied, oldest first; empty when the database was already current.
 * @throws IncompatibleFormatError when the database is at a version newer than the list knows.
 */
export function migrate(db: Database.Database, options: MigrateOptions): number[] {
  const { clock, label, migrations = MIGRATIONS } = options;
  assertConsecutive(migrations);
  const latest = migrations.length;
  const found = readSchemaVersion(db);
  if (found > latest) {
    throw new IncompatibleFormatError(
      `database ${label} has schema version ${found}, this Quarry knows versions up to ${latest}; ` +
        'open it with a newer Quarry',
    );
  }
  const applied: number[] = [];
  for (const migration of migrations.slice(found)) {
    if (applyOne(db, migration, clock())) applied.push(migration.version);
  }
  return applied;
}

/**
 * Applies one migration and records it, in one IMMEDIATE transaction. The version is read again inside
 * the transaction: another process opening the same file may have applied it first.
 */
function applyOne(db: Database.Database, migration: Migration, appliedAt: number): boolean {
  const apply = db.transaction(() => {
    if (readSchemaVersion(db) >= migration.version) return false;
    migration.up(db);
    db.prepare('INSERT INTO schema_version (version, description, applied_at) VALUES (?, ?, ?)').run(
      migration.version,
      migration.description,
      appliedAt,
    );
    return true;
  });
  return apply.immediate();
}

function assertConsecutive(migrations: readonly Migration[]): void {
  migrations.forEach((migration, index) => {
    const expected = index + 1;
    const found = migration.version;
    invariant(found === expected, `migration at index ${index} has version ${found}, expected ${expected}`);
  });
}
