import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Item } from '../core/index.js';
import { SqliteStore } from '../store/index.js';
import { csvRowToRecord } from './csv-columns.js';
import { exportRecords } from './export.js';
import { ingestFile } from './ingest.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'quarry-formats-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function file(name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

async function collectText(run: (out: PassThrough) => Promise<unknown>): Promise<string> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (chunk: Buffer) => chunks.push(chunk));
  await run(out);
  out.end();
  return Buffer.concat(chunks).toString('utf8');
}

describe('csvRowToRecord', () => {
  it('turns cells into the shapes the schemas expect', () => {
    expect(csvRowToRecord('items', { id: 'a', title: 'T', categoryPath: '数码 > 手机', price: '12.5', 'attr.ram': '12', 'attr.5g': 'true', brand: '' })).toEqual({
      id: 'a',
      title: 'T',
      categoryPath: ['数码', '手机'],
      price: 12.5,
      attributes: { ram: 12, '5g': true },
    });
    expect(csvRowToRecord('events', { type: 'impression', items: 'a;b;c', time: '5' })).toEqual({
      type: 'impression',
      time: 5,
      items: [{ itemId: 'a', position: 1 }, { itemId: 'b', position: 2 }, { itemId: 'c', position: 3 }],
    });
  });

  it('leaves a cell that does not convert as text, for the schema to name', () => {
    expect(csvRowToRecord('items', { price: 'cheap' })).toEqual({ price: 'cheap' });
    expect(csvRowToRecord('items', { attributes: '{"color":"red"', 'attr.size': 'L' })).toEqual({ attributes: '{"color":"red"' });
  });
});

describe('ingestFile', () => {
  it('writes the good lines of a JSONL file and reports each bad one with its line and field', async () => {
    const path = await file(
      'items.jsonl',
      [
        '{"id":"a","title":"华为 Mate 60"}',
        '',
        '{"id":"b","title":"","price":-3}',
        'not json',
        '{"id":"c","title":"小米 14","price":3999}',
        '[1,2]',
      ].join('\n'),
    );
    const store = await SqliteStore.open({ path: ':memory:' });
    const report = await ingestFile(store, { kind: 'items', path, format: 'jsonl', batchSize: 1 });
    expect(report).toMatchObject({ read: 5, written: 2, rejectedCount: 3 });
    expect(report.rejected).toEqual([
      { line: 3, field: 'title', message: expect.stringMatching(/empty; price: .*>=0/) as string }, // one line, two problems
      { line: 4, message: expect.stringMatching(/not valid JSON/) as string },
      { line: 6, message: 'is not a JSON object' },
    ]);
    expect(await store.countItems()).toBe(2);
    await store.close();
  });

  it('reads CSV with a BOM, rejects events dated in the future, and counts events already stored as duplicates', async () => {
    const csv =
      '\ufeffeventId,type,userId,time,itemId,requestId,position\ne1,click,u1,1700000000000,a,r1,1\ne2,click,u1,2023-11-14T22:13:20Z,b,r1,2\n' +
      'e3,click,,0,a,r1,1\ne4,click,u1,1700000000000000,a,r1,1\n'; // e4: microseconds, far in the future
    const path = await file('events.csv', csv);
    const store = await SqliteStore.open({ path: ':memory:' });
    const now = Date.UTC(2026, 10, 29);
    const first = await ingestFile(store, { kind: 'events', path, format: 'csv', now });
    expect(first).toMatchObject({ read: 4, written: 2, duplicates: 0, rejectedCount: 2 });
    expect(first.rejected[0]).toMatchObject({ line: 4, field: 'userId' });
    expect(first.rejected[1]).toMatchObject({ line: 5, field: 'time', message: expect.stringMatching(/in the future/) as string });
    const again = await ingestFile(store, { kind: 'events', path, format: 'csv', now });
    expect(again).toMatchObject({ written: 0, duplicates: 2 });
    await store.close();
  });

  it('fails with the line number on malformed CSV', async () => {
    const path = await file('broken.csv', 'id,title\na,"unclosed\n');
    const store = await SqliteStore.open({ path: ':memory:' });
    await expect(ingestFile(store, { kind: 'items', path, format: 'csv' })).rejects.toThrow(/cannot read .*broken\.csv: Quote Not Closed.* at line 2/);
    await store.close();
  });
});

describe('exportRecords', () => {
  it('round-trips items through CSV and JSONL', async () => {
    const source = await SqliteStore.open({ path: ':memory:' });
    const items: Item[] = [
      { id: 'a', title: '华为, "Mate" 60', description: '', categoryPath: ['数码', '手机'], attributes: { ram: 12 }, kind: 'product', price: 5 },
      { id: 'b', title: 'ad', description: 'line\nbreak', categoryPath: [], attributes: {}, kind: 'ad', bid: 1.5 },
    ];
    await source.upsertItems(items);
    for (const format of ['csv', 'jsonl'] as const) {
      const text = await collectText((out) => exportRecords(source, out, { kind: 'items', format }));
      const path = await file(`export.${format}`, text);
      const target = await SqliteStore.open({ path: ':memory:' });
      const report = await ingestFile(target, { kind: 'items', path, format });
      expect(report.rejectedCount).toBe(0);
      expect(await target.getItem('a')).toEqual(items[0]);
      expect(await target.getItem('b')).toEqual(items[1]);
      await target.close();
    }
    await source.close();
  });
});
