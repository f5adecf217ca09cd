import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ItemInput } from '../core/index.js';
import { Engine } from '../engine/index.js';
import { SqliteStore } from '../store/index.js';
import { buildServer, type QuarryServer } from './app.js';

const ITEMS: ItemInput[] = [
  { id: 'mate60', title: '华为 Mate 60 Pro 5G手机 12GB+512GB 雅川青', categoryPath: ['数码', '手机'], brand: '华为', price: 6999 },
  { id: 'k70', title: '小米 Redmi K70 5G手机 16GB+512GB 墨羽', categoryPath: ['数码', '手机'], brand: '小米', price: 2499 },
  { id: 'lip', title: '完美日记 小细跟口红 丝绒雾面 #02', categoryPath: ['美妆', '口红'], brand: '完美日记', price: 79 },
];

let store: SqliteStore;
let engine: Engine;
let app: QuarryServer;

beforeAll(async () => {
  store = await SqliteStore.open({ path: ':memory:' });
  engine = await Engine.open({ store });
  app = await buildServer({ engine, bodyLimit: 256 * 1024, version: '9.9.9' });
  const response = await app.inject({ method: 'POST', url: '/items', payload: { items: ITEMS } });
  expect(response.statusCode).toBe(200);
});

afterAll(async () => {
  await app.close();
  await engine.close();
  await store.close();
});

type ErrorBody = { error: { code: string; message: string; field?: string } };

/** Sends a request that must fail, and returns its status and error body. */
async function failing(request: InjectOptions): Promise<{ status: number; error: ErrorBody['error'] }> {
  const response = await app.inject(request);
  expect(response.statusCode).toBeGreaterThanOrEqual(400);
  expect(response.headers['content-type']).toMatch(/application\/json/);
  return { status: response.statusCode, error: response.json<ErrorBody>().error };
}

describe('reads', () => {
  it('GET /health says what is loaded', async () => {
    const body = (await app.inject('/health')).json<{ status: string; items: number; version: string }>();
    expect(body).toMatchObject({ status: 'ok', items: 3, version: '9.9.9' });
  });

  it('GET and POST /search give the same results', async () => {
    const get = (await app.inject('/search?q=%E6%89%8B%E6%9C%BA&brand=%E5%B0%8F%E7%B1%B3&log=false')).json<{ items: { id: string }[] }>();
    const post = (
      await app.inject({ method: 'POST', url: '/search', payload: { query: '手机', filters: { brands: ['小米'] }, log: false } })
    ).json<{ items: { id: string }[] }>();
    expect(get.items.map((i) => i.id)).toEqual(['k70']);
    expect(post.items.map((i) => i.id)).toEqual(['k70']);
  });

  it('GET /search with explain returns the trace', async () => {
    const body = (await app.inject('/search?q=%E5%8F%A3%E7%BA%A2&explain=true')).json<{ trace: { stages: unknown[] }; items: { explain: unknown }[] }>();
    expect(body.trace.stages).toHaveLength(4);
    expect(body.items[0]?.explain).toBeDefined();
  });

  it('GET /recommend serves users and similar items', async () => {
    const events = [{ eventId: 'rec-1', type: 'click', userId: 'lipstick-fan', itemId: 'lip', time: 1_000 }];
    expect((await app.inject({ method: 'POST', url: '/events', payload: { events } })).statusCode).toBe(200);
    const forUser = (await app.inject('/recommend?user=lipstick-fan&log=false')).json<{ items: { id: string }[]; userId: string }>();
    expect(forUser.userId).toBe('lipstick-fan');
    expect(forUser.items[0]?.id).toBe('lip'); // the only item of the category the user acted in
    const similar = (await app.inject('/recommend?item=mate60')).json<{ items: { id: string }[]; itemId: string }>();
    expect(similar.itemId).toBe('mate60');
    expect(similar.items.map((i) => i.id)).not.toContain('mate60');
  });

  it('GET /suggest completes with queries two users issued, and explains on demand', async () => {
    const events = ['s1', 's2'].map((userId) => ({ eventId: `sq-${userId}`, type: 'query', userId, requestId: `sr-${userId}`, query: 'Huawei Phone', time: 1_000 }));
    expect((await app.inject({ method: 'POST', url: '/events', payload: { events } })).statusCode).toBe(200);
    const body = (await app.inject('/suggest?q=hua&user=u1&explain=true')).json<{ suggestions: unknown[]; prefix: string; trace: { stages: { detail: unknown }[] } }>();
    expect(body.prefix).toBe('hua');
    expect(body.suggestions).toEqual([{ text: 'huawei phone', count: 2 }]);
    expect(body.trace.stages[0]?.detail).toEqual({ normalizedPrefix: 'hua', completions: 1, minUsers: 2 });
  });

  it('serves the page and an OpenAPI document of every route', async () => {
    const page = await app.inject('/');
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.body).toContain('<input id="q"');
    const doc = (await app.inject('/openapi.json')).json<{ openapi: string; paths: Record<string, unknown> }>();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths).sort()).toEqual(['/events', '/guess', '/health', '/hint', '/items', '/items/{id}', '/recommend', '/related', '/search', '/suggest', '/users']);
  });
});

