import { existsSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LATEST_SCHEMA_VERSION } from './migrations.js';
import { SqliteStore } from './sqlite-store.js';
import { collect, expectRejection, makeClick, makeEventOfType, makeItem, makeUser } from './store-fixtures.js';
import { describeStoreSuite } from './store-suite.js';

describeStoreSuite('SqliteStore on :memory:', () => SqliteStore.open({ path: ':memory:' }));

// Created on first use, so a run that filters these tests out leaves no folder behind.
let suiteDir: string | undefined;
let suiteFiles = 0;
describeStoreSuite(
  'SqliteStore on a file',
  () => {
    suiteDir ??= mkdtempSync(join(tmpdir(), 'quarry-store-suite-'));
    return SqliteStore.open({ path: join(suiteDir, `store-${++suiteFiles}.db`) });
  },
  async () => {
    if (suiteDir !== undefined) await rm(suiteDir, { recursive: true, force: true });
  },
);

/** Runs `work` on a second, raw connection to the file: what another process would see or do. */
function withRawDatabase<T>(path: string, work: (db: Database.Database) => T): T {
  const db = new Database(path);
  try {
    return work(db);
  } finally {
    db.close();
  }
}

describe('SqliteStore on a file', () => {
  let dir: string;
  let path: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'quarry-sqlite-'));
    path = join(dir, 'not', 'yet', 'there', 'quarry.db');
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('creates missing parent folders and keeps items, users, events, models and meta across close and reopen', async () => {
    const written = await SqliteStore.open({ path });
    await written.upsertItems([makeItem('b'), makeItem('a')]);
    await written.upsertUsers([makeUser('u1')]);
    await written.appendEvents([makeClick({ eventId: 'e1', time: 5 })]);
    await written.putModel({ name: 'ctr', formatVersion: 1, data: Uint8Array.of(1, 2, 3) });
    await written.setMeta('seed', '42');
    await written.close();

    const reopened = await SqliteStore.open({ path });
    // Insertion order (b before a) is kept across the restart: dense ids depend on it.
    expect((await collect(reopened.scanItems())).map((item) => item.id)).toEqual(['b', 'a']);
    expect(await reopened.getUser('u1')).toEqual(makeUser('u1'));
    expect(await collect(reopened.readEvents())).toEqual([makeClick({ eventId: 'e1', time: 5 })]);
    expect((await reopened.getModel('ctr'))?.data).toEqual(Uint8Array.of(1, 2, 3));
    expect(await reopened.getMeta('seed')).toBe('42');
    await reopened.close();
  });

  it('runs a file in WAL mode, and close checkpoints the WAL so the main file alone holds the data', async () => {
    const store = await SqliteStore.open({ path });
    await store.appendEvents([makeClick({ eventId: 'e1', time: 1 })]);
    // WAL mode is a property of the file, so a second connection sees it.
    expect(withRawDatabase(path, (db) => db.pragma('journal_mode', { simple: true }))).toBe('wal');
    await store.close();
    const wal = `${path}-wal`;
    expect(existsSync(wal) ? statSync(wal).size : 0).toBe(0);
  });

  it('applies every migration to a new file, then none on a second open, leaving the version stamps alone', async () => {
    const first = await SqliteStore.open({ path, clock: () => 1_000 });
    const all = Array.from({ length: LATEST_SCHEMA_VERSION }, (_, index) => index + 1);
    expect(first.appliedMigrations).toEqual(all);
    await first.close();

    const second = await SqliteStore.open({ path, clock: () => 2_000 });
    expect(second.appliedMigrations).toEqual([]);
    expect(await second.schemaVersion()).toBe(LATEST_SCHEMA_VERSION);
    await second.close();
    // Still stamped by the first open's clock: nothing was re-applied.
    const stamps = withRawDatabase(path, (db) => db.prepare('SELECT applied_at FROM schema_version').pluck().all());
    expect(stamps).toEqual(all.map(() => 1_000));
  });

  it('refuses a file whose schema is newer than this code with INCOMPATIBLE_FORMAT naming both versions', async () => {
    await (await SqliteStore.open({ path })).close();
    const newer = LATEST_SCHEMA_VERSION + 1;
    withRawDatabase(path, (db) =>
      db.prepare('INSERT INTO schema_version (version, description, applied_at) VALUES (?, ?, ?)').run(newer, 'future', 0),
    );
    const error = await expectRejection(SqliteStore.open({ path }), 'INCOMPATIBLE_FORMAT');
    expect(error.message).toContain(`schema version ${newer}`);
    expect(error.message).toContain(`up to ${LATEST_SCHEMA_VERSION}`);
  });

  it('with mustExist, refuses a missing file with NOT_FOUND and creates nothing', async () => {
    const path = join(dir, 'typo', 'missing.db');
    await expect(SqliteStore.open({ path, mustExist: true })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(existsSync(path)).toBe(false);
    await (await SqliteStore.open({ path })).close();
    await (await SqliteStore.open({ path, mustExist: true })).close(); // now it exists
  });

  it('refuses a file that is not a SQLite database with INCOMPATIBLE_FORMAT', async () => {
    const notADatabase = join(dir, 'notes.db');
    writeFileSync(notADatabase, 'these are not the bytes of a SQLite database, '.repeat(100));
    await expectRejection(SqliteStore.open({ path: notADatabase }), 'INCOMPATIBLE_FORMAT');
  });

  it('a batch that fails part-way writes nothing, and the same batch is accepted whole once the fault is gone', async () => {
    const store = await SqliteStore.open({ path });
    await store.upsertItems([makeItem('keep', { title: 'before' })]);
    // Triggers abort the insert of one row in the middle of each batch, after earlier rows were written.
    withRawDatabase(path, (db) =>
      db.exec(`
        CREATE TRIGGER fail_item BEFORE INSERT ON items WHEN NEW.id = 'poison'
          BEGIN SELECT RAISE(ABORT, 'poisoned item'); END;
        CREATE TRIGGER fail_user BEFORE INSERT ON users WHEN NEW.id = 'poison'
          BEGIN SELECT RAISE(ABORT, 'poisoned user'); END;
        CREATE TRIGGER fail_event BEFORE INSERT ON events WHEN NEW.event_id = 'poison'
          BEGIN SELECT RAISE(ABORT, 'poisoned event'); END;`),
    );
    const items = [makeItem('keep', { title: 'after' }), makeItem('a'), makeItem('poison'), makeItem('b')];
    const events = ['e1', 'poison', 'e3'].map((eventId, index) => makeClick({ eventId, time: index }));
    expect((await expectRejection(store.upsertItems(items), 'INTERNAL')).message).toContain('poisoned item');
    await expectRejection(store.upsertUsers([makeUser('u1'), makeUser('poison')]), 'INTERNAL');
    await expectRejection(store.appendEvents(events), 'INTERNAL');

    // The update of `keep` before the failing row was rolled back with the rest.
    expect((await collect(store.scanItems())).map((item) => item.title)).toEqual(['before']);
    expect(await store.countUsers()).toBe(0);
    expect((await store.countEvents()).total).toBe(0);

    withRawDatabase(path, (db) => db.exec('DROP TRIGGER fail_item; DROP TRIGGER fail_user; DROP TRIGGER fail_event;'));
    // Had e1 survived the failed batch, the retry would report it as a duplicate.
    expect(await store.appendEvents(events)).toEqual({ accepted: 3, duplicates: 0, duplicateIndexes: [] });
    expect(await store.upsertItems(items)).toEqual({ inserted: 3, updated: 1 });
    await store.close();
  });

  it('two stores on one file see each other’s committed writes (WAL readers and a writer side by side)', async () => {
    const writer = await SqliteStore.open({ path });
    const reader = await SqliteStore.open({ path });
    await writer.appendEvents([makeClick({ eventId: 'e1', time: 1 })]);
    expect((await reader.countEvents()).total).toBe(1);
    await reader.close();
    await writer.close();
  });
});

