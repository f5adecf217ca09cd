import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CompletionIndex } from './completion-index.js';
import { typoRanges } from './typo-ranges.js';

/**
 * The reference: optimal string alignment distance between `typed` and `text`, where a substituted
 * or inserted character must come from the alphabet (deletions and swaps are always allowed).
 */
function restrictedOsa(typed: string, text: string, alphabet: string): number {
  const d = Array.from({ length: typed.length + 1 }, () => new Array<number>(text.length + 1).fill(Infinity));
  for (let i = 0; i <= typed.length; i++) {
    for (let j = 0; j <= text.length; j++) {
      if (i === 0 && j === 0) {
        d[0]![0] = 0;
        continue;
      }
      const allowed = j > 0 && alphabet.includes(text[j - 1]!);
      let best = Infinity;
      if (i > 0) best = Math.min(best, d[i - 1]![j]! + 1);
      if (j > 0 && allowed) best = Math.min(best, d[i]![j - 1]! + 1);
      if (i > 0 && j > 0) best = Math.min(best, d[i - 1]![j - 1]! + (typed[i - 1] === text[j - 1] ? 0 : allowed ? 1 : Infinity));
      if (i > 1 && j > 1 && typed[i - 1] === text[j - 2] && typed[i - 2] === text[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[typed.length]![text.length]!;
}

/** Whether some beginning of `key` is within one edit of `typed`, its first `fixed` characters untouched. */
function withinOneEdit(typed: string, key: string, alphabet: string, fixed = 0): boolean {
  if (fixed > 0) return key.startsWith(typed.slice(0, fixed)) && withinOneEdit(typed.slice(fixed), key.slice(fixed), alphabet);
  for (let j = Math.max(0, typed.length - 1); j <= Math.min(key.length, typed.length + 1); j++) {
    if (restrictedOsa(typed, key.slice(0, j), alphabet) <= 1) return true;
  }
  return false;
}

const ALPHABET = 'abc';
const word = (min: number) => fc.array(fc.constantFrom('a', 'b', 'c', 'd', ' '), { minLength: min, maxLength: 7 }).map((c) => c.join(''));

describe('typoRanges', () => {
  it('reaches exactly the keys a brute-force edit distance finds within one edit', () => {
    fc.assert(
      // Up to 600 keys: ranges above 256 keys try the alphabet, smaller ones list the characters present.
      fc.property(fc.oneof(fc.array(word(1), { maxLength: 40 }), fc.array(word(3), { minLength: 300, maxLength: 600 })), word(1), fc.integer({ min: 0, max: 2 }), (texts, typed, fixed) => {
        const keys = texts.map((key, entry) => ({ key, entry }));
        const index = new CompletionIndex(keys, texts.map((_, i) => i), 100);
        const reached = new Set<string>();
        for (const { lo, hi } of [...typoRanges(index, typed, { alphabet: ALPHABET, fixed }), index.range(typed)]) {
          for (let i = lo; i < hi; i++) reached.add(index.keyAt(i));
        }
        const expected = new Set(texts.filter((t) => withinOneEdit(typed, t, ALPHABET, fixed)));
        expect([...reached].sort()).toEqual([...expected].sort());
      }),
      { numRuns: 400 },
    );
  });

  it('corrects the four kinds of typo', () => {
    const keys = ['iphone 15', 'ipad', 'samsung galaxy'].map((key, entry) => ({ key, entry }));
    const index = new CompletionIndex(keys, [0, 1, 2], 10);
    const reach = (typed: string) => {
      const out = new Set<string>();
      for (const { lo, hi } of typoRanges(index, typed, { alphabet: 'abcdefghijklmnopqrstuvwxyz0123456789', fixed: 1 })) for (let i = lo; i < hi; i++) out.add(index.keyAt(i));
      return [...out].sort();
    };
    expect(reach('iphne')).toEqual(['iphone 15']); // a letter left out
    expect(reach('iphoone')).toEqual(['iphone 15']); // one too many
    expect(reach('iphome')).toEqual(['iphone 15']); // one wrong
    expect(reach('ipohne')).toEqual(['iphone 15']); // two swapped
    expect(reach('smasung')).toEqual(['samsung galaxy']);
    expect(reach('oiphone')).toEqual([]); // the first character is never taken as the typo
    expect(reach('xyzzy')).toEqual([]);
  });
});
