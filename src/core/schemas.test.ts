import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from './errors.js';
import { EventSchema, ItemSchema } from './schemas.js';
import { parseBatchOrThrow, parseOrThrow } from './validate.js';

const phone = { id: 'i1', title: '华为 Mate 60 Pro 5G手机 12GB+512GB 雅川青', categoryPath: ['数码', '手机'], price: 6999 };

describe('ItemSchema', () => {
  it('fills defaults and converts ISO times to epoch milliseconds', () => {
    const item = ItemSchema.parse({ ...phone, createdAt: '2026-10-01T00:00:00Z' });
    expect(item.kind).toBe('product');
    expect(item.description).toBe('');
    expect(item.attributes).toEqual({});
    expect(item.createdAt).toBe(Date.UTC(2026, 9, 1));
  });

  it('requires a bid for ads and refuses one on products', () => {
    expect(ItemSchema.safeParse({ ...phone, kind: 'ad' }).error?.issues[0]?.path).toEqual(['bid']);
    expect(ItemSchema.safeParse({ ...phone, kind: 'ad', bid: 1.5 }).success).toBe(true);
    expect(ItemSchema.safeParse({ ...phone, bid: 1.5 }).error?.issues[0]?.message).toMatch(/only allowed when kind is "ad"/);
  });

  it('refuses unknown fields, negative prices and control characters in ids', () => {
    expect(ItemSchema.safeParse({ ...phone, colour: 'red' }).success).toBe(false);
    expect(ItemSchema.safeParse({ ...phone, price: -1 }).error?.issues[0]?.path).toEqual(['price']);
    expect(ItemSchema.safeParse({ ...phone, id: 'a\u0000b' }).error?.issues[0]?.path).toEqual(['id']);
  });
});

describe('EventSchema', () => {
  const base = { eventId: 'e1', userId: 'u1', time: 1_700_000_000_000 };

  it('parses each event type by its discriminator', () => {
    expect(EventSchema.parse({ ...base, type: 'click', itemId: 'i1', requestId: 'r1', position: 2 }).type).toBe('click');
    expect(EventSchema.parse({ ...base, type: 'purchase', itemId: 'i1' })).toMatchObject({ quantity: 1 });
    expect(EventSchema.parse({ ...base, type: 'query', requestId: 'r1', query: '手机' })).toMatchObject({ source: 'typed' });
  });

  it('requires the request id of impressions and refuses repeated positions', () => {
    const impression = { ...base, type: 'impression', items: [{ itemId: 'i1', position: 1 }] };
    expect(EventSchema.safeParse(impression).error?.issues[0]?.path).toEqual(['requestId']);
    const repeated = { ...impression, requestId: 'r1', items: [{ itemId: 'a', position: 1 }, { itemId: 'b', position: 1 }] };
    expect(EventSchema.safeParse(repeated).error?.issues[0]?.path).toEqual(['items', 1, 'position']);
  });

  it('refuses an unknown type with a message naming the discriminator', () => {
    const result = EventSchema.safeParse({ ...base, type: 'like', itemId: 'i1' });
    expect(result.error?.issues[0]?.path).toEqual(['type']);
  });
});

describe('parseOrThrow / parseBatchOrThrow', () => {
  it('throws an InvalidArgumentError naming the field', () => {
    try {
      parseOrThrow(ItemSchema, { ...phone, price: 'cheap' }, 'item');
      expect.unreachable('a bad price must throw');
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidArgumentError);
      expect((error as InvalidArgumentError).field).toBe('price');
      expect((error as InvalidArgumentError).message).toMatch(/^invalid item at price:/);
    }
  });

  it('rejects a whole batch, naming every bad element with its index', () => {
    const batch = [phone, { ...phone, id: 'i2', price: -5 }, { ...phone, id: 'i3', title: '' }];
    try {
      parseBatchOrThrow(ItemSchema, batch, { what: 'item', field: 'items', maxSize: 10 });
      expect.unreachable('two bad items must throw');
    } catch (error) {
      const e = error as InvalidArgumentError;
      expect(e.issues.map((i) => i.path.slice(0, 3))).toEqual([['items', 1, 'price'], ['items', 2, 'title']]);
      expect(e.message).toMatch(/^2 of 3 items are invalid; first at items\.1\.price/);
      expect(e.message).toMatch(/nothing in the batch was written/);
    }
  });

  it('rejects batches over the size limit and non-arrays', () => {
    expect(() => parseBatchOrThrow(ItemSchema, [phone, phone], { what: 'item', field: 'items', maxSize: 1 })).toThrow(/at most 1 are allowed/);
    expect(() => parseBatchOrThrow(ItemSchema, { items: [] }, { what: 'item', field: 'items', maxSize: 1 })).toThrow(/must be an array/);
  });
});
