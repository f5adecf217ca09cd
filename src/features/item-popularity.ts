import type { Event } from '../core/index.js';
import { DecayedCounter } from './decayed-counter.js';

/** How much each kind of interaction counts towards an item's popularity, and how fast it fades. */
export interface PopularityConfig {
  halfLifeDays: number;
  weights: { impression: number; click: number; add_to_cart: number; purchase: number };
}

export const DEFAULT_POPULARITY_CONFIG: PopularityConfig = {
  halfLifeDays: 7,
  // Impressions are not interest; a purchase says more than a click.
  weights: { impression: 0, click: 1, add_to_cart: 3, purchase: 5 },
};

const DAY_MS = 86_400_000;

/**
 * Time-decayed popularity per doc id from interaction events, plus a cached order of the most popular
 * docs. The order is recomputed after enough new events (not on a wall-clock timer, so runs are
 * deterministic).
 */
export class ItemPopularity {
  private readonly counter: DecayedCounter;
  private readonly config: PopularityConfig;
  private order: Int32Array = new Int32Array(0);
  private pendingSinceSort = Number.POSITIVE_INFINITY;
  /** Re-sort after this many updates. */
  private readonly resortEvery: number;

  constructor(config: PopularityConfig = DEFAULT_POPULARITY_CONFIG, options: { resortEvery?: number } = {}) {
    this.config = config;
    this.counter = new DecayedCounter({ halfLifeMs: config.halfLifeDays * DAY_MS });
    this.resortEvery = options.resortEvery ?? 500;
  }

  /** Counts one event for `docId` (events of other types than item interactions are ignored). */
  observe(docId: number, event: Event): void {
    const weight = this.weightOf(event);
    if (weight === 0) return;
    this.counter.add(docId, weight, event.time);
    this.pendingSinceSort++;
  }

  /** Popularity of a doc as of `time` (decayed weighted interactions). */
  valueAt(docId: number, time: number): number {
    return this.counter.valueAt(docId, time);
  }

  /** Every doc's popularity as of `time`, for scoring many docs of one request. */
  at(time: number): (docId: number) => number {
    return this.counter.at(time);
  }

  /** Forget a removed doc. */
  clear(docId: number): void {
    this.counter.clear(docId);
    this.pendingSinceSort++;
  }

  /** Doc ids by decreasing popularity (ties by doc id), docs with no interaction excluded. */
  ranking(): Int32Array {
    if (this.pendingSinceSort >= this.resortEvery) this.resort();
    return this.order;
  }

  /** Re-sorts now. */
  resort(): void {
    const values = this.counter.rawValues();
    const docs: number[] = [];
    for (let d = 0; d < values.length; d++) if ((values[d] as number) > 0) docs.push(d);
    docs.sort((a, b) => (values[b] as number) - (values[a] as number) || a - b);
    this.order = Int32Array.from(docs);
    this.pendingSinceSort = 0;
  }

  private weightOf(event: Event): number {
    const w = this.config.weights;
    switch (event.type) {
      case 'impression':
        return w.impression;
      case 'click':
        return w.click;
      case 'add_to_cart':
        return w.add_to_cart * event.quantity;
      case 'purchase':
        return w.purchase * event.quantity;
      case 'query':
      case 'suggestion_click':
        return 0;
    }
  }
}
