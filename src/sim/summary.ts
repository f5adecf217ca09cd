/** Counts and rates over simulated sessions: what a dashboard or an A/B readout starts from. */

import type { Surface } from '../core/index.js';
import type { SessionLog } from './session.js';

export interface SurfaceSummary {
  /** Lists served (impression events). */
  lists: number;
  /** Items shown, summed over lists. */
  impressedItems: number;
  clicks: number;
  /** clicks / impressedItems (0 when nothing was shown). */
  ctr: number;
}

export interface TrafficSummary {
  sessions: number;
  /** Query events (typed or taken from a suggestion). */
  queries: number;
  /** Queries whose request got no list back. */
  zeroResultQueries: number;
  suggestionClicks: number;
  lists: number;
  impressedItems: number;
  clicks: number;
  addToCarts: number;
  purchases: number;
  /** Sum of price x quantity over purchases. */
  gmv: number;
  /** clicks / impressedItems. */
  ctr: number;
  /** purchases / clicks. */
  cvr: number;
  /** Click-through rate at each 1-based position: `ctrAtPosition[0]` is position 1. */
  ctrAtPosition: number[];
  bySurface: Record<Surface, SurfaceSummary>;
}

/** Summarises sessions (a finished array or a running `simulateTraffic`). */
export function summarize(sessions: Iterable<SessionLog>): TrafficSummary {
  const shownAt: number[] = [];
  const clickedAt: number[] = [];
  const surfaces: Record<Surface, SurfaceSummary> = { search: emptySurface(), recommend: emptySurface(), similar: emptySurface() };
  const totals = { sessions: 0, queries: 0, zeroResultQueries: 0, suggestionClicks: 0, addToCarts: 0, purchases: 0, gmv: 0 };
  for (const session of sessions) {
    totals.sessions++;
    const surfaceOf = new Map<string, Surface>();
    for (const event of session.events) {
      if (event.type === 'impression') {
        surfaceOf.set(event.requestId, event.surface);
        const surface = surfaces[event.surface];
        surface.lists++;
        surface.impressedItems += event.items.length;
        for (const { position } of event.items) shownAt[position - 1] = (shownAt[position - 1] ?? 0) + 1;
      } else if (event.type === 'click') {
        const surface = event.requestId === undefined ? undefined : surfaceOf.get(event.requestId);
        if (surface !== undefined) surfaces[surface].clicks++;
        if (event.position !== undefined) clickedAt[event.position - 1] = (clickedAt[event.position - 1] ?? 0) + 1;
      } else if (event.type === 'query') totals.queries++;
      else if (event.type === 'suggestion_click') totals.suggestionClicks++;
      else if (event.type === 'add_to_cart') totals.addToCarts++;
      else {
        totals.purchases++;
        totals.gmv += (event.price ?? 0) * event.quantity;
      }
    }
    totals.zeroResultQueries += session.searches.filter((s) => !surfaceOf.has(s.requestId)).length;
  }
  for (const surface of Object.values(surfaces)) surface.ctr = ratio(surface.clicks, surface.impressedItems);
  const lists = sum(Object.values(surfaces).map((s) => s.lists));
  const impressedItems = sum(Object.values(surfaces).map((s) => s.impressedItems));
  const clicks = sum(Object.values(surfaces).map((s) => s.clicks));
  return {
    ...totals,
    gmv: Math.round(totals.gmv * 100) / 100,
    lists,
    impressedItems,
    clicks,
    ctr: ratio(clicks, impressedItems),
    cvr: ratio(totals.purchases, clicks),
    ctrAtPosition: Array.from(shownAt, (shown, i) => ratio(clickedAt[i] ?? 0, shown ?? 0)),
    bySurface: surfaces,
  };
}

function emptySurface(): SurfaceSummary {
  return { lists: 0, impressedItems: 0, clicks: 0, ctr: 0 };
}

function ratio(numerator: number, denominator: number): number {
  return denominator === 0 ? 0 : numerator / denominator;
}

function sum(values: readonly number[]): number {
  return values.reduce((s, x) => s + x, 0);
}
