/**
 * Budget pacing for a daily exposure quota: spreads the quota over the day instead of spending it in
 * the morning. The target by time t is the quota times the share of the day's traffic expected by t
 * (`hourlyWeights`, uniform by default); a PI controller sets the throttle rate p in [0, 1], the share
 * of requests that get a boost, from the shortfall e = (target − delivered) / quota.
 *
 * Velocity form (Åström & Hägglund, "PID Controllers", §3.4), updated at most once per
 * `controlIntervalMs` of request time:
 *
 *   p_k = clamp(p_{k−1} + kp · (e_k − e_{k−1}) + ki · e_k · Δt_hours, 0, 1)
 *
 * Clamping the output of the velocity form is its anti-windup: nothing accumulates while p is pinned
 * at 0 or 1. The idea of throttling requests rather than bidding less follows LinkedIn's budget pacing
 * (Agarwal et al., KDD 2014). A new day resets the delivery count and keeps p as the warm start.
 * The clock is the request's time (`StageContext.time`), never the wall clock, so replays and
 * simulations are reproducible. Exposures dated on an earlier day than the current one are ignored.
 */

import { z } from 'zod';
import { dayOf, fractionOfDay } from './served-list.js';

export interface PacingConfig {
  /** Exposures to deliver per day. */
  dailyQuota: number;
  /** Proportional gain, per unit of e (a fraction of the quota). */
  kp: number;
  /** Integral gain, per unit of e per hour. */
  ki: number;
  controlIntervalMs: number;
  /** Expected traffic per hour of the (local) day, 24 non-negative weights; the target follows it. */
  hourlyWeights: number[];
  /** The day starts at local midnight, this many minutes east of UTC. */
  timezoneOffsetMinutes: number;
  /** The throttle rate at the very first request. */
  initialRate: number;
}

export const DEFAULT_PACING_CONFIG: PacingConfig = {
  dailyQuota: 10_000,
  kp: 4,
  ki: 40,
  controlIntervalMs: 60_000,
  hourlyWeights: new Array<number>(24).fill(1),
  timezoneOffsetMinutes: 0,
  initialRate: 0.5,
};

export const pacingShape = {
  dailyQuota: z.number().nonnegative('dailyQuota must not be negative').finite().default(DEFAULT_PACING_CONFIG.dailyQuota),
  kp: z.number().nonnegative().finite().default(DEFAULT_PACING_CONFIG.kp),
  ki: z.number().nonnegative().finite().default(DEFAULT_PACING_CONFIG.ki),
  controlIntervalMs: z.int().min(1_000).max(3_600_000).default(DEFAULT_PACING_CONFIG.controlIntervalMs),
  hourlyWeights: z
    .array(z.number().nonnegative().finite())
    .length(24, 'hourlyWeights needs 24 values, one per hour')
    .refine((w) => w.some((x) => x > 0), { message: 'at least one hourly weight must be positive' })
    .default(DEFAULT_PACING_CONFIG.hourlyWeights),
  timezoneOffsetMinutes: z.int().min(-14 * 60).max(14 * 60).default(DEFAULT_PACING_CONFIG.timezoneOffsetMinutes),
  initialRate: z.number().min(0).max(1).default(DEFAULT_PACING_CONFIG.initialRate),
};
export const PacingConfigSchema = z.strictObject(pacingShape);

export interface PacingState {
  day: number;
  delivered: number;
  target: number;
  rate: number;
}

export class PacingController {
  private day = Number.NaN;
  private delivered = 0;
  private rateNow: number;
  private lastUpdate = Number.NEGATIVE_INFINITY;
  private lastError = 0;
  /** Cumulative share of the day's traffic at the end of each hour. [25], [0] = 0, [24] = 1 */
  private readonly cumulative: Float64Array;

  constructor(private readonly config: PacingConfig = DEFAULT_PACING_CONFIG) {
    this.rateNow = config.initialRate;
    const total = config.hourlyWeights.reduce((s, w) => s + w, 0);
    this.cumulative = new Float64Array(25);
    for (let h = 0; h < 24; h++) this.cumulative[h + 1] = (this.cumulative[h] as number) + (config.hourlyWeights[h] ?? 0) / total;
  }

  /** The throttle rate for a request at `time`, updating the controller when an interval has passed. */
  rate(time: number): number {
    if (!this.current(time)) return this.rateNow;
    const dt = time - this.lastUpdate;
    if (dt >= this.config.controlIntervalMs) {
      const quota = this.config.dailyQuota;
      const error = quota > 0 ? (this.target(time) - this.delivered) / quota : -1;
      const hours = Number.isFinite(dt) ? dt / 3_600_000 : 0;
      const next = this.rateNow + this.config.kp * (error - this.lastError) + this.config.ki * error * hours;
      this.rateNow = Math.min(1, Math.max(0, next));
      this.lastError = error;
      this.lastUpdate = time;
    }
    return this.rateNow;
  }

  /** Counts `count` exposures delivered at `time`. */
  record(time: number, count: number): void {
    if (this.current(time)) this.delivered += count;
  }

  /** The quota share due by `time`: quota × the expected share of the day's traffic so far. */
  target(time: number): number {
    const hours = 24 * fractionOfDay(time, this.config.timezoneOffsetMinutes);
    const h = Math.floor(hours);
    const lo = this.cumulative[h] as number;
    const hi = this.cumulative[h + 1] as number;
    return this.config.dailyQuota * (lo + (hi - lo) * (hours - h));
  }

  state(time: number): PacingState {
    this.current(time);
    return { day: this.day, delivered: this.delivered, target: this.target(time), rate: this.rateNow };
  }

  /** Moves to the day of `time` when it is a later one; false for a time from an earlier day. */
  private current(time: number): boolean {
    const day = dayOf(time, this.config.timezoneOffsetMinutes);
    if (day < this.day) return false;
    if (day > this.day || Number.isNaN(this.day)) {
      this.day = day;
      this.delivered = 0;
      this.lastError = 0;
    }
    return true;
  }
}
