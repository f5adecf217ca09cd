import { describe, expect, it } from 'vitest';
import { CancelledError, EventSchema, InvalidArgumentError, NotFoundError, type EventInput, type ItemInput } from '../core/index.js';
import { SqliteStore } from '../store/index.js';
import { Engine } from './engine.js';
import { useTestEngines } from './test-engines.js';

const T0 = Date.UTC(2026, 9, 1);

const ITEMS: ItemInput[] = [
  { id: 'mate60', title: '华为 Mate 60 Pro 5G手机 12GB+512GB 雅川青', categoryPath: ['数码', '手机'], brand: '华为', price: 6999 },
  { id: 'p70', title: '华为 P70 5G手机 12GB+256GB 雪域白', categoryPath: ['数码', '手机'], brand: '华为', price: 5499 },
  { id: 'k70', title: '小米 Redmi K70 5G手机 16GB+512GB 墨羽', categoryPath: ['数码', '手机'], brand: '小米', price: 2499 },
  { id: 'buds', title: '华为 FreeBuds Pro 3 无线耳机', categoryPath: ['数码', '耳机'], brand: '华为', price: 1299 },
  { id: 'lip', title: '完美日记 小细跟口红 丝绒雾面 #02', categoryPath: ['美妆', '口红'], brand: '完美日记', price: 79 },
  { id: 'ad1', title: '小米 14 Ultra 5G手机 徕卡影像', categoryPath: ['数码', '手机'], brand: '小米', price: 6499, kind: 'ad', bid: 2.5 },
];

let counter = 0;
const click = (userId: string, itemId: string, time = T0): EventInput => ({ eventId: `c${counter++}`, type: 'click', userId, itemId, time });
const query = (userId: string, text: string, time = T0): EventInput => ({ eventId: `q${counter++}`, type: 'query', userId, query: text, requestId: `r${counter}`, time });

const openTestEngine = useTestEngines();
function openEngine(options: { items?: ItemInput[]; events?: EventInput[]; config?: unknown } = {}) {
  return openTestEngine({ items: options.items ?? ITEMS, events: options.events, config: options.config, now: T0 + 86_400_000 });
}

describe('Engine.search', () => {
  it('finds items by the words of their titles, Chinese and Latin', async () => {
    const { engine } = await openEngine();
    expect(engine.search({ query: '耳机' }).items.map((i) => i.id)).toEqual(['buds']);
    expect(engine.search({ query: 'redmi k70' }).items.map((i) => i.id)).toEqual(['k70']);
    const phones = engine.search({ query: '华为手机' }).items.map((i) => i.id);
    expect(phones.slice(0, 2).sort()).toEqual(['mate60', 'p70']); // the only items with both 华为 and 手机
  });

  it('orders equally relevant items by popularity', async () => {
    const { engine } = await openEngine({ events: [click('u1', 'p70'), click('u2', 'p70'), click('u3', 'mate60')] });
    expect(engine.search({ query: '华为手机' }).items.slice(0, 2).map((i) => i.id)).toEqual(['p70', 'mate60']);
  });

  it('applies filters and pages with 1-based positions', async () => {
    const { engine } = await openEngine();
    const page = engine.search({ query: '手机', filters: { brands: ['小米'] }, limit: 1, offset: 1 });
    expect(page.total).toBe(2); // k70 and the 小米 ad
    expect(page.items).toHaveLength(1);
    expect(page.items[0]?.position).toBe(2);
    expect(engine.search({ query: '手机', filters: { priceMax: 3000 } }).items.map((i) => i.id)).toEqual(['k70']);
  });

  it('browses by popularity when the query is empty', async () => {
    const { engine } = await openEngine({ events: [click('u1', 'lip'), click('u2', 'lip')] });
    const browse = engine.search({ query: '', filters: { category: ['美妆'] } });
    expect(browse.items.map((i) => i.id)).toEqual(['lip']);
  });

  it('explains each result and traces each stage when asked, and not otherwise', async () => {
    const { engine } = await openEngine();
    const plain = engine.search({ query: '耳机' });
    expect(plain.trace).toBeUndefined();
    expect(plain.items[0]?.explain).toBeUndefined();
    const explained = engine.search({ query: '耳机', explain: true });
    expect(explained.trace?.stages.map((s) => `${s.stage}:${s.name}`)).toEqual(['recall:lexical', 'merge:union', 'rank:popularity', 'rerank:noop']);
    expect(explained.trace?.stages[0]?.detail).toMatchObject({ units: ['耳机'] });
    expect(explained.items[0]?.id).toBe('buds');
    expect(explained.items[0]?.explain?.sources.map((s) => [s.channel, s.rank])).toEqual([['lexical', 1]]);
    expect(explained.items[0]?.explain?.rank?.value).toBeCloseTo(explained.items[0]!.score, 6);
  });

  it('names the bad field of a bad request', async () => {
    const { engine } = await openEngine();
    expect(() => engine.search({ query: '手机', limit: 0 })).toThrow(InvalidArgumentError);
    expect(() => engine.search({ query: '手机', limit: 0 })).toThrow(/at limit/);
    expect(() => engine.search({ query: 'x'.repeat(1_001) })).toThrow(/at query/);
  });
});

