// The `quarry` command: exit codes, ingest's report of rejected lines, export, and usage errors.
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../src/cli/index.js';
import { runQuarry } from '../src/cli/testing.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'quarry-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const run = runQuarry;

describe('quarry simulate', () => {
  it('turns the click model list effect on with --list-effects: fewer clicks from the same shop', async () => {
    const tiny = ['--items', '300', '--users', '60', '--days', '2', '--sessions-per-day', '300', '--seed', 'list-effects', '--json'];
    const summary = async (name: string, ...extra: string[]) => {
      const result = await run('simulate', '--db', join(dir, name), ...tiny, ...extra);
      expect(result.code).toBe(EXIT.ok);
      return JSON.parse(result.stdout) as { events: { click: number; impression: number } };
    };
    const off = await summary('effects-off.db');
    const on = await summary('effects-on.db', '--list-effects');
    expect(off.events.click).toBeGreaterThan(on.events.click);
  });
});

describe('quarry ingest', () => {
  it('writes the good lines, reports each rejected line with its number and reason, and exits 1', async () => {
    const db = join(dir, 'ingest.db');
    const file = join(dir, 'items.csv');
    await writeFile(file, 'id,title,price,categoryPath\na,华为 Mate 60,6999,数码>手机\nb,,10,\nc,小米 14,-1,数码>手机\nd,口红,79,美妆>口红\n');
    const result = await run('ingest', 'items', file, '--db', db, '--json');
    expect(result.code).toBe(EXIT.failure);
    expect(result.stderr).toContain(`${file}:3: rejected (title)`);
    expect(result.stderr).toContain(`${file}:4: rejected (price)`);
    const report = JSON.parse(result.stdout) as { read: number; written: number; rejectedCount: number };
    expect(report).toMatchObject({ read: 4, written: 2, rejectedCount: 2 });

    const exported = join(dir, 'out.jsonl');
    expect((await run('export', 'items', '--db', db, '--out', exported)).code).toBe(EXIT.ok);
    const ids = (await readFile(exported, 'utf8')).trim().split('\n').map((line) => (JSON.parse(line) as { id: string }).id);
    expect(ids).toEqual(['a', 'd']);
  });

  it('exits 0 when every line is good', async () => {
    const file = join(dir, 'events.jsonl');
    await writeFile(file, '{"eventId":"e1","type":"click","userId":"u","itemId":"a","time":0}\n');
    expect((await run('ingest', 'events', file, '--db', join(dir, 'ok.db'))).code).toBe(EXIT.ok);
  });

  it('fails with exit 1 and a one-line message for a file that does not exist, creating no database', async () => {
    const db = join(dir, 'never.db');
    const result = await run('ingest', 'items', join(dir, 'missing.jsonl'), '--db', db);
    expect(result.code).toBe(EXIT.failure);
    expect(result.stderr.trim()).toMatch(/^quarry: no such file: .*missing\.jsonl$/);
    expect(existsSync(db)).toBe(false);
  });
});

describe('quarry export', () => {
  it('refuses a database that does not exist instead of creating an empty one', async () => {
    const db = join(dir, 'typo.db');
    const result = await run('export', 'items', '--db', db);
    expect(result.code).toBe(EXIT.failure);
    expect(result.stderr).toMatch(/no database at .*typo\.db/);
    expect(existsSync(db)).toBe(false);
  });
});

describe('bad usage exits 2 with a message naming the problem', () => {
  it.each([
    [['ingest', 'widgets', 'f.jsonl'], /must be one of items, users, events, got "widgets"/],
    [['ingest', 'items'], /missing required argument 'file'/],
    [['ingest', 'items', 'file.txt', '--db', ':memory:'], /cannot tell the format of "file\.txt"/],
    [['serve', '--port', 'eighty'], /whole number from 0 to 65535, got "eighty"/],
    [['demo', '--items', '-5'], /--items/],
    [['export', 'events', '--from', 'yesterday'], /ISO-8601/],
    [['frobnicate'], /unknown command 'frobnicate'/],
  ])('quarry %s', async (argv, message) => {
    const result = await run(...argv);
    expect(result.code).toBe(EXIT.usage);
    expect(result.stderr).toMatch(message);
  });

  it('a PORT environment variable that is not a port', async () => {
    const saved = process.env.PORT;
    process.env.PORT = 'abc';
    try {
      const result = await run('serve', '--db', join(dir, 'port.db'));
      expect(result.code).toBe(EXIT.usage);
      expect(result.stderr).toMatch(/environment variable PORT must be a whole number/);
    } finally {
      if (saved === undefined) delete process.env.PORT;
      else process.env.PORT = saved;
    }
  });

  it('a configuration file with a bad field', async () => {
    const config = join(dir, 'bad.json');
    await writeFile(config, JSON.stringify({ rank: { popularityWeight: -1 } }));
    const result = await run('simulate', '--db', join(dir, 'cfg.db'), '--config', config, '--items', '10', '--users', '1', '--days', '0');
    expect(result.code).toBe(EXIT.usage);
    expect(result.stderr).toMatch(/bad\.json.*rank\.popularityWeight/);
  });

  it('--help and --version exit 0', async () => {
    expect((await run('--version')).code).toBe(EXIT.ok);
    const help = await run('--help');
    expect(help.code).toBe(EXIT.ok);
    expect(help.stdout).toMatch(/demo/);
  });
});
