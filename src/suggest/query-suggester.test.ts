import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CancelledError, InvalidArgumentError } from '../core/index.js';
import { mineQueries, type MinedQuery, type QueryRecord } from './query-miner.js';
import { QuerySuggester, type SuggestionMatch } from './query-suggester.js';
import { hasControlCharacter, typedPrefix } from './query-text.js';
import { transliterations } from './mixed-input.js';
import { hasHan, matchesTyped, romanize } from './romanize.js';
import { categoryAffinity, DEFAULT_SUGGEST_RANKING, staticScores, type CategoryPreferences } from './suggest-ranking.js';
import { suggestionKeys } from './suggestion-keys.js';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

function mine(records: QueryRecord[]): MinedQuery[] {
  return mineQueries(records, { config: { minUsers: 1 } });
}

/**
 * Within one edit (optimal string alignment, inserted/substituted characters from the alphabet) of
 * some beginning of `key`, the first character untouched.
 */
function withinOneEdit(typed: string, key: string): boolean {
  if (typed[0] !== key[0]) return false;
  const m = typed.length;
  for (let j = Math.max(0, m - 1); j <= Math.min(key.length, m + 1); j++) {
    const text = key.slice(0, j);
    if (text === typed) return true;
    for (let i = 1; i <= m; i++) {
      if (typed.slice(0, i) + typed.slice(i + 1) === text) return true;
      for (const c of ALPHABET) if (typed.slice(0, i) + c + typed.slice(i + 1) === text || typed.slice(0, i) + c + typed.slice(i) === text) return true;
      if (i + 1 < m && typed.slice(0, i) + typed[i + 1] + typed[i] + typed.slice(i + 2) === text) return true;
    }
  }
  return false;
}

/** The reference: every query's keys checked one by one, ranked by the same formula, no index. */
function bruteForce(mined: readonly MinedQuery[], input: string, limit: number, preferences?: CategoryPreferences) {
  const ranking = DEFAULT_SUGGEST_RANKING;
  const scores = staticScores(mined, ranking);
  const prefix = typedPrefix(input, 1_000);
  const compact = prefix.replace(/ /g, '');
  const found = new Map<number, { score: number; match: SuggestionMatch }>();
  const add = (e: number, penalty: number, match: SuggestionMatch) => {
    const score = scores[e]! - penalty;
    const seen = found.get(e);
    const typo = match === 'typo';
    // An exact match is never replaced by a typo match; within a kind the better score stays.
    const better = seen === undefined || (seen.match === 'typo' && !typo) || ((seen.match === 'typo') === typo && seen.score < score);
    if (better) found.set(e, { score, match });
  };
  const keys = mined.map((q) => suggestionKeys(q.text, q.variants));
  if (prefix === '') return [];
  keys.forEach((k, e) => k.text.some((t) => t.startsWith(prefix)) && add(e, 0, 'prefix'));
  if (hasHan(compact) && /[a-z0-9]/.test(compact)) {
    // Mixed input: found by a transliteration among romanized or initials keys, then checked.
    const typed = Array.from(compact);
    const { full, initials } = transliterations(typed, 8);
    keys.forEach((k, e) => {
      const reached = full.some((t) => k.romanized?.startsWith(t) === true) || initials.some((t) => k.initials?.startsWith(t) === true);
      if (reached && matchesTyped(typed, Array.from(mined[e]!.text), romanize(mined[e]!.text).syllables)) add(e, ranking.mixedPenalty, 'mixed');
    });
  }
  if (compact !== '' && !hasHan(compact)) {
    const romanizedPenalty = (e: number) => (hasHan(mined[e]!.text) ? ranking.romanizedPenalty : ranking.compactPenalty);
    keys.forEach((k, e) => k.romanized?.startsWith(compact) === true && add(e, romanizedPenalty(e), 'romanized'));
    keys.forEach((k, e) => k.initials?.startsWith(compact) === true && add(e, ranking.initialsPenalty, 'initials'));
    if (found.size < limit && compact.length >= 4) {
      keys.forEach((k, e) => k.text.some((t) => withinOneEdit(prefix, t)) && add(e, 0, 'typo'));
      keys.forEach((k, e) => k.romanized !== undefined && withinOneEdit(compact, k.romanized) && add(e, romanizedPenalty(e), 'typo'));
    }
  }
  return [...found]
    .map(([e, c]) => ({ e, text: mined[e]!.text, match: c.match, score: c.score + ranking.affinity * categoryAffinity(mined[e]!.categories, preferences) }))
    .sort((a, b) => Number(a.match === 'typo') - Number(b.match === 'typo') || b.score - a.score || scores[b.e]! - scores[a.e]! || (a.text < b.text ? -1 : 1))
    .slice(0, limit)
    .map(({ text, match, score }) => ({ text, match, score }));
}