describe('Engine.recommend', () => {
  it('recommends from the categories a user acted in, and popular items to anyone', async () => {
    const { engine } = await openEngine({ events: [click('fan', 'buds'), click('other', 'lip'), click('other2', 'lip')] });
    expect(engine.recommend({ userId: 'fan' }).items[0]?.id).toBe('buds'); // the only 耳机; then popular fill
    expect(engine.recommend({}).items[0]?.id).toBe('lip'); // most popular overall
  });

  it('finds similar items in the same category, never the item itself', async () => {
    const { engine } = await openEngine();
    const similar = engine.recommend({ itemId: 'mate60' }).items.map((i) => i.id);
    expect(similar).not.toContain('mate60');
    expect(similar[0]).toBe('p70'); // same leaf category and brand
    expect(() => engine.recommend({ itemId: 'nope' })).toThrow(NotFoundError);
  });
});

describe('Engine.suggest', () => {
  it('completes prefixes with queries at least two users issued', async () => {
    const { engine } = await openEngine({ events: [query('a', '华为手机'), query('b', '华为手机'), query('c', '华为耳机')] });
    expect(engine.suggest({ prefix: '华为' }).suggestions).toEqual([{ text: '华为手机', count: 2 }]);
    expect(engine.suggest({ prefix: '华为' }).trace).toBeUndefined();
    expect(engine.suggest({ prefix: '华为', explain: true }).trace?.stages).toEqual([
      expect.objectContaining({ stage: 'suggest', name: 'query-suggester', input: 1, output: 1, detail: { normalizedPrefix: '华为', completions: 1, minUsers: 2 } }),
    ]);
    expect(engine.suggest({ prefix: '' }).suggestions).toEqual([]);
  });
});

