import { describe, expect, it } from 'vitest';
import type { EventInput, ItemInput } from '../core/index.js';
import { useTestEngines } from './test-engines.js';

const T0 = Date.UTC(2026, 9, 1);
const BRANDS = ['华为', '小米', '苹果'];
const COLORS = ['白色', '黑色'];

/** 24 phones: 3 brands × 8, two colours, prices 1,000..5,600; 4 earphones of 华为. */
const ITEMS: ItemInput[] = [
  ...Array.from({ length: 24 }, (_, i) => ({
    id: `phone${i}`,
    title: `${BRANDS[i % 3]} 手机 型号${i}`,
    categoryPath: ['数码', '手机'],
    brand: BRANDS[i % 3] as string,
    price: 1_000 + 200 * i,
    attributes: { color: COLORS[i % 2] as string },
  })),
  ...Array.from({ length: 4 }, (_, i) => ({ id: `buds${i}`, title: `华为 耳机 ${i}`, categoryPath: ['数码', '耳机'], brand: '华为', price: 500 + i })),
];

const openTestEngine = useTestEngines();
async function openEngine(config?: unknown) {
  return (await openTestEngine({ items: ITEMS, config, now: T0 + 86_400_000 })).engine;
}

describe('Engine.search refinement chips', () => {
  it('offers the facets that split a broad query, each chip a filter or query that keeps its share', async () => {
    const engine = await openEngine({ suggest: { refinement: { minResults: 10 } } });
    const page = engine.search({ query: '手机', limit: 5 });
    const chips = page.refinements ?? [];
    // Over the 24 phones: price (4 bands, 2 bits) > brand (3 even values, 1.58) > color (1 bit); one category (0 bits).
    expect([...new Set(chips.map((c) => c.kind))]).toEqual(['price', 'brand', 'attribute']);
    const brands = chips.filter((c) => c.kind === 'brand');
    expect(brands.map((c) => c.label).sort()).toEqual(['华为', '小米', '苹果']);
    for (const chip of brands) {
      expect(chip.share).toBeCloseTo(1 / 3, 4);
      expect(chip.query).toBe(`手机 ${chip.label}`);
      const refined = engine.search({ query: '手机', filters: chip.filter ?? {}, limit: 100 });
      expect(refined.total).toBe(8);
      expect(refined.items.every((i) => i.brand === chip.label)).toBe(true);
    }
    const price = chips.filter((c) => c.kind === 'price');
    expect(price).toHaveLength(4);
    const kept = price.map((c) => engine.search({ query: '手机', filters: c.filter ?? {}, limit: 100 }).total);
    expect(kept.reduce((s, n) => s + n, 0)).toBe(24); // the bands partition the results
    const color = chips.filter((c) => c.kind === 'attribute');
    expect(color.map((c) => [c.facet, c.query])).toEqual([
      ['color', '手机 白色'],
      ['color', '手机 黑色'],
    ]);
  });

  it('splits by category when the results span several, and offers nothing for a narrow query', async () => {
    const engine = await openEngine({ suggest: { refinement: { minResults: 10 } } });
    const huawei = engine.search({ query: '华为', limit: 5 }).refinements ?? [];
    const categories = huawei.filter((c) => c.kind === 'category');
    expect(categories.map((c) => [c.label, c.filter])).toEqual([
      ['手机', { category: ['数码', '手机'] }],
      ['耳机', { category: ['数码', '耳机'] }],
    ]);
    expect(huawei.some((c) => c.kind === 'brand')).toBe(false); // every result is 华为: 0 bits
    expect(engine.search({ query: '耳机' }).refinements).toBeUndefined(); // 4 matches < minResults
    expect(engine.search({ query: '' }).refinements).toBeUndefined(); // browsing
  });

  it('leaves out the facets the request already filters on', async () => {
    const engine = await openEngine({ suggest: { refinement: { minResults: 5 } } });
    const chips = engine.search({ query: '手机', filters: { brands: ['华为'] } }).refinements ?? [];
    expect(chips.length).toBeGreaterThan(0);
    expect(chips.some((c) => c.kind === 'brand')).toBe(false);
  });

  it('ranks the facet users refine by most first, learned from sessions that extend a query', async () => {
    const engine = await openEngine({ suggest: { refinement: { minResults: 10, maxFacets: 1 } } });
    expect(engine.search({ query: '手机' }).refinements?.[0]?.kind).toBe('price');
    const events: EventInput[] = [];
    for (let s = 0; s < 30; s++) {
      const base = { userId: `u${s}`, sessionId: `s${s}` };
      events.push({ ...base, eventId: `a${s}`, type: 'query', requestId: `ra${s}`, query: '手机', time: T0 + s });
      events.push({ ...base, eventId: `b${s}`, type: 'query', requestId: `rb${s}`, query: `${COLORS[s % 2]}手机`, time: T0 + s + 1_000 });
    }
    await engine.appendEvents(events);
    // Attribute weight (30 + 20) / 27.5 = 1.82 beats price's 2 bits x 20 / 27.5 = 1.45.
    const chips = engine.search({ query: '手机' }).refinements ?? [];
    expect(new Set(chips.map((c) => c.facet))).toEqual(new Set(['color']));
  });

  it('logs the query source given with the search', async () => {
    const { engine, store } = await openTestEngine({ items: ITEMS, now: T0 + 86_400_000 });
    engine.search({ query: '手机', source: 'refinement', requestId: 'r-chip', userId: 'u1', log: true });
    engine.search({ query: '华为手机', requestId: 'r-typed', userId: 'u1', log: true });
    await engine.flush();
    const queries = [];
    for await (const e of store.readEvents({ types: ['query'] })) queries.push(e);
    expect(queries.map((e) => (e.type === 'query' ? [e.query, e.source] : []))).toEqual([
      ['手机', 'refinement'],
      ['华为手机', 'typed'],
    ]);
  });
});
