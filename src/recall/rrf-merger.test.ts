import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ChannelResult } from '../core/index.js';
import { RrfMerger } from './rrf-merger.js';
import { testContext } from './test-context.js';

const list = (channel: string, docIds: number[]): ChannelResult => ({ channel, candidates: docIds.map((docId, n) => ({ docId, score: 100 - n })) });

describe('RrfMerger', () => {
  it('scores sum_c w_c / (k0 + rank_c) and keeps every source with its rank and score', () => {
    const merged = new RrfMerger({ weights: { b: 2 } }).merge(testContext(), [list('a', [1, 2]), list('b', [2, 3])], 10);
    expect(merged.map((m) => m.docId)).toEqual([2, 3, 1]);
    expect(merged[0]!.recallScore).toBeCloseTo(1 / 62 + 2 / 61, 15); // rank 2 in a, rank 1 in b (weight 2)
    expect(merged[1]!.recallScore).toBeCloseTo(2 / 62, 15);
    expect(merged[2]!.recallScore).toBeCloseTo(1 / 61, 15);
    expect(merged[0]!.sources).toEqual([
      { channel: 'a', rank: 2, score: 99 },
      { channel: 'b', rank: 1, score: 100 },
    ]);
  });

  it('ignores channel scores: only ranks count, so scales need no normalising', () => {
    const small = { channel: 'a', candidates: [{ docId: 1, score: 0.001 }, { docId: 2, score: 0.0001 }] };
    const large = { channel: 'b', candidates: [{ docId: 2, score: 9e9 }, { docId: 1, score: 1e9 }] };
    const merged = new RrfMerger().merge(testContext(), [small, large], 2);
    expect(merged[0]!.recallScore).toBe(merged[1]!.recallScore);
  });

  it('breaks ties by best rank in any channel, then by doc id', () => {
    // 7 and 5 are both rank 1 in one channel; 9 and 3 both rank 2: equal scores within each pair.
    const merged = new RrfMerger().merge(testContext(), [list('a', [7, 9]), list('b', [5, 3])], 10);
    expect(merged.map((m) => m.docId)).toEqual([5, 7, 3, 9]);
  });

  it('counts a doc listed twice by one channel once, at its best rank', () => {
    const merged = new RrfMerger().merge(testContext(), [list('a', [4, 4, 6])], 10);
    expect(merged.map((m) => [m.docId, m.sources.length])).toEqual([
      [4, 1],
      [6, 1],
    ]);
  });

  it('caps a channel at its max quota, filling the list from the others', () => {
    const merged = new RrfMerger({ quotas: { a: { max: 1 } } }).merge(testContext(), [list('a', [1, 2, 3]), list('b', [4, 5, 6])], 4);
    expect(merged.map((m) => m.docId)).toEqual([1, 4, 5, 6]);
  });

  it('brings in a channel\'s best candidates to meet its min quota, kept in fused order', () => {
    const merger = new RrfMerger({ weights: { a: 10 }, quotas: { b: { min: 2 } } });
    const merged = merger.merge(testContext(), [list('a', [1, 2, 3, 4]), list('b', [8, 9, 7])], 4);
    expect(merged.map((m) => m.docId)).toEqual([1, 2, 8, 9]); // without the quota: 1, 2, 3, 4
  });

  it('counts a doc returned by two channels against both quotas', () => {
    const merged = new RrfMerger({ quotas: { b: { max: 1 } } }).merge(testContext(), [list('a', [1, 2, 3]), list('b', [1, 2])], 3);
    expect(merged.map((m) => m.docId)).toEqual([1, 3]); // 2 would be b's second; a has nothing else
  });

  it('puts the per-channel counts and the quota promotions in the trace of its stage', () => {
    const context = testContext();
    const merger = new RrfMerger({ weights: { a: 10 }, quotas: { b: { min: 1 } } });
    context.trace.stage({ stage: 'merge', name: 'rrf', input: 5 }, () => merger.merge(context, [list('a', [1, 2, 3]), list('b', [9, 8])], 2), (out) => out.length);
    expect(context.trace.stages[0]?.detail).toEqual({ k0: 60, fused: 5, perChannel: { a: 1, b: 1 }, promotedByQuota: 1 });
  });

  it('without quotas equals the plain formula sorted (property, against a brute-force reference)', () => {
    const channels = fc.array(fc.uniqueArray(fc.integer({ min: 0, max: 30 }), { maxLength: 15 }), { minLength: 1, maxLength: 4 });
    fc.assert(
      fc.property(channels, fc.integer({ min: 1, max: 40 }), (docLists, k) => {
        const results = docLists.map((docs, c) => list(`c${c}`, docs));
        const score = new Map<number, number>();
        const best = new Map<number, number>();
        for (const r of results) {
          r.candidates.forEach((c, n) => {
            score.set(c.docId, (score.get(c.docId) ?? 0) + 1 / (60 + n + 1));
            best.set(c.docId, Math.min(best.get(c.docId) ?? Infinity, n + 1));
          });
        }
        const expected = [...score.keys()].sort((a, b) => score.get(b)! - score.get(a)! || best.get(a)! - best.get(b)! || a - b).slice(0, k);
        expect(new RrfMerger().merge(testContext(), results, k).map((m) => m.docId)).toEqual(expected);
      }),
    );
  });

  it('never exceeds a max quota, and meets every min quota a channel has enough candidates for (property)', () => {
    const channels = fc.array(fc.uniqueArray(fc.integer({ min: 0, max: 40 }), { maxLength: 12 }), { minLength: 2, maxLength: 3 });
    const quota = fc.record({ min: fc.integer({ min: 0, max: 3 }), max: fc.integer({ min: 3, max: 6 }) });
    fc.assert(
      fc.property(channels, fc.array(quota, { minLength: 3, maxLength: 3 }), fc.integer({ min: 9, max: 20 }), (docLists, quotaList, k) => {
        const results = docLists.map((docs, c) => list(`c${c}`, docs));
        const quotas = Object.fromEntries(quotaList.map((q, c) => [`c${c}`, q]));
        const merged = new RrfMerger({ quotas }).merge(testContext(), results, k);
        expect(merged.length).toBeLessThanOrEqual(k);
        results.forEach((r, c) => {
          const count = merged.filter((m) => m.sources.some((s) => s.channel === r.channel)).length;
          const q = quotaList[c]!;
          expect(count).toBeLessThanOrEqual(q.max);
          // min <= 3 per channel, at most 3 channels, k >= 9: mins never compete for room; a shared doc
          // can use up another channel's max, so only channels whose docs are all their own are checked.
          const own = r.candidates.filter((cand) => results.every((o) => o === r || !o.candidates.some((x) => x.docId === cand.docId)));
          if (own.length === r.candidates.length) expect(count).toBeGreaterThanOrEqual(Math.min(q.min, r.candidates.length));
        });
      }),
    );
  });

  it('names a bad configuration', () => {
    expect(() => new RrfMerger({ k0: -1 })).toThrow(/rrf k0 must be a finite number >= 0, got -1/);
    expect(() => new RrfMerger({ weights: { vec: -2 } })).toThrow(/weight of channel "vec" must be a finite number >= 0, got -2/);
    expect(() => new RrfMerger({ quotas: { vec: { min: 3, max: 2 } } })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT', message: 'rrf quota of channel "vec" has min 3 > max 2' }));
    expect(() => new RrfMerger({ quotas: { vec: { max: 1.5 } } })).toThrow(/quota max of channel "vec" must be a whole number >= 0, got 1.5/);
  });
});
