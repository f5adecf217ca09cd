import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { randomSplitByUser, splitCounts } from './recsys-split.js';

describe('splitCounts', () => {
  it.each([
    [20, [16, 2, 2]],
    [25, [21, 2, 2]], // floor(2.5) = 2 for validation and test; train takes the rest
    [10, [8, 1, 1]],
    [5, [3, 1, 1]], // 0.5 expected each: both get one, taken from train
    [2, [1, 0, 1]], // test gets one; then train is down to 1 and validation gets none
    [1, [1, 0, 0]],
    [0, [0, 0, 0]],
  ])('%i interactions split 80/10/10 as RecBole does: %j', (total, expected) => {
    expect(splitCounts(total, [0.8, 0.1, 0.1])).toEqual(expected);
  });
});

describe('randomSplitByUser', () => {
  const arbitraryUsers = fc.array(fc.integer({ min: 0, max: 6 }), { maxLength: 200 }).map((u) => Int32Array.from(u));

  it('cuts each user\'s rows by splitCounts into disjoint parts that cover every row', () => {
    fc.assert(
      fc.property(arbitraryUsers, fc.integer(), (users, seed) => {
        const split = randomSplitByUser(users, 7, { seed });
        const all = [...split.train, ...split.valid, ...split.test].sort((a, b) => a - b);
        expect(all).toEqual(users.length === 0 ? [] : Array.from({ length: users.length }, (_, n) => n));
        for (let u = 0; u < 7; u++) {
          const count = (rows: Int32Array) => [...rows].filter((row) => users[row] === u).length;
          const total = users.filter((x) => x === u).length;
          expect([count(split.train), count(split.valid), count(split.test)]).toEqual(splitCounts(total, [0.8, 0.1, 0.1]));
        }
      }),
    );
  });

  it('gives the same split for the same seed and another split for another seed', () => {
    const users = Int32Array.from({ length: 400 }, (_, n) => n % 4);
    const a = randomSplitByUser(users, 4, { seed: 2020 });
    expect(randomSplitByUser(users, 4, { seed: 2020 })).toEqual(a);
    expect(randomSplitByUser(users, 4, { seed: 2021 }).test).not.toEqual(a.test);
  });

  it('refuses negative ratios', () => {
    expect(() => randomSplitByUser(Int32Array.from([0]), 1, { ratios: [0.8, -0.1, 0.3] })).toThrow(/split ratios must be finite, >= 0 and not all 0, got 0.8, -0.1, 0.3/);
  });
});
