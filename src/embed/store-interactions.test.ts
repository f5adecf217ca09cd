import { describe, expect, it } from 'vitest';
import { EventSchema, type EventInput } from '../core/index.js';
import { SqliteStore } from '../store/index.js';
import { readStoreInteractions, trainBprFromStore } from './store-interactions.js';

const DAY = 86_400_000;

async function storeWith(events: EventInput[]): Promise<SqliteStore> {
  const store = await SqliteStore.open({ path: ':memory:' });
  await store.appendEvents(events.map((e) => EventSchema.parse(e)));
  return store;
}

const events: EventInput[] = [
  { eventId: 'e1', type: 'click', userId: 'ann', itemId: 'x', time: 0 },
  { eventId: 'e2', type: 'purchase', userId: 'ann', itemId: 'x', time: DAY },
  { eventId: 'e3', type: 'click', userId: 'ann', itemId: 'y', time: 2 * DAY },
  { eventId: 'e4', type: 'add_to_cart', userId: 'bob', itemId: 'y', time: 3 * DAY },
  { eventId: 'e5', type: 'impression', userId: 'bob', requestId: 'r', items: [{ itemId: 'z', position: 1 }], time: 3 * DAY },
  { eventId: 'e6', type: 'query', userId: 'bob', requestId: 'r', query: 'shoes', time: 3 * DAY },
];

describe('readStoreInteractions', () => {
  it('makes one interaction per (user, item) from clicks, carts and purchases, weighted by its strongest event', async () => {
    const store = await storeWith(events);
    try {
      const data = await readStoreInteractions(store);
      const rows = [...data.users].map((u, n) => [data.userIds[u], data.itemIds[data.items[n]!], data.weights?.[n], data.times?.[n]]);
      // ann bought x after clicking it: purchase weight 4 (not 1 + 4); impressions and queries are not interactions.
      expect(rows).toEqual([
        ['ann', 'x', 4, DAY],
        ['ann', 'y', 1, 2 * DAY],
        ['bob', 'y', 2, 3 * DAY],
      ]);
    } finally {
      await store.close();
    }
  });

  it('leaves out types weighted 0 and halves weights per half-life of age before the newest event', async () => {
    const store = await storeWith(events);
    try {
      const data = await readStoreInteractions(store, { weights: { click: 0, add_to_cart: 2, purchase: 4 }, halfLifeDays: 1 });
      expect([...(data.weights ?? [])]).toEqual([1, 2]); // ann-x purchased 2 days before the newest event, half-life 1 day: 4 / 4
      expect(data.itemIds).toEqual(['x', 'y']);
    } finally {
      await store.close();
    }
  });
});

describe('trainBprFromStore', () => {
  it('trains a model whose ids are the store\'s user and item ids', async () => {
    const store = await storeWith(events);
    try {
      const { model, interactions } = await trainBprFromStore(store, { bpr: { dim: 4, epochs: 2 } });
      expect([...model.userIds.toArray()]).toEqual(['ann', 'bob']);
      expect(model.itemIndex('y')).toBe(1);
      expect(interactions.users.length).toBe(3);
    } finally {
      await store.close();
    }
  });
});
