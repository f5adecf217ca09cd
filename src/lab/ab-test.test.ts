import { describe, expect, it } from 'vitest';
import type { ImpressionEvent } from '../core/index.js';
import { generateWorld, popularityBackend, simulateTraffic, type SessionLog, type ShopBackend } from '../sim/index.js';
import { measureArm, tInterval } from './ab-test.js';

const world = generateWorld({ items: 1_500, users: 400, seed: 'ab-ads' });
const items = new Map(world.items.map((item) => [item.id, item]));

/** The popularity backend, with a price per click for every ad it shows (the item's bid, halved). */
function pricedBackend(): ShopBackend {
  const inner = popularityBackend(world);
  const cpcsOf = (ids: readonly string[]) => ids.map((id) => (items.get(id)?.kind === 'ad' ? (items.get(id)?.bid ?? 0) / 2 : undefined));
  return {
    search: (r) => {
      const page = inner.search(r);
      return { ...page, cpcs: cpcsOf(page.items) };
    },
    recommend: (r) => {
      const page = inner.recommend(r);
      return { ...page, cpcs: cpcsOf(page.items) };
    },
  };
}

const sessions: SessionLog[] = [...simulateTraffic(world, pricedBackend(), { days: 1, sessionsPerDay: 500 })];

describe('A/B metrics: ad revenue from logged prices per click', () => {
  const impressions = sessions.flatMap((s) => s.events.filter((e): e is ImpressionEvent => e.type === 'impression'));
  const shown = impressions.flatMap((e) => e.items);

  it('logs the cpc the backend gave beside each ad, and none beside organic items', () => {
    const ads = shown.filter((s) => items.get(s.itemId)?.kind === 'ad');
    expect(ads.length).toBeGreaterThan(0);
    for (const s of ads) expect(s.cpc).toBe((items.get(s.itemId)?.bid ?? 0) / 2);
    expect(shown.filter((s) => items.get(s.itemId)?.kind !== 'ad').every((s) => s.cpc === undefined)).toBe(true);
  });

  it('counts revenue as the sum over ad clicks of the logged cpc', () => {
    let expected = 0;
    for (const session of sessions) {
      for (const event of session.events) {
        if (event.type !== 'click') continue;
        const item = items.get(event.itemId);
        if (item?.kind === 'ad') expected += (item.bid ?? 0) / 2;
      }
    }
    // Clicks on ads happen in this traffic (else the check below would pass with nothing measured).
    expect(expected).toBeGreaterThan(0);
    expect(measureArm(sessions, items, world.config.startTime).adRevenue).toBeCloseTo(expected, 6);
  });

  it('counts no revenue when the backend gives no prices (as a ranker without an auction)', () => {
    const unpriced = [...simulateTraffic(world, popularityBackend(world), { days: 1, sessionsPerDay: 100 })];
    expect(measureArm(unpriced, items, world.config.startTime).adRevenue).toBe(0);
  });
});

describe('A/B metrics: CTR per surface', () => {
  it('splits clicks and impressions by the surface of the list they came from', () => {
    const tally = { search: { shown: 0, clicks: 0 }, recommend: { shown: 0, clicks: 0 }, similar: { shown: 0, clicks: 0 } };
    for (const session of sessions) {
      const surfaceOf = new Map<string, ImpressionEvent['surface']>();
      for (const event of session.events) {
        if (event.type === 'impression') {
          surfaceOf.set(event.requestId, event.surface);
          tally[event.surface].shown += event.items.length;
        } else if (event.type === 'click') tally[surfaceOf.get(event.requestId ?? '') ?? 'search'].clicks++;
      }
    }
    const metrics = measureArm(sessions, items, world.config.startTime);
    expect(tally.similar.clicks).toBeGreaterThan(0);
    expect(metrics.ctrSearch).toBeCloseTo(tally.search.clicks / tally.search.shown, 10);
    expect(metrics.ctrRecommend).toBeCloseTo(tally.recommend.clicks / tally.recommend.shown, 10);
    expect(metrics.ctrSimilar).toBeCloseTo(tally.similar.clicks / tally.similar.shown, 10);
    expect(metrics.ctrSimilar).toBe(metrics.ctrBySurface.similar);
  });
});

describe('tInterval', () => {
  it('gives the mean and a 95% t interval over a few values', () => {
    // mean 2, sd 1, n 3: half-width 4.303 * 1 / sqrt(3)
    const interval = tInterval([1, 2, 3]);
    expect(interval.mean).toBe(2);
    expect(interval.high - interval.mean).toBeCloseTo(4.303 / Math.sqrt(3), 6);
  });
});