const TOKENS = ['手机', '华为', '壳', '行李', 'iphone', 'ipad', ' ', 'pro', 'shou', 'x'];
const CATEGORIES = ['数码', '数码>手机', '服饰'];
const recordArb = fc.record({
  query: fc.array(fc.constantFrom(...TOKENS), { minLength: 1, maxLength: 3 }).map((t) => t.join('')),
  count: fc.integer({ min: 1, max: 60 }),
  categories: fc.dictionary(fc.constantFrom(...CATEGORIES), fc.integer({ min: 1, max: 5 }), { maxKeys: 2 }),
});
const inputArb = fc.oneof(
  fc.array(fc.constantFrom(...TOKENS, 'h', 's', 'j', 'sj', 'hw', 'ipone', 'iphnoe', 'shuo', '机', '华'), { minLength: 1, maxLength: 3 }).map((t) => t.join('')),
  fc.string({ maxLength: 6 }),
);

describe('QuerySuggester', () => {
  it('returns what a brute-force check of every query returns (text, pinyin, initials, typos)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(recordArb, { maxLength: 25 }), fc.array(inputArb, { minLength: 1, maxLength: 6 }), fc.integer({ min: 1, max: 6 }), async (records, inputs, limit) => {
        const mined = mine(records);
        const suggester = await QuerySuggester.build(mined, { config: { topK: 64 } });
        const preferences = new Map([['数码>手机', 2], ['服饰', 1]]);
        for (const input of inputs) {
          if (hasControlCharacter(input)) continue;
          for (const prefs of [undefined, preferences]) {
            const got = suggester.suggest(input, { limit, categories: prefs }).suggestions.map(({ text, match, score }) => ({ text, match, score }));
            const want = bruteForce(mined, input, limit, prefs);
            expect(got.map((s) => [s.text, s.match])).toEqual(want.map((s) => [s.text, s.match]));
            got.forEach((s, i) => expect(s.score).toBeCloseTo(want[i]!.score, 9));
          }
        }
      }),
      { numRuns: 120 },
    );
  });

  // Without a personal term, the best `limit` of all completions are always among the precomputed
  // best `topK` of some node (topK >= limit); mixed input is checked after the lookup, so it is left out.
  it('still returns the brute-force top when only a few completions are precomputed per node', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(recordArb, { maxLength: 30 }), fc.array(inputArb, { minLength: 1, maxLength: 6 }), fc.integer({ min: 1, max: 3 }), async (records, inputs, limit) => {
        const mined = mine(records);
        const suggester = await QuerySuggester.build(mined, { config: { topK: 3 } });
        for (const input of inputs) {
          if (hasControlCharacter(input) || (hasHan(input) && /[a-z0-9]/i.test(input))) continue;
          expect(suggester.suggest(input, { limit }).suggestions.map((s) => s.text)).toEqual(bruteForce(mined, input, limit).map((s) => s.text));
        }
      }),
      { numRuns: 120 },
    );
  });

  it('completes Chinese by characters, full pinyin, initials and mixed input', async () => {
    const suggester = await QuerySuggester.build(mine([
      { query: '华为手机', count: 50 },
      { query: '华为手机壳', count: 20 },
      { query: '花卫生巾', count: 90 }, // a homophone start (hua wei), more popular
      { query: '手机', count: 100 },
      { query: '水晶', count: 10 },
    ]));
    const texts = (input: string) => suggester.suggest(input, { limit: 3 }).suggestions.map((s) => s.text);
    expect(texts('华为')).toEqual(['华为手机', '华为手机壳']);
    expect(texts('shouji')).toEqual(['手机']);
    expect(texts('sj')).toEqual(['手机', '水晶']);
    expect(texts('hua为')).toEqual(['华为手机', '华为手机壳']); // not 花卫生巾: 为 is typed
    expect(texts('华为sj')).toEqual(['华为手机', '华为手机壳']);
    expect(texts('huaweishou')).toEqual(['华为手机', '华为手机壳']);
    expect(texts('huaweish')).toEqual(['花卫生巾', '华为手机', '华为手机壳']); // hua wei sheng: a fair completion
    expect(suggester.suggest('hua为', { limit: 1 }).suggestions[0]?.match).toBe('mixed');
  });

  it('tolerates one typo in Latin input of four or more characters, ranked after every exact match', async () => {
    const suggester = await QuerySuggester.build(mine([
      { query: 'iphone 15', count: 100 },
      { query: 'iphoen charger', count: 60 },
      { query: 'iphoenix', count: 1 },
      { query: 'ipad', count: 50 },
    ]));
    const got = suggester.suggest('iphoen', { limit: 5 }).suggestions;
    // However popular the corrected query, what the user typed exactly comes first (Algolia's rule too).
    expect(got.map((s) => [s.text, s.match])).toEqual([
      ['iphoen charger', 'prefix'],
      ['iphoenix', 'prefix'],
      ['iphone 15', 'typo'],
    ]);
    // Three characters are too few to guess a typo from.
    expect(suggester.suggest('ipd').suggestions).toEqual([]);
  });

  it('offers literal completions of Latin input before pinyin ones, unless these are about 100 times as popular', async () => {
    const suggester = await QuerySuggester.build(mine([
      { query: '茶叶', count: 164 }, // pinyin chaye
      { query: 'chaye', count: 28 }, // the same typed without a Chinese input method
      { query: 'chanel', count: 7 },
      { query: '长裙', count: 900 }, // changqun: more than 100 times chanel, fewer than 100 times chaye
      { query: 'iphone 15', count: 30 },
      { query: 'iphone15 case', count: 5 },
    ]));
    const top = (input: string) => suggester.suggest(input).suggestions.map((s) => [s.text, s.match]);
    expect(top('cha')).toEqual([['chaye', 'prefix'], ['长裙', 'romanized'], ['chanel', 'prefix'], ['茶叶', 'romanized']]);
    expect(top('chay').slice(0, 2)).toEqual([['chaye', 'prefix'], ['茶叶', 'romanized']]); // typo matches follow
    // Text without spaces is the same script: only the small compact penalty applies.
    expect(top('iphone1')).toEqual([['iphone 15', 'romanized'], ['iphone15 case', 'prefix']]);
  });

  it('lets the user’s categories re-rank equally popular queries, and scopes the top one', async () => {
    const suggester = await QuerySuggester.build(mine([
      { query: 'apple watch', count: 10, categories: { '数码>手表': 4, '数码>手机': 1 } },
      { query: 'apple juice', count: 10, categories: { 食品: 1 } },
    ]));
    const top = (categories?: CategoryPreferences) => suggester.suggest('apple', { limit: 2, categories }).suggestions.map((s) => s.text);
    expect(top()).toEqual(['apple juice', 'apple watch']); // a tie: text order
    expect(top(new Map([['数码', 1]]))).toEqual(['apple watch', 'apple juice']); // interest in the parent category counts
    expect(suggester.suggest('apple w').scoped).toEqual([{ text: 'apple watch', category: '数码>手表', share: 0.8 }]);
  });

  it('answers bad input clearly: empty is no suggestions, too long or control characters are refused', async () => {
    const suggester = await QuerySuggester.build(mine([{ query: 'abc', count: 1 }]));
    expect(suggester.suggest('').suggestions).toEqual([]);
    expect(suggester.suggest('   ').suggestions).toEqual([]);
    expect(() => suggester.suggest('a'.repeat(10_000))).toThrow(InvalidArgumentError);
    expect(() => suggester.suggest('a'.repeat(10_000))).toThrow(/10000 characters, at most 1000/);
    expect(() => suggester.suggest('ab\u0007')).toThrow(/control character U\+0007 at offset 2/);
    expect(() => suggester.suggest('a', { limit: 0 })).toThrow(/limit must be an integer from 1 to 32, got 0/);
    expect(suggester.suggest('ABC ').normalizedPrefix).toBe('abc ');
  });

  it('gives the same answers whatever order the queries come in', async () => {
    const records = ['手机壳', '手机', 'shoes', 'shoe', '手表', 'sj'].map((query, i) => ({ query, count: 1 + (i % 2) }));
    const a = await QuerySuggester.build(mine(records));
    const b = await QuerySuggester.build([...mine(records)].reverse());
    for (const input of ['s', 'sh', '手', 'shou']) expect(b.suggest(input)).toEqual(a.suggest(input));
  });

  it('stops building when the signal aborts, and reports progress', async () => {
    const mined = mine(Array.from({ length: 5_000 }, (_, i) => ({ query: `query ${i}`, count: 1 })));
    const phases = new Set<string>();
    await QuerySuggester.build(mined, { onProgress: (p) => phases.add(p.phase) });
    expect([...phases]).toEqual(['romanize', 'index']);
    const controller = new AbortController();
    controller.abort();
    await expect(QuerySuggester.build(mined, { signal: controller.signal })).rejects.toThrow(CancelledError);
  });
});

describe('QuerySuggester.buildSync', () => {
  it('builds the same suggester as the asynchronous build (the engine rebuilds inside a request)', async () => {
    const mined = mine([
      { query: '华为手机', count: 5 },
      { query: '手机壳', count: 3 },
      { query: 'iphone 15', count: 4 },
      { query: '花卫生巾', count: 2 },
    ]);
    const built = await QuerySuggester.build(mined, { config: { topK: 2 } });
    const sync = QuerySuggester.buildSync(mined, { config: { topK: 2 } });
    for (const input of ['h', 'sj', 'hua为', 'iphine', '手', 'x']) expect(sync.suggest(input, { limit: 2 }), input).toEqual(built.suggest(input, { limit: 2 }));
    expect(sync.stats).toEqual(built.stats);
  });
});
