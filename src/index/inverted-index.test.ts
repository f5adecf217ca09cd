// Behaviour of the index through its public API, each test with the reason the expected result holds.
import { describe, expect, it } from 'vitest';
import { AlreadyExistsError, InvalidArgumentError, NotFoundError, type ExplainNode } from '../core/index.js';
import { InvertedIndex, QUERY_LIMITS, type IndexConfig, type IndexSearchOptions } from './index.js';
import { letterAnalyzer } from './testing.js';

const analyzer = letterAnalyzer();

function shopIndex(extra: Partial<IndexConfig> = {}): InvertedIndex {
  const index = new InvertedIndex({
    fields: [
      { name: 'title', analyzer, weight: 3 },
      { name: 'body', analyzer },
    ],
    keywords: [{ name: 'brand' }, { name: 'category', hierarchical: '>' }],
    numbers: [{ name: 'price' }],
    ...extra,
  });
  index.add({ title: 'red running shoes', body: 'light shoes for the road', brand: 'acme', category: '鞋>跑鞋', price: 80 });
  index.add({ title: 'blue walking boots', body: 'red laces, waterproof leather', brand: 'bolt', category: '鞋>靴子', price: 120 });
  index.add({ title: 'red wine glass', body: 'crystal glass for red wine', brand: 'acme', category: '厨房', price: 15 });
  index.add({ title: 'mobile phone case', body: 'fits every mobile phone', brand: 'case co', category: '数码>配件', price: 9 });
  return index;
}

const ids = (index: InvertedIndex, query: string, options: IndexSearchOptions = {}) => index.search(query, options).hits.map((h) => h.docId);

describe('BM25F ranking', () => {
  it('ranks a title match above a body-only match, as the title weighs 3 times the body', () => {
    // "red" is in the titles of 0 and 2 and only in the body of 1.
    expect(ids(shopIndex(), 'red').at(-1)).toBe(1);
  });

  it('scores a doc holding every query word above docs holding one', () => {
    expect(ids(shopIndex(), 'red wine')[0]).toBe(2);
  });

  it('matches nothing for a word no doc has, and says nothing went wrong', () => {
    const result = shopIndex().search('unicorn', { typos: false });
    expect(result).toMatchObject({ hits: [], total: 0, totalExact: true });
  });

  it('is deterministic: equal scores are ordered by doc id', () => {
    const index = new InvertedIndex({ fields: [{ name: 'text', analyzer }] });
    for (let i = 0; i < 5; i++) index.add({ text: 'same words here' }, 10 - i);
    expect(ids(index, 'words')).toEqual([6, 7, 8, 9, 10]);
  });
});

describe('query syntax', () => {
  it('a "phrase" needs its words adjacent and in order', () => {
    // Doc 3 says "mobile phone" in both fields; no other doc has the phrase.
    expect(ids(shopIndex(), '"mobile phone"')).toEqual([3]);
    expect(ids(shopIndex(), '"phone mobile"', { typos: false })).toEqual([]);
  });

  it('a phrase keeps the gap of a dropped stop word', () => {
    // "glass for red" → positions glass 0, red 2 (for is not a stop word of the test analyzer: gap 0).
    expect(ids(shopIndex(), '"crystal glass"')).toEqual([2]);
  });

  it('-word excludes docs that contain it', () => {
    expect(ids(shopIndex(), 'red -wine')).toEqual([0, 1]);
  });

  it('field:word searches one field only', () => {
    // "red" is only in doc 1's body, so title:red leaves it out.
    expect(ids(shopIndex(), 'title:red').sort()).toEqual([0, 2]);
    expect(ids(shopIndex(), 'body:red').sort()).toEqual([1, 2]);
  });

  it('keyword:value filters on a keyword field', () => {
    expect(ids(shopIndex(), 'red brand:acme').sort()).toEqual([0, 2]);
  });

  it('operator "and" needs every word; minimumShouldMatch counts words', () => {
    const index = shopIndex();
    expect(ids(index, 'red shoes', { operator: 'and' })).toEqual([0]);
    expect(ids(index, 'red shoes glass', { minimumShouldMatch: 2 }).sort()).toEqual([0, 2]);
    expect(ids(index, 'red shoes glass', { minimumShouldMatch: '100%' })).toEqual([]);
  });
});

