import { describe, expect, it } from 'vitest';
import { hasItem, interactionsFromRecords, selectInteractions, userItemSets, validateInteractions } from './interactions.js';

describe('interactionsFromRecords', () => {
  it('gives dense indexes in order of first appearance and keeps weights and times only when given', () => {
    const data = interactionsFromRecords([
      { userId: 'ann', itemId: 'x' },
      { userId: 'bob', itemId: 'y', weight: 3, time: 10 },
      { userId: 'ann', itemId: 'y' },
    ]);
    expect([data.nUsers, data.nItems, data.userIds, data.itemIds]).toEqual([2, 2, ['ann', 'bob'], ['x', 'y']]);
    expect([...data.users]).toEqual([0, 1, 0]);
    expect([...data.items]).toEqual([0, 1, 1]);
    expect([...(data.weights ?? [])]).toEqual([1, 3, 1]);
    expect([...(data.times ?? [])]).toEqual([0, 10, 0]);
    expect(interactionsFromRecords([{ userId: 'a', itemId: 'b' }]).weights).toBeUndefined();
  });

  it('refuses a negative weight, naming the interaction', () => {
    expect(() => interactionsFromRecords([{ userId: 'a', itemId: 'b', weight: -1 }])).toThrow(/interaction 0 \(a, b\) has weight -1/);
  });
});

describe('userItemSets', () => {
  it('groups each user\'s items across lists, sorted and without repeats', () => {
    const sets = userItemSets(3, [
      { users: Int32Array.from([0, 2, 0, 0]), items: Int32Array.from([5, 1, 2, 5]) },
      { users: Int32Array.from([2]), items: Int32Array.from([0]) },
    ]);
    expect([...sets.offsets]).toEqual([0, 2, 2, 4]);
    expect([...sets.items]).toEqual([2, 5, 0, 1]);
    expect([hasItem(sets, 0, 5), hasItem(sets, 0, 1), hasItem(sets, 1, 0), hasItem(sets, 2, 0)]).toEqual([true, false, false, true]);
  });
});

describe('selectInteractions', () => {
  it('keeps the chosen rows in the given order with every user and item index unchanged', () => {
    const data = interactionsFromRecords([
      { userId: 'a', itemId: 'x', weight: 1 },
      { userId: 'b', itemId: 'y', weight: 2 },
      { userId: 'c', itemId: 'z', weight: 3 },
    ]);
    const part = selectInteractions(data, Int32Array.from([2, 0]));
    expect([...part.users, ...part.items, ...(part.weights ?? [])]).toEqual([2, 0, 2, 0, 3, 1]);
    expect(part.nUsers).toBe(3);
  });
});

describe('validateInteractions', () => {
  it('names the first row whose item is out of range', () => {
    const data = { ...interactionsFromRecords([{ userId: 'a', itemId: 'x' }]), items: Int32Array.from([4]) };
    expect(() => validateInteractions(data)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT', message: 'interaction 0 has item 4, outside 0..0' }));
  });
});
