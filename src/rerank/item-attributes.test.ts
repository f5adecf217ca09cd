import { describe, expect, it } from 'vitest';
import { Catalog } from '../catalog/index.js';
import { InvalidArgumentError } from '../core/index.js';
import { CatalogItemAttributes, internGroups, priceBand } from './item-attributes.js';
import { item } from './test-fixtures.js';

describe('CatalogItemAttributes', () => {
  const items = [
    item('phone', { brand: 'acme', shop: 'main', categoryPath: ['digital', 'phones'], price: 300, createdAt: 5 }),
    item('promo', { kind: 'ad', bid: 2, categoryPath: [] }),
    item('guide', { kind: 'content' }),
  ];
  const attributes = new CatalogItemAttributes({ item: (docId) => items[docId] });

  it('reads groups from the record: leaf category key, root category, geometric price band', () => {
    expect(attributes.group(0, 'category')).toBe('digital>phones');
    expect(attributes.group(0, 'topCategory')).toBe('digital');
    // 2^8 = 256 ≤ 300 < 512.
    expect(attributes.group(0, 'priceBand')).toBe('8');
    expect(attributes.group(1, 'category')).toBeUndefined();
    expect(attributes.group(1, 'kind')).toBe('ad');
    expect(attributes.group(9, 'brand')).toBeUndefined();
  });

  it('estimates an ad’s eCPM as 1000 · assumedCtr · bid unless given a function, and has none for other items', () => {
    expect(attributes.eCpm(1)).toBeCloseTo(40, 12);
    expect(attributes.eCpm(0)).toBeUndefined();
    const priced = new CatalogItemAttributes({ item: (docId) => items[docId] }, { eCpm: () => 7 });
    expect(priced.eCpm(1)).toBe(7);
  });

  it('refuses a price band ratio of 1 or less', () => {
    expect(() => new CatalogItemAttributes({ item: () => undefined }, { priceBandRatio: 1 })).toThrow(InvalidArgumentError);
  });

  it('interns values as small codes, -1 for none', () => {
    expect(Array.from(internGroups(attributes, [0, 1, 0, 2], 'kind').codes)).toEqual([0, 1, 0, 2]);
    expect(Array.from(internGroups(attributes, [0, 1, 0], 'brand').codes)).toEqual([0, -1, 0]);
    expect(priceBand(0, 2)).toBeUndefined();
  });

  it('reads the engine’s catalog by dense doc id', () => {
    const catalog = new Catalog();
    catalog.upsert(items[0]!);
    const docId = catalog.upsert(items[2]!);
    const fromCatalog = new CatalogItemAttributes(catalog);
    expect(fromCatalog.kind(docId)).toBe('content');
    expect(fromCatalog.createdAt(0)).toBe(5);
    catalog.remove('guide');
    expect(fromCatalog.id(docId)).toBeUndefined();
  });
});
