import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IncompatibleFormatError, InvalidArgumentError } from '../core/index.js';
import { decodeListScorer, encodeListScorer, greedyListOrder, LinearListScorer, LIST_SCORER_VERSION, ListAwareReranker } from './list-aware-reranker.js';
import { LIST_FEATURE_COUNT, LIST_FEATURES, listFeatures } from './list-features.js';
import { attributesOf, contextAt, item, rankedList } from './test-fixtures.js';

const weightsOf = (w: Partial<Record<(typeof LIST_FEATURES)[number], number>>) => LIST_FEATURES.map((name) => w[name] ?? 0);
const brands = ['x', 'x', 'x', 'y', 'z'];
const attributes = attributesOf(brands.map((brand, i) => item(`i${i}`, { brand })));

describe('ListAwareReranker', () => {
  it('with weight on the pointwise rank only, keeps the input order', () => {
    const reranker = new ListAwareReranker(attributes, new LinearListScorer(weightsOf({ pointwiseLogDiscount: 1 })));
    const list = rankedList([0, 1, 2, 3, 4]);
    expect(reranker.rerank(contextAt(0), list).map((c) => c.docId)).toEqual([0, 1, 2, 3, 4]);
  });

  it('with a penalty on brands already above, interleaves brands and says why in the trace', () => {
    const scorer = new LinearListScorer(weightsOf({ pointwiseLogDiscount: 1, sameBrandAbove: -2 }));
    const context = contextAt(0);
    const out = new ListAwareReranker(attributes, scorer).rerank(context, rankedList([0, 1, 2, 3, 4]));
    // After i0 (brand x), another x costs 2·log 2 ≈ 1.39, more than the rank gap to y and z.
    expect(out.map((c) => c.docId)).toEqual([0, 3, 4, 1, 2]);
    expect(context.trace.moves.find((m) => m.docId === 3)).toMatchObject({ reranker: 'list-aware', from: 4, to: 2 });
    expect(context.trace.moves[0]?.reason).toMatch(/list-aware: pick \d, model score/);
  });

  it('returns a permutation of its input, whatever the weights and k', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: LIST_FEATURE_COUNT, maxLength: LIST_FEATURE_COUNT }),
        fc.integer({ min: 0, max: 5 }),
        fc.integer({ min: 1, max: 8 }),
        (weights, n, k) => {
          const list = rankedList(Array.from({ length: n }, (_, i) => i));
          const out = new ListAwareReranker(attributes, new LinearListScorer(weights), { k }).rerank(contextAt(0, { detailed: false }), list);
          expect(out.map((c) => c.docId).sort()).toEqual(list.map((c) => c.docId).sort());
        },
      ),
    );
  });

  it('scores each pick with the features of the final list (greedy features = features of its output)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: LIST_FEATURE_COUNT, maxLength: LIST_FEATURE_COUNT }), (weights) => {
        const list = rankedList([0, 1, 2, 3, 4]);
        const result = greedyListOrder({ list, attributes, scorer: new LinearListScorer(weights), k: 5 });
        const final = Array.from(result.order, (i) => list[i]!);
        const reference = listFeatures(final, attributes);
        // pointwise rank features (and buckets) follow the input index, which listFeatures takes from the final order: skip them.
        const skip = new Set(LIST_FEATURES.flatMap((name, f) => (name.startsWith('pointwise') ? [f] : [])));
        result.features.forEach((x, j) => {
          if (!skip.has(j % LIST_FEATURE_COUNT)) expect(x).toBeCloseTo(reference[j]!, 6);
        });
      }),
    );
  });
});

describe('LinearListScorer save/load', () => {
  it('round-trips through JSON', () => {
    const scorer = new LinearListScorer(weightsOf({ scoreRatio: 0.5, sameBrandAbove: -1.25 }));
    expect([...LinearListScorer.parse(JSON.stringify(scorer)).weights]).toEqual([...scorer.weights]);
  });

  it('keeps loading the committed version-1 format', () => {
    const v1 = `{"format":"quarry-list-scorer","version":1,"kind":"linear","features":["scoreRatio","scoreMinMax","pointwiseReciprocalRank","pointwiseLogDiscount","reciprocalRank","logPosition","isAd","sameBrandAbove","sameCategoryAbove","sameShopAbove","samePriceBandAbove"],"weights":[1,0,0,1,0,0,0,-0.5,0,0,0]}`;
    const loaded = LinearListScorer.parse(v1);
    expect(loaded.weights[LIST_FEATURES.indexOf('sameBrandAbove')]).toBe(-0.5);
    expect(loaded.weights[LIST_FEATURES.indexOf('categoryShareInList')]).toBe(0);
  });

  it('round-trips through the model registry bytes with the format version', () => {
    const scorer = new LinearListScorer(weightsOf({ pointwiseRank3: 0.25, categoryShareInList: 1.5 }));
    const bytes = encodeListScorer(scorer);
    expect(JSON.parse(new TextDecoder().decode(bytes))).toMatchObject({ format: 'quarry-list-scorer', version: LIST_SCORER_VERSION, kind: 'linear' });
    expect([...decodeListScorer(bytes).weights]).toEqual([...scorer.weights]);
    expect(() => decodeListScorer(new TextEncoder().encode('not json'))).toThrow(IncompatibleFormatError);
  });

  it('refuses another version, another feature layout, or not JSON', () => {
    const saved = new LinearListScorer(weightsOf({})).toJSON();
    expect(() => LinearListScorer.parse(JSON.stringify({ ...saved, version: 3 }))).toThrow(IncompatibleFormatError);
    expect(() => LinearListScorer.parse(JSON.stringify({ ...saved, features: saved.features.slice(1), weights: saved.weights.slice(1) }))).toThrow(/differ from version 2/);
    expect(() => LinearListScorer.parse(JSON.stringify({ ...saved, version: 1 }))).toThrow(/differ from version 1/);
    expect(() => LinearListScorer.parse('{')).toThrow(IncompatibleFormatError);
    expect(() => new LinearListScorer([1, 2])).toThrow(InvalidArgumentError);
  });
});
