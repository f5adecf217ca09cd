// Pruned top-k (MaxScore) against exhaustive scoring, and exhaustive BM25F against a brute-force
// reference computed from the raw docs: the optimised path must return exactly the same hits.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rng } from '../core/index.js';
import { InvertedIndex } from './index.js';
import { idf, saturate } from './scoring.js';
import { letterAnalyzer } from './testing.js';

const analyzer = letterAnalyzer();
// A small vocabulary with a skewed draw, so some terms are common and some rare (what pruning exploits).
const VOCAB = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel', 'india', 'juliet', 'kilo', 'lima'];
const word = fc.integer({ min: 0, max: VOCAB.length * VOCAB.length - 1 }).map((i) => VOCAB[Math.floor(Math.sqrt(i))] as string);
const text = fc.array(word, { minLength: 0, maxLength: 12 }).map((w) => w.join(' '));
const doc = fc.record({ title: text, body: text });
const corpus = fc.array(doc, { minLength: 1, maxLength: 60 });
const clause = fc.oneof(
  { weight: 6, arbitrary: word },
  { weight: 1, arbitrary: fc.tuple(word, word).map(([a, b]) => `"${a} ${b}"`) },
  { weight: 1, arbitrary: word.map((w) => `-${w}`) },
  { weight: 1, arbitrary: word.map((w) => `title:${w}`) },
  { weight: 1, arbitrary: word.map((w) => `${w.slice(0, -1)}x`) }, // a typo
);
const query = fc.array(clause, { minLength: 1, maxLength: 6 }).map((c) => c.join(' '));

function build(docs: { title: string; body: string }[], deletes: number[]): InvertedIndex {
  const index = new InvertedIndex({
    fields: [
      { name: 'title', analyzer, weight: 2.5, b: 0.3 },
      { name: 'body', analyzer },
    ],
    synonyms: [{ equivalents: ['alpha', 'kilo lima'] }],
  });
  docs.forEach((d) => index.add(d));
  for (const d of deletes) index.delete(d % docs.length);
  // Updates move docs to new slots: slot order and doc id order differ afterwards.
  if (docs.length > 2) index.update(1, docs[0] as { title: string; body: string });
  return index;
}

describe('MaxScore top-k equals exhaustive scoring', () => {
  it('on random corpora, queries, k, operators and pruning start points', () => {
    fc.assert(
      fc.property(
        corpus,
        fc.array(fc.nat(), { maxLength: 5 }),
        query,
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 0, max: 5 }),
        (docs, deletes, q, k, msm, exactCountUpTo) => {
          const index = build(docs, deletes);
          const exhaustive = index.search(q, { k, minimumShouldMatch: msm, prune: false });
          const pruned = index.search(q, { k, minimumShouldMatch: msm, exactCountUpTo });
          expect(pruned.hits).toEqual(exhaustive.hits);
          expect(exhaustive.totalExact).toBe(true);
          if (pruned.totalExact) expect(pruned.total).toBe(exhaustive.total);
          else expect(pruned.total).toBeLessThanOrEqual(exhaustive.total);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('MaxScore top-k over several windows of slots', () => {
  // max-score.ts scores windows of 1024 slots: corpora of 2,000-3,000 docs (seeded from the drawn
  // integer) cross window edges, with deletes and updates moving docs to later slots.
  it('equals exhaustive scoring on larger random corpora', () => {
    fc.assert(
      fc.property(fc.integer(), query, fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 2 }), (seed, q, k, msm) => {
        const rng = new Rng(seed);
        const randomText = () => Array.from({ length: rng.int(10) }, () => VOCAB[Math.floor(Math.sqrt(rng.int(VOCAB.length * VOCAB.length)))]).join(' ');
        const docs = Array.from({ length: 2000 + rng.int(1000) }, () => ({ title: randomText(), body: randomText() }));
        const index = build(docs, Array.from({ length: 50 }, () => rng.int(docs.length)));
        for (let i = 0; i < 200; i++) index.update(rng.int(docs.length), docs[rng.int(docs.length)] as { title: string; body: string });
        const exhaustive = index.search(q, { k, minimumShouldMatch: msm, prune: false });
        const pruned = index.search(q, { k, minimumShouldMatch: msm, exactCountUpTo: 0 });
        expect(pruned.hits).toEqual(exhaustive.hits);
      }),
      { numRuns: 25 },
    );
  });
});

describe('exhaustive scoring equals a brute-force BM25F over the raw docs', () => {
  it('for plain word queries (no typos, no synonyms)', () => {
    fc.assert(
      fc.property(corpus, fc.array(word, { minLength: 1, maxLength: 4 }), (docs, words) => {
        const index = build(docs, []);
        const live = docs.map((d, i) => (i === 1 && docs.length > 2 ? (docs[0] as typeof d) : d));
        const expected = bruteForce(live, words);
        const got = index.search(words.join(' '), { k: docs.length, prune: false, typos: false, synonyms: false });
        expect(got.hits.map((h) => h.docId)).toEqual(expected.map((h) => h.docId));
        got.hits.forEach((h, i) => expect(h.score).toBeCloseTo(expected[i]?.score ?? 0, 9));
      }),
      { numRuns: 200 },
    );
  });
});

/** BM25F straight from the definition: title w 2.5 b 0.3, body w 1 b 0.6 (the default), k1 1.0. */
function bruteForce(docs: { title: string; body: string }[], words: string[]): { docId: number; score: number }[] {
  const tokens = docs.map((d) => ({ title: analyzer.analyze(d.title, 'index').map((t) => t.term), body: analyzer.analyze(d.body, 'index').map((t) => t.term) }));
  const avg = (f: 'title' | 'body') => {
    const withField = tokens.filter((t) => t[f].length > 0);
    return withField.length === 0 ? 1 : withField.reduce((s, t) => s + t[f].length, 0) / withField.length;
  };
  const avgTitle = avg('title');
  const avgBody = avg('body');
  const scored = tokens.map((t, docId) => {
    let score = 0;
    for (const w of words) {
      const df = tokens.filter((x) => x.title.includes(w) || x.body.includes(w)).length;
      const tfT = t.title.filter((x) => x === w).length;
      const tfB = t.body.filter((x) => x === w).length;
      if (tfT + tfB === 0) continue;
      const x = (2.5 * tfT) / (0.7 + (0.3 * t.title.length) / avgTitle) + tfB / (0.4 + (0.6 * t.body.length) / avgBody);
      score += idf(docs.length, df) * saturate(x, 1.0);
    }
    return { docId, score };
  });
  return scored.filter((s) => s.score > 0).sort((a, b) => b.score - a.score || a.docId - b.docId);
}
