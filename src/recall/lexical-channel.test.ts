import { describe, expect, it } from 'vitest';
import { Catalog } from '../catalog/index.js';
import { ItemSchema, type ItemInput } from '../core/index.js';
import { DEFAULT_LEXICAL_CONFIG, LexicalChannel, lexicalFingerprint } from './lexical-channel.js';
import { testContext } from './test-context.js';

const ITEMS: ItemInput[] = [
  { id: 'mate60', title: '华为 Mate 60 Pro 5G手机 雅川青', categoryPath: ['数码', '手机'], brand: '华为', price: 6999, attributes: { series: 'Mate 60' } },
  { id: 'k70', title: '小米 Redmi K70 5G手机 墨羽', categoryPath: ['数码', '手机'], brand: '小米', price: 2499 },
  { id: 'lip', title: '雅诗兰黛 小棕瓶精华 50ml', categoryPath: ['美妆', '精华'], brand: '雅诗兰黛', price: 660 },
];

function catalogOf(items: ItemInput[]): Catalog {
  const catalog = new Catalog();
  for (const item of items) catalog.upsert(ItemSchema.parse(item));
  return catalog;
}

const search = (channel: LexicalChannel, query: string) => channel.recall(testContext({ query }), 10);

describe('LexicalChannel', () => {
  it('finds catalog names whole, by pinyin, and counts facets over the matches', () => {
    const channel = LexicalChannel.build(catalogOf(ITEMS));
    expect(search(channel, 'mate 60').candidates[0]?.docId).toBe(0);
    expect(search(channel, 'shouji').candidates.map((c) => c.docId).sort()).toEqual([0, 1]);
    const phones = search(channel, '手机');
    expect(phones.matched).toBe(2);
    expect(phones.facets?.brand?.map((f) => f.value).sort()).toEqual(['华为', '小米']);
  });

  it('follows the catalog: an update is searchable at once, a removed item is gone', () => {
    const catalog = catalogOf(ITEMS);
    const channel = LexicalChannel.build(catalog);
    catalog.upsert(ItemSchema.parse({ ...ITEMS[1], title: '小米 Redmi K80 5G手机' }));
    expect(search(channel, 'k80').candidates.map((c) => c.docId)).toEqual([1]);
    catalog.remove('mate60');
    expect(search(channel, '华为').candidates).toEqual([]);
  });

  it('loads its snapshot to the same results, and the fingerprint changes with any item', () => {
    const catalog = catalogOf(ITEMS);
    const built = LexicalChannel.build(catalog);
    const loaded = LexicalChannel.fromSnapshot(catalogOf(ITEMS), built.snapshot());
    for (const query of ['手机', '小棕瓶', 'huawei', 'redmi']) expect(search(loaded, query)).toEqual(search(built, query));
    const before = lexicalFingerprint(catalog, DEFAULT_LEXICAL_CONFIG);
    expect(lexicalFingerprint(catalogOf(ITEMS), DEFAULT_LEXICAL_CONFIG)).toBe(before);
    catalog.upsert(ItemSchema.parse({ ...ITEMS[2], price: 599 }));
    expect(lexicalFingerprint(catalog, DEFAULT_LEXICAL_CONFIG)).not.toBe(before);
    expect(lexicalFingerprint(catalogOf(ITEMS), { ...DEFAULT_LEXICAL_CONFIG, k1: 2 })).not.toBe(before);
  });
});