describe('writes', () => {
  it('POST /events stores a batch once, however often it is sent', async () => {
    const events = [{ eventId: 'ev-1', type: 'click', userId: 'u1', itemId: 'lip', time: '2026-10-02T10:00:00+08:00' }];
    const first = await app.inject({ method: 'POST', url: '/events', payload: { events } });
    const again = await app.inject({ method: 'POST', url: '/events', payload: { events } });
    expect(first.json()).toEqual({ accepted: 1, duplicates: 0 });
    expect(again.json()).toEqual({ accepted: 0, duplicates: 1 });
  });

  it('GET /items/:id returns the item as stored, with defaults filled in', async () => {
    const item = (await app.inject('/items/lip')).json<Record<string, unknown>>();
    expect(item).toEqual({ ...ITEMS[2], description: '', attributes: {}, kind: 'product' });
    expect((await failing({ method: 'GET', url: '/items/none' })).error).toMatchObject({ code: 'NOT_FOUND', field: 'id' });
  });

  it('DELETE /items/:id removes an item, then 404s', async () => {
    await app.inject({ method: 'POST', url: '/items', payload: { items: [{ id: 'tmp', title: 'temporary 临时' }] } });
    expect((await app.inject({ method: 'DELETE', url: '/items/tmp' })).json()).toEqual({ deleted: true });
    const again = await failing({ method: 'DELETE', url: '/items/tmp' });
    expect(again).toMatchObject({ status: 404, error: { code: 'NOT_FOUND', field: 'id' } });
  });

  it('POST /users upserts users', async () => {
    const response = await app.inject({ method: 'POST', url: '/users', payload: { users: [{ id: 'u1', region: '上海' }] } });
    expect(response.json()).toEqual({ inserted: 1, updated: 0 });
  });
});