describe('Engine writes', () => {
  it('writes nothing of a batch with one bad item', async () => {
    const { engine, store } = await openEngine({ items: [] });
    const batch = [ITEMS[0], { ...ITEMS[1], price: -1 }];
    await expect(engine.upsertItems(batch)).rejects.toThrow(/items\.1\.price/);
    expect(await store.countItems()).toBe(0);
    expect(engine.search({ query: '华为' }).items).toEqual([]);
  });

  it('stores a retried event batch once and does not learn it twice', async () => {
    const { engine, store } = await openEngine();
    const batch = [click('u1', 'k70'), click('u2', 'k70')];
    expect(await engine.appendEvents(batch)).toMatchObject({ accepted: 2, duplicates: 0 });
    expect(await engine.appendEvents(batch)).toMatchObject({ accepted: 0, duplicates: 2 });
    expect((await store.countEvents()).total).toBe(2);
    expect(engine.status().events.click).toBe(2);
    // A retry that mixes stored and new events: only the new one is learned.
    expect(await engine.appendEvents([batch[0], click('u3', 'k70')])).toMatchObject({ accepted: 1, duplicates: 1 });
    expect(engine.status().events.click).toBe(3);
  });

  it('learns events at once with learnParsedEvents, and stores them later without learning them again', async () => {
    const { engine, store } = await openEngine();
    const events = [click('u1', 'k70'), click('u2', 'k70')].map((e) => EventSchema.parse(e));
    engine.learnParsedEvents(events);
    expect(engine.status().events.click).toBe(2);
    expect((await store.countEvents()).total).toBe(0);
    expect(await engine.appendParsedEvents(events, { learned: true })).toMatchObject({ accepted: 2 });
    expect((await store.countEvents()).total).toBe(2);
    expect(engine.status().events.click).toBe(2);
  });

  it('removes a deleted item from every answer', async () => {
    const { engine } = await openEngine();
    expect(await engine.deleteItem('buds')).toBe(true);
    expect(engine.search({ query: '耳机' }).items).toEqual([]);
    expect(await engine.deleteItem('buds')).toBe(false);
  });

  it('logs the query and the list served when asked, once per request id', async () => {
    const { engine, store } = await openEngine();
    const response = engine.search({ query: '手机', userId: 'u9', log: true, requestId: 'req-1' });
    engine.search({ query: '手机', userId: 'u9', log: true, requestId: 'req-1' }); // the same request again
    expect(engine.status().events.query).toBe(1); // learned at once, and once
    await engine.flush();
    const events = [];
    for await (const event of store.readEvents({ userId: 'u9' })) events.push(event);
    expect(events.map((e) => e.eventId).sort()).toEqual(['req-1:impression', 'req-1:query']);
    const impression = events.find((e) => e.type === 'impression');
    expect(impression?.type === 'impression' && impression.items.length).toBe(response.items.length);
  });

  it('logs events that are valid records even for the longest request id', async () => {
    const { engine, store } = await openEngine();
    engine.search({ query: '手机', userId: 'u1', log: true, requestId: 'r'.repeat(200) });
    await engine.flush();
    const events = [];
    for await (const event of store.readEvents()) events.push(event);
    expect(events).toHaveLength(2);
    for (const event of events) expect(EventSchema.safeParse(event).success).toBe(true);
    expect(() => engine.search({ query: 'x', requestId: 'r'.repeat(201) })).toThrow(/at requestId/);
  });
});

describe('Engine.open', () => {
  it('serves the same answers after a restart over the same store', async () => {
    const { engine, store } = await openEngine({ events: [click('u1', 'p70'), query('a', '手机'), query('b', '手机')] });
    const before = engine.search({ query: '华为手机' }).items.map((i) => i.id);
    const reopened = await Engine.open({ store, clock: () => T0 + 86_400_000 });
    expect(reopened.search({ query: '华为手机' }).items.map((i) => i.id)).toEqual(before);
    expect(reopened.suggest({ prefix: '手' }).suggestions).toEqual([{ text: '手机', count: 2 }]);
    await reopened.close();
  });

  it('refuses a bad configuration by naming the field', async () => {
    const store = await SqliteStore.open({ path: ':memory:' });
    await expect(Engine.open({ store, config: { recall: { channels: { search: ['nope'] } } } })).rejects.toThrow(/recall\.channels\.search\.0/);
    await store.close();
  });

  it('stops loading when its signal is aborted', async () => {
    // Loading checks its signal every 5,000 items: give it more than that.
    const { store } = await openEngine({ items: [] });
    const items = Array.from({ length: 6_000 }, (_, i) => ({ id: `i${i}`, title: `item ${i}`, description: '', categoryPath: [], attributes: {}, kind: 'product' as const }));
    await store.upsertItems(items);
    const abort = new AbortController();
    abort.abort();
    await expect(Engine.open({ store, signal: abort.signal })).rejects.toThrow(CancelledError);
  });
});

