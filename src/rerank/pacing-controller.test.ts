import { describe, expect, it } from 'vitest';
import { DEFAULT_PACING_CONFIG, PacingController } from './pacing-controller.js';

const HOUR = 3_600_000;
const DAY0 = Date.UTC(2025, 0, 10);

describe('PacingController', () => {
  it('targets the quota in proportion to the expected traffic so far', () => {
    const weights = new Array<number>(24).fill(0);
    weights[12] = 1;
    weights[13] = 3;
    const pacing = new PacingController({ ...DEFAULT_PACING_CONFIG, dailyQuota: 400, hourlyWeights: weights });
    expect(pacing.target(DAY0 + 11 * HOUR)).toBe(0);
    expect(pacing.target(DAY0 + 12.5 * HOUR)).toBeCloseTo(50, 9);
    expect(pacing.target(DAY0 + 13.5 * HOUR)).toBeCloseTo(250, 9);
    expect(pacing.target(DAY0 + 20 * HOUR)).toBeCloseTo(400, 9);
  });

  it('raises the rate while behind, lowers it while ahead, and clamps it to [0, 1]', () => {
    const pacing = new PacingController({ ...DEFAULT_PACING_CONFIG, dailyQuota: 1_000 });
    let t = DAY0 + HOUR;
    const first = pacing.rate(t);
    // Nothing delivered an hour in: behind, so the rate climbs to 1.
    for (let i = 0; i < 30; i++) pacing.rate((t += 60_000));
    expect(pacing.rate(t)).toBeGreaterThan(first);
    expect(pacing.rate(t)).toBeLessThanOrEqual(1);
    pacing.record(t, 900);
    for (let i = 0; i < 30; i++) pacing.rate((t += 60_000));
    expect(pacing.rate(t)).toBe(0);
  });

  it('starts each day afresh and ignores exposures dated on an earlier day', () => {
    const pacing = new PacingController({ ...DEFAULT_PACING_CONFIG, dailyQuota: 1_000 });
    pacing.record(DAY0 + HOUR, 10);
    pacing.record(DAY0 + 25 * HOUR, 3);
    pacing.record(DAY0 + 2 * HOUR, 50);
    expect(pacing.state(DAY0 + 26 * HOUR).delivered).toBe(3);
  });
});
