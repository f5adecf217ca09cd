/**
 * Trending queries by burst detection: each query's recent frequency against the frequency its
 * long-run rate predicts. Two exponentially decayed counts per query (half-lives `shortHalfLifeMs`
 * and `longHalfLifeMs`); at a constant rate r they settle at r * h / ln 2, so the recent count
 * the long run predicts is `long * shortHalfLife / longHalfLife`, and
 *
 *   burst = (recent + m) / (predicted + m)
 *
 * with `m` pseudo-issues keeping a query seen twice from topping the list. A query trends when its
 * recent count reaches `minRecent` and its burst `minBurst`.
 */

import { InvalidArgumentError } from '../core/index.js';
import { queryForm } from './query-text.js';

export interface TrendConfig {
  shortHalfLifeMs: number;
  longHalfLifeMs: number;
  /** Decayed recent issues a query needs to trend. */
  minRecent: number;
  /** Recent issues over predicted ones a query needs to trend. */
  minBurst: number;
  /** Pseudo-issues added to both sides of the burst ratio. */
  smoothing: number;
  /** Longer queries are ignored. */
  maxLength: number;
}

export const DEFAULT_TREND: TrendConfig = {
  shortHalfLifeMs: 3_600_000,
  longHalfLifeMs: 7 * 24 * 3_600_000,
  minRecent: 3,
  minBurst: 2,
  smoothing: 1,
  maxLength: 100,
};

export interface TrendingQuery {
  text: string;
  /** Decayed issues with the short half-life. */
  recent: number;
  /** What the long-run rate predicts for `recent`. */
  predicted: number;
  burst: number;
}

interface Counts {
  recent: number;
  long: number;
  at: number;
}

export class TrendDetector {
  readonly config: TrendConfig;
  private readonly counts = new Map<string, Counts>();

  /** @throws InvalidArgumentError unless 0 < shortHalfLifeMs < longHalfLifeMs and smoothing > 0. */
  constructor(config: Partial<TrendConfig> = {}) {
    this.config = { ...DEFAULT_TREND, ...config };
    const { shortHalfLifeMs, longHalfLifeMs, smoothing } = this.config;
    if (!(shortHalfLifeMs > 0 && longHalfLifeMs > shortHalfLifeMs && smoothing > 0)) {
      throw new InvalidArgumentError(`trend detection needs 0 < shortHalfLifeMs < longHalfLifeMs and smoothing > 0, got ${shortHalfLifeMs}, ${longHalfLifeMs}, ${smoothing}`);
    }
  }

  /** Counts one issue of `query` at `time` (events in any order). */
  observe(query: string, time: number): void {
    const text = queryForm(query, this.config.maxLength);
    if (text === '') return;
    const c = this.counts.get(text);
    if (c === undefined) {
      this.counts.set(text, { recent: 1, long: 1, at: time });
      return;
    }
    const { shortHalfLifeMs: hs, longHalfLifeMs: hl } = this.config;
    if (time >= c.at) {
      c.recent = c.recent * Math.pow(2, -(time - c.at) / hs) + 1;
      c.long = c.long * Math.pow(2, -(time - c.at) / hl) + 1;
      c.at = time;
    } else {
      c.recent += Math.pow(2, -(c.at - time) / hs);
      c.long += Math.pow(2, -(c.at - time) / hl);
    }
  }

  /** The trending queries as of `now`, largest burst first (ties by recent count, then text), at most `k`. */
  trending(now: number, k: number): TrendingQuery[] {
    const { shortHalfLifeMs: hs, longHalfLifeMs: hl, smoothing: m, minRecent, minBurst } = this.config;
    const out: TrendingQuery[] = [];
    for (const [text, c] of this.counts) {
      const recent = c.recent * Math.pow(2, -(now - c.at) / hs);
      if (recent < minRecent) continue;
      const predicted = c.long * Math.pow(2, -(now - c.at) / hl) * (hs / hl);
      const burst = (recent + m) / (predicted + m);
      if (burst >= minBurst) out.push({ text, recent, predicted, burst });
    }
    out.sort((a, b) => b.burst - a.burst || b.recent - a.recent || (a.text < b.text ? -1 : a.text > b.text ? 1 : 0));
    return out.slice(0, k);
  }
}
