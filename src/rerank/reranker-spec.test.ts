import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FailedPreconditionError, InvalidArgumentError, type Item } from '../core/index.js';
import { LinearListScorer, LIST_RERANKER_MODEL_NAME } from './list-aware-reranker.js';
import { LIST_FEATURES } from './list-features.js';
import { createReranker, parseRerankerSpec, RERANKER_TYPES, type RerankerSpecInput } from './reranker-spec.js';
import { attributesOf, contextAt, item, rankedList } from './test-fixtures.js';

function loadError(input: unknown): InvalidArgumentError {
  try {
    parseRerankerSpec(input, ['rerank', 'rerankers', 0]);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidArgumentError);
    return error as InvalidArgumentError;
  }
  throw new Error(`expected ${JSON.stringify(input)} to be refused`);
}

describe('reranker configuration errors at load time', () => {
  it.each([
    [{ type: 'scatter', rules: [{ attribute: 'brand', window: 2, max: 3 }] }, 'rerank.rerankers.0.rules.0.window', 'window 2 must be larger than max 3, or the brand rule never applies'],
    [{ type: 'scatter', rules: [{ attribute: 'colour', window: 5, max: 1 }] }, 'rerank.rerankers.0.rules.0.attribute', 'unknown attribute "colour", expected one of brand, shop, category, topCategory, priceBand, kind'],
    [{ type: 'scatter', rules: [{ attribute: 'brand', window: 5, max: -1 }] }, 'rerank.rerankers.0.rules.0.max', 'max must be at least 1 (use a filter rule to remove items)'],
    [{ type: 'slot-mix', ad: { maxCount: -2 } }, 'rerank.rerankers.0.ad.maxCount', 'maxCount must not be negative'],
    [{ type: 'slot-mix', ad: { minGap: -1 } }, 'rerank.rerankers.0.ad.minGap', 'minGap must not be negative'],
    [{ type: 'slot-mix', content: { slots: [4, 2] } }, 'rerank.rerankers.0.content.slots.1', 'slots must be ascending without repeats, got 2 after 4'],
    [{ type: 'frequency-cap', maxPerDay: 0 }, 'rerank.rerankers.0.maxPerDay', 'maxPerDay must be at least 1'],
    [{ type: 'new-item-exposure', pacing: { dailyQuota: -5 } }, 'rerank.rerankers.0.pacing.dailyQuota', 'dailyQuota must not be negative'],
    [{ type: 'new-item-exposure', maxLift: -1 }, 'rerank.rerankers.0.maxLift', 'maxLift must not be negative'],
    [{ type: 'mmr', similarity: { kind: 'attributes', weights: { color: 1 } } }, 'rerank.rerankers.0.similarity.weights.color', 'unknown attribute'],
    [{ type: 'dpp', theta: 1 }, 'rerank.rerankers.0.theta', 'theta must be below 1'],
    [{ type: 'rules', rules: [{ action: 'boost', match: { brands: ['x'] }, factor: 50 }] }, 'rerank.rerankers.0.rules.0.factor', 'boost factor 50 is outside the cap [1/10, 10]'],
    [{ type: 'rules', rules: [{ action: 'pin', match: { ids: ['x'] } }] }, 'rerank.rerankers.0.rules.0.position', 'a pin rule needs a position'],
    [{ type: 'shuffle' }, 'rerank.rerankers.0.type', `unknown reranker type "shuffle", expected one of ${RERANKER_TYPES.join(', ')}`],
  ])('%j is refused at %s', (input, field, message) => {
    const error = loadError(input);
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.field).toBe(field);
    expect(error.message).toContain(message);
  });

  it('fills every default of every type', () => {
    for (const type of RERANKER_TYPES) expect(parseRerankerSpec({ type }).type).toBe(type);
    expect(parseRerankerSpec({ type: 'scatter' })).toEqual({
      type: 'scatter',
      rules: [
        { attribute: 'brand', window: 6, max: 2 },
        { attribute: 'category', window: 6, max: 3 },
      ],
      backtrackLimit: 1_000,
    });
  });
});

/** The shared suite: every reranker, on random lists, returns distinct items of its input. */
describe('the list-aware spec', () => {
  it('names the registry model, "list-reranker" by default, and fails to build without it', () => {
    const spec = parseRerankerSpec({ type: 'list-aware' });
    expect(spec).toEqual({ type: 'list-aware', model: LIST_RERANKER_MODEL_NAME, k: 50 });
    expect(() => createReranker(spec, { attributes: attributesOf([]) })).toThrow(FailedPreconditionError);
    expect(() => createReranker(spec, { attributes: attributesOf([]) })).toThrow(/quarry train rerank/);
    expect(() => parseRerankerSpec({ type: 'list-aware', model: '' })).toThrow(/model/);
  });
});

describe.each(RERANKER_TYPES)('reranker %s', (type) => {
  const brands = ['a', 'b', 'c'];
  const items: Item[] = Array.from({ length: 40 }, (_, i) =>
    item(`i${i}`, {
      brand: brands[i % 3]!,
      shop: `s${i % 5}`,
      categoryPath: ['x', `y${i % 4}`],
      price: 10 + i,
      createdAt: i % 7 === 0 ? 1_000 : 0,
      ...(i % 9 === 0 ? { kind: 'ad' as const, bid: 1 } : i % 11 === 0 ? { kind: 'content' as const } : {}),
    }),
  );
  const specs: Record<string, RerankerSpecInput> = { rules: { type: 'rules', rules: [{ action: 'bury', match: { brands: ['a'] } }] } };
  // The list-aware reranker's scorer: the pointwise order plus a penalty on brands already above.
  const scorer = new LinearListScorer(LIST_FEATURES.map((name) => (name === 'pointwiseLogDiscount' ? 1 : name === 'sameBrandAbove' ? -1 : 0)));
  const listScorers = new Map([[LIST_RERANKER_MODEL_NAME, scorer]]);
  const reranker = createReranker(parseRerankerSpec(specs[type] ?? { type }), { attributes: attributesOf(items), listScorers });

  it('returns distinct items of its input, all products kept (only ads, cards and filtered items may go)', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 0, max: 39 }), { maxLength: 40 }), fc.boolean(), (docIds, detailed) => {
        const out = reranker.rerank(contextAt(2_000, { userId: 'u', detailed }), rankedList(docIds)).map((c) => c.docId);
        expect(new Set(out).size).toBe(out.length);
        for (const d of out) expect(docIds).toContain(d);
        const products = docIds.filter((d) => items[d]!.kind === 'product');
        for (const d of products) expect(out).toContain(d);
      }),
      { numRuns: 50 },
    );
  });
});