describe('malformed queries give a clear result or a clear error, never a crash', () => {
  const index = shopIndex();

  it('an unbalanced quote searches the words after it, with a warning', () => {
    const result = index.search('"red wine');
    expect(result.hits[0]?.docId).toBe(2);
    expect(result.warnings.join()).toMatch(/unbalanced quote/);
  });

  it('only stop words: no hits and a warning', () => {
    const result = index.search('the of and a');
    expect(result.hits).toEqual([]);
    expect(result.warnings.join()).toMatch(/no searchable terms/);
  });

  it('control characters are spaces', () => {
    expect(ids(index, 'red\u0000wine\u0007\u200b')[0]).toBe(2);
  });

  it('10,000 characters are searched (the first 64 units) with a warning; more is an InvalidArgumentError', () => {
    const long = 'red '.repeat(QUERY_LIMITS.maxLength / 4);
    const result = index.search(long);
    expect(result.hits.length).toBeGreaterThan(0);
    expect(result.warnings.join()).toMatch(/only the first 64/);
    expect(() => index.search(`${long}x`)).toThrow(InvalidArgumentError);
  });

  it.each(['"', '-', '--', ':', 'title:', '-"', '""', '"" -""', 'brand:', '\u{1F600}', '\ud800'])('%j', (query) => {
    expect(index.search(query).hits).toEqual([]);
  });

  it('bad options are InvalidArgumentErrors naming the value', () => {
    expect(() => index.search('red', { k: -1 })).toThrow(/k must be/);
    expect(() => index.search('red', { minimumShouldMatch: 0 })).toThrow(/minimumShouldMatch/);
    expect(() => index.search('red', { fields: ['nope'] })).toThrow(/"nope" is not a text field/);
  });
});

describe('typos and synonyms', () => {
  it('finds a 5+ letter word with one typo, scored below the exact word (factor 0.5)', () => {
    const index = new InvertedIndex({ fields: [{ name: 'text', analyzer }] });
    index.add({ text: 'leather' });
    index.add({ text: 'lether' });
    const result = index.search('leather');
    expect(result.hits.map((h) => h.docId)).toEqual([0, 1]);
    // Same length-normalised frequency, same idf: the typo match is worth exactly half.
    expect((result.hits[1]?.score ?? 0) / (result.hits[0]?.score ?? 1)).toBeCloseTo(0.5, 10);
  });

  it('finds typo matches among terms added after an earlier lookup (the typo cache is refreshed)', () => {
    const index = new InvertedIndex({ fields: [{ name: 'text', analyzer }] });
    index.add({ text: 'boots' });
    expect(ids(index, 'leather')).toEqual([]);
    index.add({ text: 'lether' });
    expect(ids(index, 'leather')).toEqual([1]);
  });

  it('never applies typos to words under 5 letters or to Han words', () => {
    const index = new InvertedIndex({ fields: [{ name: 'text', analyzer }] });
    index.add({ text: 'boot 手机壳' });
    expect(ids(index, 'bood')).toEqual([]);
    expect(ids(index, '手机盒')).toEqual([]);
  });

  it('two-way multi-word synonyms: 手机 ⇄ mobile phone', () => {
    const index = shopIndex({ synonyms: [{ equivalents: ['手机', 'mobile phone'] }] });
    index.add({ title: '手机 壳', body: '' });
    expect(ids(index, '手机').sort()).toEqual([3, 4]);
    expect(ids(index, 'mobile phone').sort()).toEqual([3, 4]);
  });

  it('one-way synonyms expand only from the left side', () => {
    const index = shopIndex({ synonyms: [{ from: 'sneakers', to: ['running shoes'] }] });
    index.add({ title: 'sneakers sale' });
    expect(ids(index, 'sneakers').sort()).toEqual([0, 4]);
    expect(ids(index, '"running shoes"')).toEqual([0]);
  });
});

describe('filters and facets', () => {
  it('filters on keyword, hierarchical prefix and numeric range', () => {
    const index = shopIndex();
    expect(ids(index, 'red', { filter: { field: 'category', anyOf: ['鞋'] } }).sort()).toEqual([0, 1]);
    expect(ids(index, 'red', { filter: { field: 'price', min: 50, max: 100 } })).toEqual([0]);
    expect(ids(index, 'red', { filter: { not: { field: 'brand', anyOf: ['acme'] } } })).toEqual([1]);
    expect(ids(index, 'red', { accept: (d) => d !== 0 }).sort()).toEqual([1, 2]);
  });

  it('counts facets over every match', () => {
    const result = shopIndex().search('red', {
      facets: [
        { name: 'brand', field: 'brand' },
        { name: 'category', field: 'category', depth: 1 },
        { name: 'price', field: 'price', ranges: [{ to: 50 }, { from: 50 }] },
        { name: 'even', values: (d) => (d % 2 === 0 ? 'even' : 'odd') },
      ],
    });
    expect(result.facets).toEqual({
      brand: [
        { value: 'acme', count: 2 },
        { value: 'bolt', count: 1 },
      ],
      category: [
        { value: '鞋', count: 2 },
        { value: '厨房', count: 1 },
      ],
      price: [
        { value: '<50', count: 1 },
        { value: '>=50', count: 2 },
      ],
      even: [
        { value: 'even', count: 2 },
        { value: 'odd', count: 1 },
      ],
    });
  });

  it('refuses filters and facets on fields it does not hold', () => {
    expect(() => shopIndex().search('red', { filter: { field: 'colour', anyOf: ['red'] } })).toThrow(InvalidArgumentError);
    expect(() => shopIndex().search('red', { facets: [{ name: 'x', field: 'title' }] })).toThrow(InvalidArgumentError);
  });
});