describe('SqliteStore behaviour beyond the Store contract', () => {
  let store: SqliteStore;
  beforeEach(async () => {
    store = await SqliteStore.open({ path: ':memory:', pageSize: 2, clock: () => 1_700_000_000_000 });
  });
  afterEach(async () => {
    await store.close();
  });

  it('never reuses a model version: after deleting the latest, the next put takes a new number', async () => {
    const put = async () => (await store.putModel({ name: 'ctr', formatVersion: 1, data: new Uint8Array(4) })).version;
    expect([await put(), await put()]).toEqual([1, 2]);
    await store.deleteModel('ctr', 2);
    // A cache keyed by "ctr@2" must never see a different blob under that key.
    expect(await put()).toBe(3);
  });

  it('stamps a model with the injected clock when createdAt is not given', async () => {
    const info = await store.putModel({ name: 'ctr', formatVersion: 1, data: new Uint8Array(1) });
    expect(info.createdAt).toBe(1_700_000_000_000);
  });

  it('an empty types list matches no event (a filter that allows nothing), unlike an absent one', async () => {
    await store.appendEvents([makeClick({ eventId: 'e1', time: 1 })]);
    expect(await collect(store.readEvents({ types: [] }))).toEqual([]);
    expect((await store.countEvents({ types: [] })).total).toBe(0);
    expect(await collect(store.readEvents({}))).toHaveLength(1);
  });

  it('a stream whose store closes between pages fails with UNAVAILABLE instead of reading a closed handle', async () => {
    await store.appendEvents([1, 2, 3, 4, 5].map((time) => makeClick({ eventId: `e${time}`, time })));
    const events = store.readEvents()[Symbol.asyncIterator]();
    expect((await events.next()).value).toMatchObject({ eventId: 'e1' }); // page 1: e1, e2
    expect((await events.next()).value).toMatchObject({ eventId: 'e2' });
    await store.close();
    await expectRejection(events.next(), 'UNAVAILABLE', 'the page after close'); // page 2 needs the handle
  });

  it('rejects read arguments and options that are not what they claim, naming the value', async () => {
    const badLimit = await expectRejection(collect(store.readEvents({ limit: -1 })), 'INVALID_ARGUMENT', 'limit -1');
    expect(badLimit.message).toContain('-1');
    await expectRejection(collect(store.readEvents({ from: Number.NaN })), 'INVALID_ARGUMENT', 'from NaN');
    await expectRejection(store.queryCounts({ minUsers: 1.5 }), 'INVALID_ARGUMENT', 'minUsers 1.5');
    const unnamed = { name: '', formatVersion: 1, data: new Uint8Array(0) };
    await expectRejection(store.putModel(unnamed), 'INVALID_ARGUMENT', 'empty model name');
    await expectRejection(SqliteStore.open({ path: ':memory:', pageSize: 0 }), 'INVALID_ARGUMENT', 'pageSize 0');
    await expectRejection(SqliteStore.open({ path: '' }), 'INVALID_ARGUMENT', 'empty path');
  });

  it('reads ties that straddle a page boundary exactly once (page size 2, three events at one time)', async () => {
    await store.appendEvents([makeClick({ eventId: 'a', time: 7 }), makeEventOfType('query', { eventId: 'b', time: 7 })]);
    await store.appendEvents([makeClick({ eventId: 'c', time: 7 }), makeClick({ eventId: 'd', time: 3 })]);
    expect((await collect(store.readEvents())).map((event) => event.eventId)).toEqual(['d', 'a', 'b', 'c']);
  });
});
