/**
 * Click-back queries: for an item a user opened, the queries that led other users to click (or
 * buy) it, so a user coming back to the list can jump to a better search ("people who found this
 * searched for ..."). Clicks and purchases are joined to the search by request id, as in mining.
 * `queriesFor` can pool several items (the item, then similar ones, with lower weights).
 */

import type { Event } from '../core/index.js';
import { queryForm } from './query-text.js';

export interface ClickBackConfig {
  /** Recent searches remembered to join clicks to (by request id). */
  attributionWindow: number;
  /** A purchase counts this many clicks. */
  purchaseWeight: number;
  /** Queries kept per item (the heaviest; memory bound). */
  maxQueriesPerItem: number;
  /** A query that led to the item fewer times is never returned (privacy). */
  minCount: number;
  maxLength: number;
}

export const DEFAULT_CLICK_BACK: ClickBackConfig = { attributionWindow: 100_000, purchaseWeight: 3, maxQueriesPerItem: 50, minCount: 2, maxLength: 100 };

export interface ClickBackQuery {
  text: string;
  /** Clicks (and weighted purchases) it led to, summed over the items asked, each times its weight. */
  weight: number;
}

export class ClickBack {
  readonly config: ClickBackConfig;
  private readonly requests = new Map<string, string>();
  private readonly byItem = new Map<string, Map<string, number>>();

  constructor(config: Partial<ClickBackConfig> = {}) {
    this.config = { ...DEFAULT_CLICK_BACK, ...config };
  }

  /** Learns from query, click and purchase events (others are ignored); feed them in time order. */
  observe(event: Event): void {
    if (event.type === 'query') {
      const text = queryForm(event.query, this.config.maxLength);
      if (text === '') return;
      this.requests.set(event.requestId, text);
      if (this.requests.size > this.config.attributionWindow) this.requests.delete(this.requests.keys().next().value as string);
      return;
    }
    if ((event.type !== 'click' && event.type !== 'purchase') || event.requestId === undefined) return;
    const query = this.requests.get(event.requestId);
    if (query === undefined) return;
    let queries = this.byItem.get(event.itemId);
    if (queries === undefined) this.byItem.set(event.itemId, (queries = new Map<string, number>()));
    queries.set(query, (queries.get(query) ?? 0) + (event.type === 'purchase' ? this.config.purchaseWeight : 1));
    if (queries.size > 2 * this.config.maxQueriesPerItem) keepHeaviest(queries, this.config.maxQueriesPerItem);
  }

  /**
   * The queries that led to the items, heaviest first, at most `k`. Each item's counts are scaled
   * by its weight (default 1): pass the opened item with 1 and similar items with less. Queries in
   * `exclude` (e.g. the search the user came from) are left out.
   */
  queriesFor(items: readonly { itemId: string; weight?: number }[], k: number, exclude: readonly string[] = []): ClickBackQuery[] {
    const skip = new Set(exclude.map((q) => queryForm(q, this.config.maxLength)));
    const total = new Map<string, number>();
    for (const { itemId, weight = 1 } of items) {
      for (const [text, count] of this.byItem.get(itemId) ?? []) {
        if (count < this.config.minCount || skip.has(text)) continue;
        total.set(text, (total.get(text) ?? 0) + weight * count);
      }
    }
    return [...total]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .slice(0, k)
      .map(([text, weight]) => ({ text, weight }));
  }
}

function keepHeaviest(counts: Map<string, number>, keep: number): void {
  const kept = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, keep);
  counts.clear();
  for (const [text, count] of kept) counts.set(text, count);
}
