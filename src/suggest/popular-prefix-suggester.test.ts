import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeText } from '../text/index.js';
import { PopularPrefixSuggester } from './popular-prefix-suggester.js';

describe('PopularPrefixSuggester', () => {
  it('completes a prefix with the most issued queries, after normalisation', () => {
    const suggester = new PopularPrefixSuggester({ minUsers: 1, maxLength: 100 });
    for (const [user, query] of [['a', '华为手机'], ['b', '华为手机'], ['c', '华为耳机'], ['d', 'ＨＵＡＷＥＩ Phone'], ['e', 'huawei phone']]) {
      suggester.observe(user!, query!);
    }
    expect(suggester.suggest('华为', 10).suggestions).toEqual([{ text: '华为手机', count: 2 }, { text: '华为耳机', count: 1 }]);
    expect(suggester.suggest('Huawei', 10)).toEqual({ suggestions: [{ text: 'huawei phone', count: 2 }], normalizedPrefix: 'huawei', completions: 1 });
  });

  it('never suggests a query fewer than minUsers distinct users issued', () => {
    const suggester = new PopularPrefixSuggester({ minUsers: 2, maxLength: 100 });
    suggester.observe('alice', 'my secret query');
    suggester.observe('alice', 'my secret query'); // same user twice: still one user
    expect(suggester.suggest('my', 10).suggestions).toEqual([]);
    suggester.observe('bob', 'my secret query');
    expect(suggester.suggest('my', 10).suggestions).toEqual([{ text: 'my secret query', count: 3 }]);
  });

  it('stops suggesting a query while its latest search found nothing', () => {
    const suggester = new PopularPrefixSuggester({ minUsers: 1, maxLength: 100 });
    suggester.observe('a', 'huaweishouji', 0);
    expect(suggester.suggest('hua', 10).suggestions).toEqual([]);
    suggester.observe('b', 'huaweishouji', 12); // the engine learned to answer it
    expect(suggester.suggest('hua', 10).suggestions).toEqual([{ text: 'huaweishouji', count: 2 }]);
    suggester.observe('c', 'huaweishouji'); // result count unknown: no change
    expect(suggester.suggest('hua', 10).suggestions).toHaveLength(1);
  });

  it('returns what a brute-force scan over all queries returns', () => {
    const query = fc.array(fc.constantFrom('a', 'b', 'ab', '手', '机', ' '), { minLength: 1, maxLength: 4 }).map((p) => p.join(''));
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom('u1', 'u2', 'u3'), query), { maxLength: 60 }), query, fc.integer({ min: 1, max: 5 }), (log, prefix, limit) => {
        const suggester = new PopularPrefixSuggester({ minUsers: 2, maxLength: 100 });
        const counts = new Map<string, { count: number; users: Set<string> }>();
        for (const [user, q] of log) {
          suggester.observe(user, q);
          const text = normalizeText(q);
          if (text === '') continue;
          const entry = counts.get(text) ?? { count: 0, users: new Set<string>() };
          entry.count++;
          entry.users.add(user);
          counts.set(text, entry);
        }
        const start = normalizeText(prefix);
        const want = [...counts]
          .filter(([text, e]) => e.users.size >= 2 && text.startsWith(start))
          .map(([text, e]) => ({ text, count: e.count }))
          .sort((a, b) => b.count - a.count || (a.text < b.text ? -1 : 1))
          .slice(0, limit);
        expect(suggester.suggest(prefix, limit).suggestions).toEqual(want);
      }),
      { numRuns: 300 },
    );
  });
});
