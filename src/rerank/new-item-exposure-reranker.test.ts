import { describe, expect, it } from 'vitest';
import { Rng } from '../core/index.js';
import { NewItemExposureReranker, type NewItemExposureConfig } from './new-item-exposure-reranker.js';
import { DEFAULT_PACING_CONFIG, PacingController } from './pacing-controller.js';
import { attributesOf, contextAt, item, rankedList } from './test-fixtures.js';

const HOUR = 3_600_000;
const DAY0 = Date.UTC(2025, 0, 10);
const NEW = 200;
const OLD = 1_800;
// Doc ids 0..199 were created an hour before the day, the rest a month before.
const items = Array.from({ length: NEW + OLD }, (_, i) => item(`i${i}`, { createdAt: i < NEW ? DAY0 - HOUR : DAY0 - 30 * 24 * HOUR }));
// Traffic peaks in the evening: 0.3× to 1.7× the mean per hour.
const shape = Array.from({ length: 24 }, (_, h) => 1 + 0.7 * Math.sin((2 * Math.PI * (h - 9)) / 24));

function config(dailyQuota: number): NewItemExposureConfig {
  return { maxAgeMs: 3 * 24 * HOUR, slots: [3, 7], maxLift: 50, maxTrackedItems: 1_000, pacing: { ...DEFAULT_PACING_CONFIG, dailyQuota, hourlyWeights: shape } };
}

/**
 * One simulated day: ~19,000 requests of 30 candidates; half the lists hold a new item ranked 21-30,
 * 5% one in the top 10 (organic exposure). The top 10 are served and fed back.
 */
function simulateDay(reranker: NewItemExposureReranker, seed: string): { hour: number; delivered: number; target: number }[] {
  const rng = new Rng(seed);
  const pacing = new PacingController({ ...DEFAULT_PACING_CONFIG, hourlyWeights: shape });
  const old = Array.from({ length: OLD }, (_, i) => NEW + i);
  const hours: { hour: number; delivered: number; target: number }[] = [];
  let delivered = 0;
  for (let h = 0; h < 24; h++) {
    const requests = Math.round(800 * shape[h]!);
    for (let r = 0; r < requests; r++) {
      const time = DAY0 + h * HOUR + Math.floor((r / requests) * HOUR);
      const docs = rng.sample(old, 30);
      if (rng.bool(0.5)) docs[20 + rng.int(10)] = rng.int(NEW);
      if (rng.bool(0.05)) docs[rng.int(10)] = rng.int(NEW);
      const served = reranker.rerank(contextAt(time, { detailed: false }), rankedList(docs)).slice(0, 10).map((c) => c.docId);
      delivered += served.filter((d) => d < NEW).length;
      reranker.observeServed({ userId: undefined, time, docIds: served });
    }
    hours.push({ hour: h + 1, delivered, target: pacing.target(DAY0 + (h + 1) * HOUR - 1) });
  }
  return hours;
}

describe('NewItemExposureReranker pacing', () => {
  it.each([3_000, 6_000, 9_000])('spreads a quota of %i over a simulated day within 2 percent of the quota at every hour', (quota) => {
    const hours = simulateDay(new NewItemExposureReranker(attributesOf(items), config(quota)), `day-${quota}`);
    for (const { delivered, target } of hours) expect(Math.abs(delivered - (target / DEFAULT_PACING_CONFIG.dailyQuota) * quota)).toBeLessThanOrEqual(0.02 * quota);
    expect(Math.abs(hours.at(-1)!.delivered - quota)).toBeLessThanOrEqual(0.01 * quota);
  });

  it('stops boosting when the ranker alone delivers more than the quota', () => {
    const reranker = new NewItemExposureReranker(attributesOf(items), config(100));
    const hours = simulateDay(reranker, 'small');
    // Organic exposure alone is ~950 a day; the boosts stop within the first hour.
    expect(hours[0]!.delivered).toBeLessThan(100);
    expect(reranker.rerank(contextAt(DAY0 + 23 * HOUR), rankedList([NEW + 1, NEW + 2, NEW + 3, 4])).map((c) => c.docId)).toEqual([NEW + 1, NEW + 2, NEW + 3, 4]);
  });
});

describe('NewItemExposureReranker boost', () => {
  const reranker = () => new NewItemExposureReranker(attributesOf(items), { ...config(1_000), maxLift: 5, pacing: { ...config(1_000).pacing, initialRate: 1 } });

  it('moves the least exposed new item within reach into each slot and says why', () => {
    const r = reranker();
    r.observeServed({ userId: undefined, time: DAY0, docIds: [1, 1] });
    // Six hours in, 2 of the ~250 due exposures are delivered: the controller's rate is at its maximum.
    const context = contextAt(DAY0 + 6 * HOUR);
    const list = rankedList([NEW, NEW + 1, NEW + 2, NEW + 3, 1, 2, NEW + 4, NEW + 5, NEW + 6]);
    const out = r.rerank(context, list).map((c) => c.docId);
    // Slot 3 takes item 2 (0 exposures) over item 1 (2 exposures); item 1, pushed to position 6, is
    // then above slot 7 and nothing new is left below it.
    expect(out).toEqual([NEW, NEW + 1, 2, NEW + 2, NEW + 3, 1, NEW + 4, NEW + 5, NEW + 6]);
    expect(context.trace.moves.find((m) => m.docId === 2)?.reason).toMatch(/^new-item-exposure: boosted new item \(pacing rate 1/);
  });

  it('never lifts an item more than maxLift positions (the boost cap)', () => {
    const list = rankedList([NEW, NEW + 1, NEW + 2, NEW + 3, NEW + 4, NEW + 5, NEW + 6, NEW + 7, NEW + 8, 0]);
    // Item 0 is at position 10; slot 3 is 7 places up, beyond maxLift 5; slot 7 is 3 places up.
    expect(reranker().rerank(contextAt(DAY0 + 1), list).map((c) => c.docId).indexOf(0)).toBe(6);
  });
});
