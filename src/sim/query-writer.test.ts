import fc from 'fast-check';
import { pinyin } from 'pinyin-pro';
import { describe, expect, it } from 'vitest';
import { Rng } from '../core/index.js';
import { drawIntent, type Intent } from './intent.js';
import { compareIntents } from './query-interpreter.js';
import { applyTypo, typedPrefix, writeQuery, type QueryStyle } from './query-writer.js';
import { fullPinyin } from './text.js';
import { asShopWorld, generateWorld } from './world.js';

const world = asShopWorld(generateWorld({ items: 500, users: 300, seed: 'queries' }));

/** A user's intent and the query they write for it in `style`, from one seed. */
function written(seed: number, style: QueryStyle, typoRate = 0): { intent: Intent; text: string; hanzi: string; style: QueryStyle; typo: boolean } {
  const rng = new Rng(seed);
  const user = world.userTruths[rng.int(world.userTruths.length)];
  if (user === undefined) throw new Error('no user');
  const intent = drawIntent(rng, world.catalog, user);
  return { intent, ...writeQuery({ rng, leaf: world.leaf(intent.leafId), intent, style, typoRate }) };
}

/** Optimal string alignment distance (Levenshtein plus adjacent swaps), the plain dynamic programme. */
function osaDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const row = d[i] as number[];
      const up = d[i - 1] as number[];
      row[j] = Math.min((up[j] as number) + 1, (row[j - 1] as number) + 1, (up[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) row[j] = Math.min(row[j] as number, ((d[i - 2] as number[])[j - 2] as number) + 1);
    }
  }
  return (d[a.length] as number[])[b.length] as number;
}

describe('writeQuery', () => {
  it('writes pinyin queries as the lowercase letters pinyin-pro gives for the Chinese query', () => {
    let pinyinCount = 0;
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e9 }), (seed) => {
        const query = written(seed, 'pinyin');
        if (query.style !== 'pinyin') return; // the Chinese form had Latin in it (`华为 mate 60`)
        pinyinCount++;
        expect(query.text).toMatch(/^[a-z]+$/);
        // Spaces between Chinese words are dropped: pinyin is typed as one run (`feiliputaideng`).
        expect(query.text).toBe(pinyin(query.hanzi.replace(/\s+/g, ''), { toneType: 'none', type: 'array', v: true }).join(''));
      }),
      { numRuns: 300 },
    );
    expect(pinyinCount).toBeGreaterThan(100);
  });

  it('writes pinyin initials as the first letter of each syllable', () => {
    const query = [...Array(200).keys()].map((seed) => written(seed, 'initials')).find((q) => q.style === 'initials');
    expect(query).toBeDefined();
    expect(query?.text).toBe(pinyin((query?.hanzi ?? '').replace(/\s+/g, ''), { pattern: 'first', toneType: 'none', type: 'array', v: true }).join(''));
  });

  it('writes English queries in lowercase ASCII', () => {
    for (let seed = 0; seed < 200; seed++) expect(written(seed, 'english').text).toMatch(/^[a-z0-9 .&:/+-]+$/);
  });

  it('writes queries the shop vocabulary reads back as the same category (and brand, when one is named)', () => {
    for (const style of ['hanzi', 'english', 'pinyin'] as const) {
      for (let seed = 0; seed < 1000; seed++) {
        const query = written(seed, style);
        const readings = world.interpreter.read(query.text);
        const fits = readings.map((reading) => compareIntents(reading, query.intent)).filter((fit) => fit.compatible);
        expect(fits.length, `${style} "${query.text}" for ${JSON.stringify(query.intent)}`).toBeGreaterThan(0);
      }
    }
  });

  it('puts typos only into Latin-script queries, at the requested rate', () => {
    const english = [...Array(400).keys()].map((seed) => written(seed, 'english', 0.5));
    const typos = english.filter((q) => q.typo).length;
    expect(typos).toBeGreaterThan(100); // short queries (`tea`) have no word of 5+ letters to mistype
    expect(typos).toBeLessThan(220);
    expect([...Array(100).keys()].some((seed) => written(seed, 'hanzi', 1).typo)).toBe(false);
  });
});

describe('applyTypo', () => {
  it('makes exactly one edit (insert, delete, substitute or swap) in one word of 5+ letters, never its first letter', () => {
    fc.assert(
      fc.property(fc.array(fc.stringMatching(/^[a-z]{1,9}$/), { minLength: 1, maxLength: 4 }), fc.integer(), (words, seed) => {
        const text = words.join(' ');
        const typo = applyTypo(new Rng(seed), text);
        if (!words.some((w) => w.length >= 5)) {
          expect(typo).toBeUndefined();
          return;
        }
        expect(typo).toBeDefined();
        const typoWords = (typo as string).split(' ');
        const changed = words.flatMap((w, i) => (w === typoWords[i] ? [] : [i]));
        expect(changed.length).toBeLessThanOrEqual(1);
        for (const i of changed) {
          const before = words[i] as string;
          const after = typoWords[i] as string;
          expect(before.length).toBeGreaterThanOrEqual(5);
          expect(after[0]).toBe(before[0]);
          expect(osaDistance(before, after)).toBe(1);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('turns iphone into a recognisable misspelling', () => {
    const typo = applyTypo(new Rng(1), 'iphone 15');
    expect(typo).toMatch(/^i\w+ 15$/);
    expect(typo).not.toBe('iphone 15');
  });
});

describe('typedPrefix', () => {
  it('is the start of the query, or of the pinyin of its leading Chinese characters', () => {
    for (let seed = 0; seed < 300; seed++) {
      const query = written(seed, seed % 2 === 0 ? 'hanzi' : 'english');
      const prefix = typedPrefix(new Rng(seed), query);
      expect(prefix.length).toBeGreaterThan(0);
      const startsQuery = query.text.startsWith(prefix);
      const startsPinyin = fullPinyin(/^\p{Script=Han}+/u.exec(query.text)?.[0] ?? '').startsWith(prefix);
      expect(startsQuery || startsPinyin, `"${prefix}" for "${query.text}"`).toBe(true);
    }
  });
});
