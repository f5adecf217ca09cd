import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CompletionIndex, type CompletionKey } from './completion-index.js';

/** The reference: every key starting with the prefix, its entries by rank, distinct, the first topK. */
function bruteForce(keys: readonly CompletionKey[], rank: readonly number[], prefix: string, topK: number): number[] {
  const entries = new Set(keys.filter((k) => k.key.length > 0 && k.key.startsWith(prefix)).map((k) => k.entry));
  return [...entries].sort((a, b) => (rank[a] as number) - (rank[b] as number)).slice(0, topK);
}

// Short keys over a tiny alphabet: many shared prefixes, equal keys, keys that are prefixes of others.
const key = fc.array(fc.constantFrom('a', 'b', 'c', '手', '机'), { maxLength: 5 }).map((chars) => chars.join(''));

describe('CompletionIndex', () => {
  it('returns what a scan over all keys returns, for every prefix and node size', () => {
    fc.assert(
      fc.property(
        fc.array(key, { maxLength: 80 }),
        fc.integer({ min: 1, max: 6 }),
        fc.array(key, { minLength: 1, maxLength: 10 }),
        fc.integer({ min: 0, max: 1_000 }),
        (texts, topK, prefixes, seed) => {
          // Several keys per entry (entry = i mod a few), ranks a permutation.
          const entryCount = Math.max(1, Math.ceil(texts.length / 2));
          const keys = texts.map((text, i) => ({ key: text, entry: (i * 7 + seed) % entryCount }));
          const rank = Array.from({ length: entryCount }, (_, e) => e).sort((a, b) => ((a * 31 + seed) % 97) - ((b * 31 + seed) % 97) || a - b);
          const rankOf = new Array<number>(entryCount);
          rank.forEach((e, r) => (rankOf[e] = r));
          const index = new CompletionIndex(keys, rankOf, topK);
          for (const prefix of [...prefixes, '']) {
            expect(Array.from(index.top(index.range(prefix)))).toEqual(bruteForce(keys, rankOf, prefix, topK));
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('finds ranges inside a given range, as the typo search narrows them', () => {
    const keys = ['apple', 'apply', 'applesauce', 'banana', 'band'].map((k, entry) => ({ key: k, entry }));
    const index = new CompletionIndex(keys, [0, 1, 2, 3, 4], 2);
    const app = index.range('app');
    expect(app.hi - app.lo).toBe(3);
    expect(index.range('apple', app)).toEqual(index.range('apple'));
    expect(Array.from(index.top(index.range('apple')))).toEqual([0, 2]);
    expect(Array.from(index.top(index.range('ban')))).toEqual([3, 4]);
    expect(index.range('cherry').hi - index.range('cherry').lo).toBe(0);
  });

  it('precomputes lists only for nodes with more keys than topK, sharing a chain of single-child nodes', () => {
    // 'aaaa…' chains: the nodes for a, aa, aaa hold the same range and share one list.
    const keys = ['aaab', 'aaac', 'aaad', 'x'].map((k, entry) => ({ key: k, entry }));
    const index = new CompletionIndex(keys, [0, 1, 2, 3], 2);
    // The root (4 keys) and the `aaa` interval (3 keys): two nodes, not one per character.
    expect(index.precomputed.nodes).toBe(2);
    expect(Array.from(index.top(index.range('a')))).toEqual([0, 1]);
    expect(Array.from(index.top(index.range('aa')))).toEqual([0, 1]);
  });

  it('holds nothing when built from no keys or only empty ones', () => {
    const index = new CompletionIndex([{ key: '', entry: 0 }], [0], 3);
    expect(index.size).toBe(0);
    expect(Array.from(index.top(index.range('a')))).toEqual([]);
  });
});
