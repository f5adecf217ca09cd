import { IdMap, InvalidArgumentError } from '../core/index.js';
import { DecayedCounter } from './decayed-counter.js';

/** The outcomes counted per key. */
/** `expected`: the clicks an average item would have had at the positions this key was shown at (COEC's denominator). */
export type Outcome = 'impression' | 'click' | 'purchase' | 'expected';

export interface CtrStatisticsConfig {
  /** Half-life of the decayed counts, in days. Default 7. */
  halfLifeDays: number;
  /**
   * Strength of the Beta prior in pseudo-impressions: a key's smoothed rate is
   * `(clicks + m * prior) / (impressions + m)`, with `prior` the decayed rate over all keys. Default 20.
   */
  priorStrength: number;
}

export const DEFAULT_CTR_STATISTICS_CONFIG: CtrStatisticsConfig = { halfLifeDays: 7, priorStrength: 20 };

const DAY_MS = 86_400_000;

/**
 * Time-decayed impression, click and purchase counts per key (an item, a brand, a query, a
 * query x item pair ...), and the Beta-smoothed rates derived from them. Keys are strings interned
 * to dense slots. Reading as of time `t` uses only what was added before: the caller feeds events in
 * time order, so a sample's statistics never see its future.
 */
export class CtrStatistics {
  private readonly keys = new IdMap();
  private readonly counters: Record<Outcome, DecayedCounter>;
  private readonly totals: Record<Outcome, DecayedCounter>;
  readonly config: CtrStatisticsConfig;

  constructor(config: CtrStatisticsConfig = DEFAULT_CTR_STATISTICS_CONFIG) {
    if (!(config.priorStrength > 0)) throw new InvalidArgumentError(`priorStrength must be > 0, got ${config.priorStrength}`);
    this.config = config;
    const halfLifeMs = config.halfLifeDays * DAY_MS;
    const counter = () => new DecayedCounter({ halfLifeMs });
    this.counters = { impression: counter(), click: counter(), purchase: counter(), expected: counter() };
    this.totals = { impression: counter(), click: counter(), purchase: counter(), expected: counter() };
  }

  /** Counts one outcome for `key` at `time`. */
  add(key: string, outcome: Outcome, time: number, weight = 1): void {
    this.counters[outcome].add(this.keys.intern(key), weight, time);
    this.totals[outcome].add(0, weight, time);
  }

  /** The decayed count of `outcome` for `key` as of `time` (0 for an unseen key). */
  count(key: string, outcome: Outcome, time: number): number {
    const slot = this.keys.get(key);
    return slot === undefined ? 0 : this.counters[outcome].valueAt(slot, time);
  }

  /** Smoothed click-through rate of `key` as of `time`. */
  ctr(key: string, time: number): number {
    return this.rate(key, 'click', 'impression', time);
  }

  /**
   * Clicks over expected clicks (COEC; Zhang & Jones 2007): clicks divided by the clicks an average item
   * would have had at the same positions, smoothed towards 1 by as many expected clicks as
   * `priorStrength` impressions bring at the average CTR. Unlike the raw CTR it does not punish an item
   * for having been shown low on the page (position bias), nor favour one never shown.
   */
  coec(key: string, time: number): number {
    const impressions = this.totals.impression.valueAt(0, time);
    const prior = impressions > 0 ? this.totals.click.valueAt(0, time) / impressions : 0;
    const m = this.config.priorStrength * prior;
    return m > 0 ? (this.count(key, 'click', time) + m) / (this.count(key, 'expected', time) + m) : 1;
  }

  /** Smoothed purchases per click of `key` as of `time`. */
  cvr(key: string, time: number): number {
    return this.rate(key, 'purchase', 'click', time);
  }

  private rate(key: string, hit: Outcome, base: Outcome, time: number): number {
    const baseTotal = this.totals[base].valueAt(0, time);
    const prior = baseTotal > 0 ? this.totals[hit].valueAt(0, time) / baseTotal : 0;
    const m = this.config.priorStrength;
    return (this.count(key, hit, time) + m * prior) / (this.count(key, base, time) + m);
  }
}
