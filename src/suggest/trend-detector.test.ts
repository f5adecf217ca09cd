import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../core/index.js';
import { TrendDetector } from './trend-detector.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('TrendDetector', () => {
  it('finds the query whose last hours run far above its long-run rate, not the steadily popular one', () => {
    const trends = new TrendDetector({ shortHalfLifeMs: HOUR, longHalfLifeMs: 7 * DAY });
    // `steady`: 20 a day for two weeks; `burst`: nothing, then 30 in the last two hours.
    for (let t = 0; t < 14 * DAY; t += DAY / 20) trends.observe('steady', t);
    for (let i = 0; i < 30; i++) trends.observe('burst', 14 * DAY - 2 * HOUR + i * 240_000);
    const now = 14 * DAY;
    const top = trends.trending(now, 5);
    expect(top.map((t) => t.text)).toEqual(['burst']);
    expect(top[0]!.burst).toBeGreaterThan(10);
  });

  it('lets a burst fade as the hours pass, and ignores too few issues', () => {
    const trends = new TrendDetector({ minRecent: 3 });
    for (let i = 0; i < 10; i++) trends.observe('new phone', i * 60_000);
    trends.observe('rare', 0);
    trends.observe('rare', 1);
    expect(trends.trending(10 * 60_000, 5).map((t) => t.text)).toEqual(['new phone']);
    expect(trends.trending(3 * DAY, 5)).toEqual([]); // recent count decayed far below minRecent
  });

  it('counts spellings of one query together, in any time order', () => {
    const a = new TrendDetector();
    const b = new TrendDetector();
    const times = [5, 1, 9, 3, 7].map((m) => m * 60_000);
    times.forEach((t, i) => a.observe(i % 2 === 0 ? 'iPhone' : 'IPHONE', t));
    [...times].sort((x, y) => x - y).forEach((t) => b.observe('iphone', t));
    expect(a.trending(10 * 60_000, 1)[0]!.recent).toBeCloseTo(b.trending(10 * 60_000, 1)[0]!.recent, 10);
  });

  it('refuses a short half-life that is not shorter than the long one', () => {
    expect(() => new TrendDetector({ shortHalfLifeMs: DAY, longHalfLifeMs: HOUR })).toThrow(InvalidArgumentError);
  });
});
