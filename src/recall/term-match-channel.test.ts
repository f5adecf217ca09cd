import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Catalog } from '../catalog/index.js';
import { ItemSchema, type Item } from '../core/index.js';
import { analyze } from '../text/index.js';
import { TermMatchChannel } from './term-match-channel.js';
import { testContext } from './test-context.js';

const WORDS = ['华为', '手机', '小米', '耳机', '口红', 'mate', 'pro', 'iphone', '5g', '红色', '茶'];
const item = (id: string, title: string): Item => ItemSchema.parse({ id, title });

/** The reference: coverage of every doc computed from scratch, filtered and sorted the same way. */
function bruteForce(items: Item[], query: string, minCoverage: number): { docId: number; score: number }[] {
  const docTerms = items.map((i) => new Set(analyze(`${i.title} ${i.categoryPath.join(' ')} ${i.description}`, { mode: 'index' })));
  const terms = [...new Set(analyze(query, { mode: 'query' }))]
    .map((term) => ({ term, df: docTerms.filter((d) => d.has(term)).length }))
    .filter((t) => t.df > 0)
    .map((t) => ({ term: t.term, idf: Math.log(1 + items.length / t.df) }));
  const total = terms.reduce((s, t) => s + t.idf, 0);
  return docTerms
    .map((d, docId) => ({ docId, score: terms.filter((t) => d.has(t.term)).reduce((s, t) => s + t.idf, 0) / total }))
    .filter((c) => terms.length > 0 && c.score >= minCoverage - 1e-9 && c.score > 0)
    .sort((a, b) => b.score - a.score || a.docId - b.docId);
}

describe('TermMatchChannel', () => {
  it('ranks full matches above partial ones and ignores terms no item has', () => {
    const catalog = new Catalog();
    const titles: [string, string][] = [['a', '华为 Mate 60 手机'], ['b', '小米 手机'], ['c', '华为 耳机']];
    for (const [id, title] of titles) catalog.upsert(item(id, title));
    const channel = new TermMatchChannel(catalog, { minCoverage: 0.3 });
    const { candidates, matched } = channel.recall(testContext({ query: '华为手机 zzz' }), 10);
    expect(candidates[0]?.docId).toBe(0); // has both 华为 and 手机
    expect(candidates[0]?.score).toBeCloseTo(1, 12);
    expect(matched).toBe(3);
  });

  it('returns what a brute-force scan returns, on random catalogs and queries', () => {
    const title = fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 5 }).map((w) => w.join(' '));
    fc.assert(
      fc.property(fc.array(title, { minLength: 1, maxLength: 30 }), title, fc.double({ min: 0.1, max: 1, noNaN: true }), (titles, query, minCoverage) => {
        const items = titles.map((t, i) => item(`i${i}`, t));
        const catalog = new Catalog();
        for (const i of items) catalog.upsert(i);
        const got = new TermMatchChannel(catalog, { minCoverage }).recall(testContext({ query }), 1_000).candidates;
        const want = bruteForce(items, query, minCoverage);
        expect(got.map((c) => c.docId)).toEqual(want.map((c) => c.docId));
        got.forEach((c, k) => expect(c.score).toBeCloseTo(want[k]!.score, 9));
      }),
      { numRuns: 200 },
    );
  });

  it('follows catalog updates and deletes as a fresh build would', () => {
    const catalog = new Catalog();
    const channel = new TermMatchChannel(catalog);
    catalog.upsert(item('a', '华为 手机'));
    catalog.upsert(item('b', '小米 手机'));
    catalog.upsert(item('a', '华为 耳机')); // a is no longer a phone
    catalog.remove('b');
    expect(channel.recall(testContext({ query: '手机' }), 10).candidates).toEqual([]);
    expect(channel.recall(testContext({ query: '耳机' }), 10).candidates.map((c) => c.docId)).toEqual([0]);
  });

  it('keeps only accepted docs and reports the query terms in the trace', () => {
    const catalog = new Catalog();
    catalog.upsert(item('a', '华为 手机'));
    catalog.upsert(item('b', '小米 手机'));
    const channel = new TermMatchChannel(catalog);
    const context = testContext({ query: '手机', accepts: (docId) => docId === 1 });
    context.trace.stage({ stage: 'recall', name: 'term-match', input: 0 }, () => channel.recall(context, 10), (r) => r.candidates.length);
    expect(channel.recall(context, 10).candidates.map((c) => c.docId)).toEqual([1]);
    expect(context.trace.stages[0]?.detail).toEqual({ terms: [{ term: '手机', idf: expect.any(Number) as number }] });
  });
});
