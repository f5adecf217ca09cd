import { describe, expect, it } from 'vitest';
import { parseOrThrow } from '../core/index.js';
import { BusinessRulesConfigSchema, BusinessRulesReranker } from './business-rules-reranker.js';
import { attributesOf, contextAt, item, rankedList } from './test-fixtures.js';

const items = [
  item('a', { brand: 'acme', categoryPath: ['home', 'kitchen'] }),
  item('b', { brand: 'bolt', categoryPath: ['home', 'garden'] }),
  item('c', { brand: 'acme', categoryPath: ['toys'] }),
  item('d', { brand: 'dyna', categoryPath: ['home', 'kitchen', 'knives'] }),
  item('e', { kind: 'content' }),
  item('f', { brand: 'bolt' }),
];

function reranker(input: unknown): BusinessRulesReranker {
  return new BusinessRulesReranker(attributesOf(items), parseOrThrow(BusinessRulesConfigSchema, input, 'rules'));
}

const ids = (list: { docId: number }[]) => list.map((c) => items[c.docId]!.id).join('');

describe('BusinessRulesReranker', () => {
  it('filters, buries and pins by attributes, in that order of kinds', () => {
    const r = reranker({
      rules: [
        { action: 'pin', match: { ids: ['f'] }, position: 1 },
        { action: 'bury', match: { brands: ['acme'] } },
        { action: 'filter', match: { kinds: ['content'] } },
      ],
    });
    expect(ids(r.rerank(contextAt(0), rankedList([0, 1, 2, 3, 4, 5])))).toBe('fbdac');
  });

  it('matches a category and everything below it', () => {
    const r = reranker({ rules: [{ action: 'filter', match: { categories: ['home>kitchen'] } }] });
    expect(ids(r.rerank(contextAt(0), rankedList([0, 1, 2, 3])))).toBe('bc');
  });

  it('boosts by a score factor but lifts no item more than maxLift places, and says why', () => {
    const r = reranker({ rules: [{ name: 'bolt week', action: 'boost', match: { brands: ['bolt'] }, factor: 10 }], maxLift: 2 });
    const context = contextAt(0);
    // f (last, score 1 → 10) would top the list, but may rise only 2 places; b rises 1.
    expect(ids(r.rerank(context, rankedList([0, 1, 2, 3, 4, 5])))).toBe('bacfde');
    expect(context.trace.moves.find((m) => m.docId === 5)?.reason).toBe('rules: bolt week (score × 10)');
  });

  it('applies a rule only within its time window and request kinds', () => {
    const r = reranker({ rules: [{ action: 'filter', match: { ids: ['a'] }, from: 100, until: 200, requestKinds: ['search'] }] });
    expect(ids(r.rerank(contextAt(150), rankedList([0, 1])))).toBe('b');
    expect(ids(r.rerank(contextAt(250), rankedList([0, 1])))).toBe('ab');
    expect(ids(r.rerank(contextAt(150, { kind: 'recommend' }), rankedList([0, 1])))).toBe('ab');
  });

  it('gives colliding pins the next free position, in rule order', () => {
    const r = reranker({
      rules: [
        { action: 'pin', match: { ids: ['e'] }, position: 2 },
        { action: 'pin', match: { ids: ['f'] }, position: 2 },
      ],
    });
    expect(ids(r.rerank(contextAt(0), rankedList([0, 1, 2, 3, 4, 5])))).toBe('aefbcd');
  });
});