describe('bad input gets a 4xx naming the field, and writes nothing', () => {
  it('malformed JSON', async () => {
    const bad = await failing({ method: 'POST', url: '/items', headers: { 'content-type': 'application/json' }, payload: '{"items": [' });
    expect(bad).toMatchObject({ status: 400, error: { code: 'INVALID_ARGUMENT', field: 'body' } });
  });

  it('a wrong type deep in a batch, with the whole batch refused', async () => {
    const items = [{ id: 'new1', title: 'ok 好' }, { id: 'new2', title: 'bad', price: 'cheap' }];
    const bad = await failing({ method: 'POST', url: '/items', payload: { items } });
    expect(bad).toMatchObject({ status: 400, error: { code: 'INVALID_ARGUMENT', field: 'items.1.price' } });
    expect(bad.error.message).toMatch(/nothing was written/);
    expect(await store.getItem('new1')).toBeUndefined();
  });

  it('unknown fields in records', async () => {
    const bad = await failing({ method: 'POST', url: '/items', payload: { items: [{ id: 'x', title: 'x', colour: 'red' }] } });
    expect(bad.error.field).toBe('items.0');
    expect(bad.error.message).toMatch(/colour/);
  });

  it('too many records in one batch', async () => {
    const events = Array.from({ length: 1_001 }, (_, i) => ({ eventId: `b${i}`, type: 'click', userId: 'u', itemId: 'lip', time: 0 }));
    const bad = await failing({ method: 'POST', url: '/events', payload: { events } });
    expect(bad).toMatchObject({ status: 400, error: { field: 'events' } });
    expect(bad.error.message).toMatch(/1000/);
  });

  it('an oversized body', async () => {
    const items = [{ id: 'big', title: 'x', description: 'y'.repeat(300 * 1024) }];
    const bad = await failing({ method: 'POST', url: '/items', payload: { items } });
    expect(bad).toMatchObject({ status: 413, error: { code: 'PAYLOAD_TOO_LARGE', field: 'body' } });
  });

  it('an event of an unknown type', async () => {
    const bad = await failing({ method: 'POST', url: '/events', payload: { events: [{ eventId: 'e', type: 'like', userId: 'u', time: 0 }] } });
    expect(bad.error.field).toBe('events.0.type');
  });

  it('query-string parameters of the wrong shape, or unknown ones', async () => {
    expect((await failing({ method: 'GET', url: '/search?q=x&limit=abc' })).error.field).toBe('limit');
    expect((await failing({ method: 'GET', url: '/search?q=x&limit=500' })).error.field).toBe('limit');
    expect((await failing({ method: 'GET', url: '/search?q=x&priceMin=5&priceMax=1' })).error.field).toBe('filters.priceMin');
    expect((await failing({ method: 'GET', url: '/search?q=x&colour=red' })).error.message).toMatch(/colour/);
    expect((await failing({ method: 'GET', url: '/suggest' })).error.field).toBe('q');
    expect((await failing({ method: 'GET', url: `/suggest?q=${'x'.repeat(1_001)}` })).error.field).toBe('q');
    expect((await failing({ method: 'GET', url: '/recommend?item=nope' })).status).toBe(404);
  });

  it('a POST body that is not an object of the request shape', async () => {
    expect((await failing({ method: 'POST', url: '/search', payload: { query: 5 } })).error.field).toBe('query');
    expect((await failing({ method: 'POST', url: '/search', payload: [] })).status).toBe(400);
  });

  it('bad users, and bad recommend and suggest bodies', async () => {
    expect((await failing({ method: 'POST', url: '/users', payload: { users: [{ id: '' }] } })).error.field).toBe('users.0.id');
    expect((await failing({ method: 'POST', url: '/users', payload: { users: [] } })).error.field).toBe('users');
    expect((await failing({ method: 'POST', url: '/recommend', payload: { itemId: 'mate60', limit: 'ten' } })).error.field).toBe('limit');
    expect((await failing({ method: 'POST', url: '/recommend', payload: { itemId: 'nope' } })).status).toBe(404);
    expect((await failing({ method: 'POST', url: '/suggest', payload: { prefix: 'a', limit: 51 } })).error.field).toBe('limit');
    expect((await failing({ method: 'POST', url: '/suggest', payload: {} })).error.field).toBe('prefix');
  });

  it('a delete of an id that was never stored, however long', async () => {
    const long = 'x'.repeat(200);
    const bad = await failing({ method: 'DELETE', url: `/items/${long}` });
    expect(bad).toMatchObject({ status: 404, error: { code: 'NOT_FOUND', field: 'id' } });
    const tooLong = await failing({ method: 'DELETE', url: `/items/${'x'.repeat(300)}` });
    expect(tooLong).toMatchObject({ status: 400, error: { field: 'id' } });
  });

  it('a body that is not JSON, or not an object', async () => {
    const text = await failing({ method: 'POST', url: '/events', headers: { 'content-type': 'text/plain' }, payload: 'hello' });
    expect(text).toMatchObject({ status: 400, error: { field: 'body' } });
    const xml = await failing({ method: 'POST', url: '/events', headers: { 'content-type': 'application/xml' }, payload: '<a/>' });
    expect(xml).toMatchObject({ status: 415, error: { field: 'content-type' } });
  });

  it('bad GET /recommend parameters', async () => {
    expect((await failing({ method: 'GET', url: '/recommend?limit=0' })).error.field).toBe('limit');
    expect((await failing({ method: 'GET', url: '/recommend?offset=-1' })).error.field).toBe('offset');
    expect((await failing({ method: 'GET', url: '/recommend?kind=gadget' })).error.field).toBe('kind.0');
    expect((await failing({ method: 'GET', url: '/recommend?explain=maybe' })).error.field).toBe('explain');
  });

  it('an unknown route', async () => {
    const bad = await failing({ method: 'GET', url: '/nope' });
    expect(bad).toMatchObject({ status: 404, error: { code: 'NOT_FOUND' } });
  });
});
