/**
 * Where searches come from and how they do: each search's query event says how it was issued
 * (`source`: typed in full, or taken from a suggestion, the hint word, a guess chip, a refinement
 * chip or a related search), and the lists, clicks and purchases that carry its request id are
 * counted for that origin. Streams over events in any order of arrival within a request (a query
 * event before the events that follow it, as any log written in time order has them).
 */

import { QUERY_SOURCES, type Event, type QuerySource } from '../core/index.js';

export interface OriginMetrics {
  searches: number;
  /** Share of all searches. */
  share: number;
  /** Searches whose list was shown (an impression). */
  lists: number;
  impressed_items: number;
  clicks: number;
  /** clicks / impressed items. */
  ctr: number;
  /** Share of searches with at least one click. */
  click_rate: number;
  purchases: number;
  /** Purchases from the search's list per search: its conversion. */
  purchases_per_search: number;
  gmv: number;
}

export interface QueryOriginReport {
  searches: number;
  by_source: Record<QuerySource, OriginMetrics>;
  /** Every origin but `typed`, together: searches the engine's offers started. */
  offered: OriginMetrics;
}

interface Counts {
  searches: number;
  lists: number;
  impressed: number;
  clicks: number;
  clicked: number;
  purchases: number;
  gmv: number;
}

const empty = (): Counts => ({ searches: 0, lists: 0, impressed: 0, clicks: 0, clicked: 0, purchases: 0, gmv: 0 });

/** Counts searches by origin; `observe` every event, then `report`. */
export class QueryOrigins {
  private readonly counts = Object.fromEntries(QUERY_SOURCES.map((s) => [s, empty()])) as Record<QuerySource, Counts>;
  /** Search request id → its origin, and whether it has been clicked yet. */
  private readonly searches = new Map<string, { source: QuerySource; clicked: boolean }>();

  observe(event: Event): void {
    if (event.type === 'query') {
      if (this.searches.has(event.requestId)) return;
      this.searches.set(event.requestId, { source: event.source, clicked: false });
      this.counts[event.source].searches++;
      return;
    }
    const search = event.requestId === undefined ? undefined : this.searches.get(event.requestId);
    if (search === undefined) return;
    const c = this.counts[search.source];
    if (event.type === 'impression' && event.surface === 'search') {
      c.lists++;
      c.impressed += event.items.length;
    } else if (event.type === 'click') {
      c.clicks++;
      if (!search.clicked) c.clicked++;
      search.clicked = true;
    } else if (event.type === 'purchase') {
      c.purchases++;
      c.gmv += (event.price ?? 0) * event.quantity;
    }
  }

  report(): QueryOriginReport {
    const total = QUERY_SOURCES.reduce((s, source) => s + this.counts[source].searches, 0);
    const offered = empty();
    for (const source of QUERY_SOURCES) if (source !== 'typed') for (const key of Object.keys(offered) as (keyof Counts)[]) offered[key] += this.counts[source][key];
    return {
      searches: total,
      by_source: Object.fromEntries(QUERY_SOURCES.map((s) => [s, metricsOf(this.counts[s], total)])) as Record<QuerySource, OriginMetrics>,
      offered: metricsOf(offered, total),
    };
  }
}

function metricsOf(c: Counts, total: number): OriginMetrics {
  const ratio = (a: number, b: number) => (b === 0 ? 0 : Math.round((a / b) * 1e4) / 1e4);
  return {
    searches: c.searches,
    share: ratio(c.searches, total),
    lists: c.lists,
    impressed_items: c.impressed,
    clicks: c.clicks,
    ctr: ratio(c.clicks, c.impressed),
    click_rate: ratio(c.clicked, c.searches),
    purchases: c.purchases,
    purchases_per_search: ratio(c.purchases, c.searches),
    gmv: Math.round(c.gmv * 100) / 100,
  };
}
