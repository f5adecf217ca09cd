import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { QuarryError } from '../core/index.js';
import { LATEST_SCHEMA_VERSION, MIGRATIONS, migrate, readSchemaVersion } from './migrations.js';
import type { Migration } from './migrations.js';

const clock = () => 5_000;

function tableMigration(version: number, table: string): Migration {
  return { version, description: `create ${table}`, up: (db) => db.exec(`CREATE TABLE ${table} (x INTEGER)`) };
}

/** What `work` throws; undefined when it returns. */
function thrownBy(work: () => unknown): unknown {
  try {
    work();
  } catch (error) {
    return error;
  }
  return undefined;
}

function tableNames(db: Database.Database): string[] {
  return db.prepare<[], string>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all();
}

describe('migrate', () => {
  let db: Database.Database;
  beforeEach(() => {
    db = new Database(':memory:');
  });
  afterEach(() => {
    db.close();
  });

  it('brings a new database to the latest version and records each migration with its description and stamp', () => {
    expect(migrate(db, { clock, label: 'test.db' })).toEqual(MIGRATIONS.map((migration) => migration.version));
    expect(readSchemaVersion(db)).toBe(LATEST_SCHEMA_VERSION);
    const rows = db.prepare('SELECT version, description, applied_at AS appliedAt FROM schema_version ORDER BY version');
    expect(rows.all()).toEqual(MIGRATIONS.map(({ version, description }) => ({ version, description, appliedAt: 5_000 })));
  });

  it('applies only the migrations newer than the database, in order', () => {
    migrate(db, { clock, label: 'test.db', migrations: [tableMigration(1, 'a')] });
    const migrations = [tableMigration(1, 'a'), tableMigration(2, 'b'), tableMigration(3, 'c')];
    const applied = migrate(db, { clock, label: 'test.db', migrations });
    // Version 1 was already there; running its `up` again would fail on the existing table.
    expect(applied).toEqual([2, 3]);
    expect(tableNames(db)).toEqual(['a', 'b', 'c', 'schema_version']);
  });

  it('a failing migration leaves the database whole at the previous version, with none of its changes', () => {
    const failing: Migration = {
      version: 2,
      description: 'half done',
      up: (handle) => {
        handle.exec('CREATE TABLE half (x INTEGER)');
        throw new Error('disk on fire');
      },
    };
    const migrations = [tableMigration(1, 'a'), failing];
    expect(() => migrate(db, { clock, label: 'test.db', migrations })).toThrow('disk on fire');
    // Migration 1 committed in its own transaction; migration 2's table was rolled back with it.
    expect(readSchemaVersion(db)).toBe(1);
    expect(tableNames(db)).toEqual(['a', 'schema_version']);
  });

  it('refuses a database newer than the list with INCOMPATIBLE_FORMAT naming both versions', () => {
    migrate(db, { clock, label: 'test.db', migrations: [tableMigration(1, 'a'), tableMigration(2, 'b')] });
    const error = thrownBy(() => migrate(db, { clock, label: 'test.db', migrations: [tableMigration(1, 'a')] }));
    expect(error).toBeInstanceOf(QuarryError);
    expect((error as QuarryError).code).toBe('INCOMPATIBLE_FORMAT');
    expect((error as QuarryError).message).toMatch(/test\.db has schema version 2, this Quarry knows versions up to 1/);
  });

  it('rejects a migration list with a gap as a bug (INTERNAL), before touching the database', () => {
    const gap = [tableMigration(1, 'a'), tableMigration(3, 'c')];
    expect(() => migrate(db, { clock, label: 'test.db', migrations: gap })).toThrow(/index 1 has version 3, expected 2/);
    expect(tableNames(db)).toEqual([]);
  });
});