describe('add, update, delete', () => {
  it('never returns a deleted doc, and updates N and df', () => {
    const index = shopIndex();
    expect(index.delete(2)).toBe(true);
    expect(index.delete(2)).toBe(false);
    expect(ids(index, 'wine glass')).toEqual([]);
    expect(index.size).toBe(3);
    const explain = index.explain('red', 0);
    expect(JSON.stringify(explain)).toMatch(/N = 3, df = 2/);
  });

  it('update replaces the text and the filter values under the same id', () => {
    const index = shopIndex();
    index.update(2, { title: 'green tea', brand: 'leaf', price: 3 });
    expect(ids(index, 'wine')).toEqual([]);
    expect(ids(index, 'tea', { filter: { field: 'brand', anyOf: ['leaf'] } })).toEqual([2]);
    expect(ids(index, 'red', { filter: { field: 'brand', anyOf: ['acme'] } })).toEqual([0]);
  });

  it('refuses a live id on add and bad values without changing anything', () => {
    const index = shopIndex();
    expect(() => index.add({ title: 'x' }, 1)).toThrow(AlreadyExistsError);
    expect(() => index.update(1, { title: 'x', price: 'cheap' })).toThrow(/numeric field "price"/);
    expect(() => index.update(1, { title: 42 })).toThrow(/text field "title"/);
    expect(ids(index, 'boots')).toEqual([1]);
  });

  it('compaction keeps results and drops dead postings', () => {
    const index = shopIndex();
    index.update(0, { title: 'red shoes again' });
    index.delete(3);
    const before = index.search('red shoes phone');
    index.compact();
    expect(index.stats().deadSlots).toBe(0);
    expect(index.search('red shoes phone')).toEqual(before);
  });
});

describe('explain', () => {
  const sum = (node: ExplainNode): number => node.children?.reduce((s, c) => s + c.value, 0) ?? node.value;

  it('explains a hit with the value search scored it, the sum of its units', () => {
    const index = shopIndex();
    const hit = index.search('red shoes "mobile phone"').hits[0];
    const tree = index.explain('red shoes "mobile phone"', hit?.docId ?? -1);
    expect(tree.value).toBe(hit?.score);
    expect(sum(tree)).toBeCloseTo(tree.value, 12);
    expect(JSON.stringify(tree)).toMatch(/idf = ln/);
  });

  it('says why a doc does not match', () => {
    const index = shopIndex();
    expect(index.explain('red -wine', 2).label).toMatch(/excluded by -wine/);
    expect(index.explain('red', 3).label).toMatch(/0 of 1 query units match/);
    expect(index.explain('red', 0, { filter: { field: 'brand', anyOf: ['bolt'] } }).label).toMatch(/filtered out/);
    expect(() => index.explain('red', 99)).toThrow(NotFoundError);
  });
});

describe('empty queries and feedback', () => {
  it("emptyQuery 'all' lists the filtered docs in doc id order (browsing with facets)", () => {
    const result = shopIndex().search('', { emptyQuery: 'all', filter: { field: 'brand', anyOf: ['acme'] }, facets: [{ name: 'brand', field: 'brand' }] });
    expect(result.hits.map((h) => h.docId)).toEqual([0, 2]);
    expect(result.facets?.brand).toEqual([{ value: 'acme', count: 2 }]);
  });

  it('RM3 feedback adds the feedback docs’ words; total stays the typed query’s', () => {
    const index = shopIndex();
    const plain = index.search('wine');
    const expanded = index.search('wine', { feedback: { docs: 1, terms: 3, originalWeight: 0.5 } });
    // Doc 2 is the only "wine" doc, so its words (red, glass, crystal, …) join the query and bring in
    // docs 0 and 1, which say "red"; the count is still that of "wine".
    expect(expanded.units.some((u) => u.alternatives[0]?.kind === 'feedback')).toBe(true);
    expect(expanded.hits[0]?.docId).toBe(2);
    expect(expanded.hits.length).toBeGreaterThan(plain.hits.length);
    expect(expanded.total).toBe(plain.total);
    expect(() => index.search('wine', { feedback: true, operator: 'and', minimumShouldMatch: 1 })).not.toThrow();
    expect(() => index.search('red wine', { feedback: true, operator: 'and' })).toThrow(/feedback needs minimumShouldMatch 1/);
  });
});
