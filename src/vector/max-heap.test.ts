import { describe, expect, it } from 'vitest';
import { MaxHeap, VisitedSet } from './max-heap.js';

describe('VisitedSet', () => {
  it('gives each search a new epoch, so earlier tags do not count as visited', () => {
    const visited = new VisitedSet(4);
    const first = visited.next(4);
    visited.tags[2] = first;
    const second = visited.next(4);
    expect(second).not.toBe(first);
    expect(visited.tags[2]).not.toBe(second);
  });

  it('clears the tags when the 16-bit epoch wraps around', () => {
    const visited = new VisitedSet(3);
    let epoch = 0;
    for (let i = 0; i < 0xffff; i++) epoch = visited.next(3);
    expect(epoch).toBe(0xffff);
    visited.tags[1] = epoch;
    // The next epoch starts again at 1; a tag left at 0xffff (or any older epoch) must not match it.
    visited.tags[0] = 1;
    const wrapped = visited.next(3);
    expect(wrapped).toBe(1);
    expect(Array.from(visited.tags)).toEqual([0, 0, 0]);
  });

  it('grows to a larger capacity', () => {
    const visited = new VisitedSet(2);
    visited.next(10);
    expect(visited.tags.length).toBeGreaterThanOrEqual(10);
  });
});

describe('MaxHeap', () => {
  it('drains in ascending key order', () => {
    const heap = new MaxHeap(2);
    const keys = [5, 1, 4, 2, 3, 0.5];
    keys.forEach((k, i) => heap.push(k, i));
    const slots = new Int32Array(keys.length);
    const dists = new Float64Array(keys.length);
    expect(heap.drainAscending(slots, dists)).toBe(keys.length);
    expect(Array.from(dists)).toEqual([0.5, 1, 2, 3, 4, 5]);
    expect(Array.from(slots)).toEqual([5, 1, 3, 4, 2, 0]);
  });
});
