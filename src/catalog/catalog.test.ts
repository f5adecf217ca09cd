import { describe, expect, it } from 'vitest';
import { ItemSchema, type Filters, type Item } from '../core/index.js';
import { Catalog, type CatalogListener } from './catalog.js';
import { CategoryIndex } from './category-index.js';
import { compileFilters } from './filters.js';

const item = (id: string, extra: Partial<Item> = {}): Item => ItemSchema.parse({ id, title: `item ${id}`, ...extra });

describe('Catalog', () => {
  it('keeps doc ids stable across updates and never reuses them after deletes', () => {
    const catalog = new Catalog();
    expect(catalog.upsert(item('a'))).toBe(0);
    expect(catalog.upsert(item('b'))).toBe(1);
    expect(catalog.upsert(item('a', { price: 3 }))).toBe(0);
    expect(catalog.remove('a')).toBe(true);
    expect(catalog.remove('a')).toBe(false);
    expect(catalog.upsert(item('c'))).toBe(2);
    expect(catalog.upsert(item('a'))).toBe(0); // re-added: its old doc id again
    expect(catalog.size).toBe(3);
    expect(catalog.capacity).toBe(3);
  });

  it('tells listeners about every change with the previous version', () => {
    const seen: string[] = [];
    const listener: CatalogListener = {
      onUpsert: (docId, next, previous) => seen.push(`upsert ${docId} ${next.title}${previous ? ` was ${previous.title}` : ''}`),
      onRemove: (docId) => seen.push(`remove ${docId}`),
    };
    const catalog = new Catalog();
    catalog.subscribe(listener);
    catalog.upsert(item('a'));
    catalog.upsert(item('a', { title: 'new' }));
    catalog.remove('a');
    expect(seen).toEqual(['upsert 0 item a', 'upsert 0 new was item a', 'remove 0']);
  });
});

describe('compileFilters', () => {
  const items = [
    item('phone', { categoryPath: ['数码', '手机'], brand: '华为', price: 5000, region: '广东', kind: 'product' }),
    item('laptop', { categoryPath: ['数码', '笔记本电脑'], brand: '联想', price: 7000, region: '北京' }),
    item('lipstick', { categoryPath: ['美妆', '口红'], brand: '完美日记', price: 79 }),
    item('ad', { categoryPath: ['数码', '手机'], brand: '小米', kind: 'ad', bid: 1 }),
    item('bare'),
  ];
  const matching = (filters: Filters): string[] => items.filter(compileFilters(filters)).map((i) => i.id);

  it('passes everything when no filter is set', () => {
    expect(matching({})).toHaveLength(items.length);
  });

  it('matches category path prefixes, not substrings', () => {
    expect(matching({ category: ['数码'] })).toEqual(['phone', 'laptop', 'ad']);
    expect(matching({ category: ['数码', '手机'] })).toEqual(['phone', 'ad']);
    expect(matching({ category: ['手机'] })).toEqual([]);
  });

  it('combines filters with AND, and an item without the field fails its filter', () => {
    expect(matching({ brands: ['华为', '小米'], kinds: ['ad'] })).toEqual(['ad']);
    expect(matching({ priceMin: 100 })).toEqual(['phone', 'laptop']); // 'ad' and 'bare' have no price
    expect(matching({ priceMin: 79, priceMax: 5000 })).toEqual(['phone', 'lipstick']); // both ends inclusive
    expect(matching({ regions: ['北京'] })).toEqual(['laptop']);
  });
});

describe('CategoryIndex', () => {
  it('lists the live docs under every path prefix, following moves and deletes', () => {
    const catalog = new Catalog();
    const categories = new CategoryIndex(catalog);
    catalog.upsert(item('phone', { categoryPath: ['数码', '手机'] }));
    catalog.upsert(item('laptop', { categoryPath: ['数码', '笔记本电脑'] }));
    catalog.upsert(item('lipstick', { categoryPath: ['美妆', '口红'] }));
    expect([...categories.docsUnder('数码')]).toEqual([0, 1]);
    expect([...categories.docsUnder('数码>手机')]).toEqual([0]);
    expect(categories.leafKey(2)).toBe('美妆>口红');
    catalog.upsert(item('phone', { categoryPath: ['美妆', '口红'] })); // moved
    catalog.remove('laptop');
    expect([...categories.docsUnder('数码')]).toEqual([]);
    expect([...categories.docsUnder('美妆>口红')]).toEqual([2, 0]);
    expect(categories.leafKey(1)).toBeUndefined();
  });
});
