// The HTTP API over a real listening port, and graceful shutdown writing what is pending.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { Engine } from '../src/engine/index.js';
import { serve } from '../src/server/index.js';
import { SqliteStore } from '../src/store/index.js';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'quarry-http-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('HTTP on a real port', () => {
  it('serves requests, then on close writes the served-list events still pending', async () => {
    const path = join(dir, 'q.db');
    const store = await SqliteStore.open({ path });
    // A flush interval far longer than the test: only the graceful shutdown can write the events.
    const engine = await Engine.open({ store, config: { eventLog: { flushIntervalMs: 60_000 } } });
    const server = await serve({ engine, store, port: 0 });
    onTestFinished(() => server.close());
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    const post = await fetch(`${server.url}/items`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ items: [{ id: 'tea', title: '西湖龙井 明前特级 250g', categoryPath: ['食品', '茶叶'], price: 398 }] }),
    });
    expect(post.status).toBe(200);
    const search = await fetch(`${server.url}/search?q=${encodeURIComponent('龙井')}&user=u1&requestId=real-1`);
    expect(search.status).toBe(200);
    const body = (await search.json()) as { items: { id: string }[] };
    expect(body.items.map((i) => i.id)).toEqual(['tea']);
    expect(engine.status().eventLog.pending).toBe(2); // the query and the impression, not yet written

    await server.close();
    await server.close(); // a second close is harmless

    const reopened = await SqliteStore.open({ path });
    const ids: string[] = [];
    for await (const event of reopened.readEvents()) ids.push(event.eventId);
    expect(ids.sort()).toEqual(['real-1:impression', 'real-1:query']);
    await reopened.close();
  });

  it('answers bad input over the wire with a JSON error body', async () => {
    const store = await SqliteStore.open({ path: ':memory:' });
    const engine = await Engine.open({ store });
    const server = await serve({ engine, store, port: 0 });
    try {
      const response = await fetch(`${server.url}/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"events": 5}' });
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: { field: string } }).error.field).toBe('events');
    } finally {
      await server.close();
    }
  });
  it('serves /suggest by pinyin, /hint, /guess and /related, and answers bad input with a clear 400', async () => {
    const store = await SqliteStore.open({ path: ':memory:' });
    const engine = await Engine.open({ store });
    const server = await serve({ engine, store, port: 0 });
    try {
      const events = ['a', 'b'].flatMap((userId) =>
        ['手机', '手机壳'].map((query, i) => ({ eventId: `${userId}-${i}`, type: 'query', userId, query, requestId: `${userId}-r${i}`, time: 1_000 + i })),
      );
      const post = await fetch(`${server.url}/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ events }) });
      expect(post.status).toBe(200);
      const get = async (path: string) => {
        const response = await fetch(`${server.url}${path}`);
        return { status: response.status, body: (await response.json()) as Record<string, unknown> };
      };
      const suggest = await get('/suggest?q=sj');
      // Initials: 手机壳 (sjk, issued later, so more recent) and 手机 (sj).
      expect(suggest.body.suggestions).toEqual([{ text: '手机壳', count: 2 }, { text: '手机', count: 2 }]);
      expect(suggest.body.scoped).toEqual([]);
      expect((await get('/hint?user=stranger')).body.hint).toEqual({ text: '手机壳', reason: 'popular' }); // unknown user: cold start
      expect((await get('/guess?limit=1')).body.queries).toEqual([{ text: '手机壳', reason: 'popular' }]);
      expect((await get(`/related?q=${encodeURIComponent('手机')}`)).body.queries).toEqual([{ text: '手机壳', reason: 'next', weight: 2 }]);
      for (const bad of ['/suggest?q=a%01b', `/suggest?q=${'a'.repeat(10_000)}`, '/hint', '/hint?user=', '/related', '/guess?limit=0']) {
        const { status, body } = await get(bad);
        expect(status, bad).toBe(400);
        expect((body.error as { code: string }).code, bad).toBe('INVALID_ARGUMENT');
      }
      expect((await get('/related?item=nope')).status).toBe(404);
    } finally {
      await server.close();
    }
  });
});