describe('Engine edge cases', () => {
  it('pages past the configured candidate counts', async () => {
    const items = Array.from({ length: 60 }, (_, i) => ({ id: `t${i}`, title: `茶叶 tea ${i}` }));
    const { engine } = await openEngine({ items, config: { recall: { candidatesPerChannel: 10, maxCandidates: 10 } } });
    const page = engine.search({ query: '茶叶', offset: 40, limit: 20 });
    expect(page.total).toBe(60);
    expect(page.items.map((i) => i.position)).toEqual(Array.from({ length: 20 }, (_, i) => 41 + i));
    expect(engine.search({ query: '', offset: 50, limit: 20 }).items).toHaveLength(10);
  });

  it('keeps scores finite for a request dated long before its data', async () => {
    const { engine } = await openEngine({ events: [click('u1', 'lip')] });
    const browse = engine.search({ query: '', time: 0 });
    expect(browse.items.every((i) => Number.isFinite(i.score))).toBe(true);
    expect(browse.items[0]?.id).toBe('lip');
  });

  it('refuses events from the future, naming them, and writes none of the batch', async () => {
    const { engine, store } = await openEngine();
    const future = { ...click('u1', 'lip'), time: (T0 + 86_400_000) * 1000 }; // microseconds by mistake
    await expect(engine.appendEvents([click('u1', 'k70'), future])).rejects.toThrow(/events\.1\.time .* in the future/);
    expect((await store.countEvents()).total).toBe(0);
  });

  it('learns an event whose id repeats within one batch exactly once', async () => {
    const { engine } = await openEngine();
    const event = click('u1', 'k70');
    expect(await engine.appendEvents([event, event])).toMatchObject({ accepted: 1, duplicates: 1, duplicateIndexes: [1] });
    expect(engine.status().events.click).toBe(1);
  });
});

describe('Engine rerankers', () => {
  it('runs the configured chain, specs or bare type names, and says in the trace what it did', async () => {
    const { engine } = await openEngine({ config: { rerank: { rerankers: [{ type: 'scatter', rules: [{ attribute: 'brand', window: 2, max: 1 }] }, 'noop'] } } });
    const page = engine.search({ query: '手机', limit: 4, explain: true });
    expect(page.trace?.stages.filter((s) => s.stage === 'rerank').map((s) => s.name)).toEqual(['scatter', 'noop']);
    // No two neighbours share a brand, where the rule can hold.
    const brands = page.items.map((i) => i.brand);
    for (let i = 1; i < brands.length; i++) expect(brands[i], JSON.stringify(brands)).not.toBe(brands[i - 1]);
  });

  it('feeds served pages to traffic control: a frequency cap buries what a user has seen enough today', async () => {
    const { engine } = await openEngine({ config: { rerank: { rerankers: [{ type: 'frequency-cap', maxPerDay: 1, action: 'filter' }] } } });
    const first = engine.search({ query: '手机', userId: 'u1', limit: 2 });
    const again = engine.search({ query: '手机', userId: 'u1', limit: 2 });
    expect(again.items.map((i) => i.id)).not.toContain(first.items[0]?.id);
    // Another user is not affected.
    expect(engine.search({ query: '手机', userId: 'u2', limit: 2 }).items[0]?.id).toBe(first.items[0]?.id);
  });

  it('refuses a bad reranker configuration at open, naming the field', async () => {
    const store = await SqliteStore.open({ path: ':memory:' });
    const bad = { rerank: { rerankers: [{ type: 'scatter', rules: [{ attribute: 'brand', window: 2, max: 3 }] }] } };
    await expect(Engine.open({ store, config: bad })).rejects.toThrow(/rerank\.rerankers\.0\.rules\.0/);
    await expect(Engine.open({ store, config: { rerank: { rerankers: ['shuffle'] } } })).rejects.toThrow(/unknown reranker type "shuffle"/);
    await store.close();
  });
});

describe('Engine search facets and filters (lexical channel)', () => {
  it('counts brands, categories and price bands over every match, and applies filters inside the search', async () => {
    const { engine } = await openEngine();
    const page = engine.search({ query: '手机', limit: 1 });
    expect(page.total).toBe(4);
    expect(page.facets?.brand).toEqual([
      { value: '华为', count: 2 },
      { value: '小米', count: 2 },
    ]);
    expect(page.facets?.price?.find((b) => b.count > 0 && b.value.startsWith('2000'))?.count).toBe(1);
    const filtered = engine.search({ query: '手机', filters: { brands: ['小米'] } });
    expect(filtered.items.map((i) => i.id).sort()).toEqual(['ad1', 'k70']);
    expect(filtered.total).toBe(2);
  });

  it('finds items by pinyin and survives typos in Latin words', async () => {
    const { engine } = await openEngine();
    expect(engine.search({ query: 'huawei' }).items.map((i) => i.brand)).toContain('华为');
    expect(engine.search({ query: 'Redmi K70' }).items[0]?.id).toBe('k70');
    expect(engine.search({ query: 'Redmii K70' }).items[0]?.id).toBe('k70');
  });
});
