// The implicit-trie walk against a brute-force scan with the reference edit distance.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_TYPOS } from './config.js';
import { editDistance } from './edit-distance.js';
import { compareCodeUnits } from './term-dictionary.js';
import { allowedTypos, findTypoTerms } from './typo-matcher.js';

describe('editDistance (optimal string alignment)', () => {
  it.each([
    ['', '', 0],
    ['abc', 'abc', 0],
    ['abc', 'abd', 1], // substitution
    ['abc', 'abcd', 1], // insertion
    ['abcd', 'acd', 1], // deletion
    ['abcd', 'abdc', 1], // adjacent swap counts once
    ['ca', 'abc', 3], // OSA never edits a swapped pair again (true Damerau would say 2)
    ['kitten', 'sitting', 3],
  ])('%s → %s = %i', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
    expect(editDistance(b, a)).toBe(d);
  });
});

describe('findTypoTerms', () => {
  // A three-letter alphabet makes near neighbours (and swaps) common.
  const term = fc.array(fc.constantFrom('a', 'b', 'c'), { minLength: 0, maxLength: 8 }).map((c) => c.join(''));

  it('returns exactly the terms within the distance, like a scan of the vocabulary would', () => {
    fc.assert(
      fc.property(fc.uniqueArray(term, { maxLength: 80 }), term, fc.integer({ min: 1, max: 2 }), (vocabulary, query, maxDistance) => {
        const sorted = [...vocabulary].sort(compareCodeUnits);
        const got = findTypoTerms(sorted, query, maxDistance).sort((a, b) => compareCodeUnits(a.term, b.term));
        const expected = sorted
          .map((t) => ({ term: t, distance: editDistance(query, t) }))
          .filter((m) => m.distance > 0 && m.distance <= maxDistance);
        expect(got).toEqual(expected);
      }),
      { numRuns: 500 },
    );
  });
});

describe('allowedTypos', () => {
  it.each([
    ['shoe', 0], // under 5 characters
    ['shoes', 1],
    ['sneakers', 1],
    ['waterproof', 2], // 9 or more
    ['华为手机壳套装', 0], // Han: one character changed is another word
    ['mate60pro', 0], // digits: a model number
  ])('%s → %i', (term, n) => {
    expect(allowedTypos(term, DEFAULT_TYPOS)).toBe(n);
  });
});
