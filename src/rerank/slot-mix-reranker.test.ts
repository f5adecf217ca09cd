import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mixSlots, SlotMixReranker, STREAM_AD, STREAM_CONTENT, STREAM_ORGANIC, type SlotStreamConfig } from './slot-mix-reranker.js';
import { attributesOf, contextAt, item, rankedList } from './test-fixtures.js';

const streamArb = fc.record({
  slots: fc.uniqueArray(fc.integer({ min: 1, max: 30 }), { maxLength: 8 }).map((s) => s.sort((a, b) => a - b)),
  minGap: fc.integer({ min: 0, max: 5 }),
  maxCount: fc.integer({ min: 0, max: 6 }),
});

/** Checks one inserted stream's rules on an output; returns the 1-based positions it took. */
function positionsOf(order: Int32Array, stream: Uint8Array, s: number): number[] {
  const out: number[] = [];
  order.forEach((i, p) => {
    if (stream[i] === s) out.push(p + 1);
  });
  return out;
}

function expectStreamRules(positions: number[], rules: Omit<SlotStreamConfig, 'exchangeRate'>): void {
  expect(positions.length).toBeLessThanOrEqual(rules.maxCount);
  for (const p of positions) if (rules.slots.length > 0) expect(rules.slots).toContain(p);
  for (let k = 1; k < positions.length; k++) expect(positions[k]! - positions[k - 1]! - 1).toBeGreaterThanOrEqual(rules.minGap);
}

describe('mixSlots', () => {
  it('never puts an ad or a card outside its slots, closer than its gap or beyond its count, and keeps every product in order', () => {
    const arb = fc.integer({ min: 0, max: 40 }).chain((n) =>
      fc.record({
        stream: fc.array(fc.constantFrom(STREAM_ORGANIC, STREAM_AD, STREAM_CONTENT), { minLength: n, maxLength: n }),
        value: fc.array(fc.double({ min: -1, max: 5, noNaN: true }), { minLength: n, maxLength: n }),
        ad: streamArb,
        content: streamArb,
      }),
    );
    fc.assert(
      fc.property(arb, ({ stream, value, ad, content }) => {
        const s = Uint8Array.from(stream);
        const { order, dropped } = mixSlots({ stream: s, value: Float64Array.from(value), ad, content });
        expectStreamRules(positionsOf(order, s, STREAM_AD), ad);
        expectStreamRules(positionsOf(order, s, STREAM_CONTENT), content);
        const products = Array.from(order).filter((i) => s[i] === STREAM_ORGANIC);
        expect(products).toEqual(stream.flatMap((k, i) => (k === STREAM_ORGANIC ? [i] : [])));
        // Nothing lost or duplicated: every input index is either placed or dropped, once.
        expect([...Array.from(order), ...dropped].sort((a, b) => a - b)).toEqual(stream.map((_, i) => i));
        for (const i of dropped) expect(s[i]).not.toBe(STREAM_ORGANIC);
      }),
      { numRuns: 500 },
    );
  });

  it('gives a slot to an ad only when its value beats the next product', () => {
    const stream = Uint8Array.of(STREAM_ORGANIC, STREAM_ORGANIC, STREAM_ORGANIC, STREAM_AD, STREAM_AD);
    const value = Float64Array.of(3, 2, 1, 2.5, 0.5);
    const rules = { slots: [2, 3], minGap: 0, maxCount: 2 };
    const { order, dropped } = mixSlots({ stream, value, ad: rules, content: { slots: [], minGap: 0, maxCount: 0 } });
    // Slot 2: ad 2.5 beats product 2; slot 3: ad 0.5 loses to product 2; no ad slot after 3.
    expect(Array.from(order)).toEqual([0, 3, 1, 2]);
    expect(dropped).toEqual([4]);
  });
});

describe('SlotMixReranker', () => {
  it('values ads by exchange rate × eCPM / 1000 and content by exchange rate × score, and traces the drops', () => {
    const items = [
      item('p0'),
      item('p1'),
      item('ad0', { kind: 'ad', bid: 2 }), // eCPM = 1000 · 0.02 · 2 = 40 → value 25 · 40 / 1000 = 1
      item('card', { kind: 'content' }),
      item('p2'),
      item('ad1', { kind: 'ad', bid: 0.1 }), // value 0.05: loses every slot
    ];
    const context = contextAt(0);
    const list = rankedList([0, 1, 2, 3, 4, 5]).map((c) => ({ ...c, score: [3, 0.9, 0.1, 0.8, 0.7, 0.05][c.docId]! }));
    const reranker = new SlotMixReranker(attributesOf(items), {
      ad: { slots: [2, 4], minGap: 1, maxCount: 2, exchangeRate: 25 },
      content: { slots: [], minGap: 0, maxCount: 1, exchangeRate: 2 },
    });
    const out = context.trace
      .stage({ stage: 'rerank', name: reranker.name, input: list.length }, () => reranker.rerank(context, list), (r) => r.length)
      .map((c) => items[c.docId]!.id);
    // Slot 1: p0 (3). Slot 2: the card (2 × 0.8 = 1.6) beats p1 (0.9) and ad0 (1). Slot 3: p1; ad0
    // is not allowed there. Slot 4: ad0 (1) beats p2 (0.7). ad1 (0.05) finds no slot and is dropped.
    expect(out).toEqual(['p0', 'card', 'p1', 'ad0', 'p2']);
    expect(context.trace.stages[0]?.detail).toEqual({ ads: 1, content: 1, dropped: [{ docId: 5, kind: 'ad', value: 0.05 }] });
    expect(context.trace.moves.find((m) => m.docId === 3)?.reason).toBe('slot-mix: content card placed in slot 2 with value 1.6');
  });
});

describe('SlotMixReranker with an auction', () => {
  it('prefers the eCPM the ranker’s auction set on the candidate over the catalog estimate', () => {
    const items = [item('p0'), item('ad', { kind: 'ad', bid: 0.01 })];
    const list = rankedList([0, 1]).map((c) => ({ ...c, score: 0.5, ...(c.docId === 1 ? { ad: { pCtr: 0.05, bid: 2, eCpm: 100, cpc: 1.5 } } : {}) }));
    const reranker = new SlotMixReranker(attributesOf(items), {
      ad: { slots: [1], minGap: 0, maxCount: 1, exchangeRate: 25 },
      content: { slots: [], minGap: 0, maxCount: 0, exchangeRate: 1 },
    });
    // 25 · 100 / 1000 = 2.5 beats the product's 0.5; the catalog's estimate (0.005) would not.
    expect(reranker.rerank(contextAt(0), list).map((c) => c.docId)).toEqual([1, 0]);
  });
});
