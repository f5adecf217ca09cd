/**
 * Query recommendation measured on an event store (`quarry eval suggest --store`), split by time:
 * the earlier `split` of the searches are the training part, the later ones are held out.
 *
 * - the completion replay of `evaluateSuggest` over the held-out searches (the log read from the
 *   store's query events, the split given instead of drawn);
 * - related searches: for each held-out step a → b of a session (b a different query, within
 *   `maxGapMs`), hit@5 of b among the related searches of a learned from the training part;
 *   click-back: the same when a list item of a's search was clicked before b, among the queries
 *   that led training users to that item; both against the 5 most popular training queries;
 * - the share and conversion of searches by origin (`QueryOrigins`) over the whole store.
 */

import { CancelledError, type Event } from '../core/index.js';
import { QueryOrigins, type LoggedQuery, type QueryOriginReport } from '../eval/index.js';
import type { Store } from '../store/index.js';
import { ClickBack, DEFAULT_RELATED, queryForm, RelatedQueries, variantKey } from '../suggest/index.js';

export interface StoreSearchLog {
  /** Distinct query strings with their issues, for `evaluateSuggest`. */
  log: LoggedQuery[];
  /** Per query of `log`: issues before the split time and after it. */
  presplit: { train: number[]; heldOut: number[] };
  /** The first held-out search's time. */
  splitTime: number;
  searches: number;
  origins: QueryOriginReport;
  related: NextQueryReport;
  clickBack: NextQueryReport;
}

export interface NextQueryReport {
  /** Held-out steps scored. */
  pairs: number;
  hit_at_5: number;
  /** Share of steps for which anything was offered. */
  coverage: number;
  /** The 5 most popular training queries (other than the one left). */
  baseline_hit_at_5: number;
}

interface Search {
  requestId: string;
  who: string;
  text: string;
  time: number;
  /** The last item clicked on its list, if any. */
  clicked?: string;
}

/**
 * Reads the store once, in time order.
 * @param split share of the searches (by time) in the training part, in (0, 1).
 * @throws CancelledError when `signal` aborts.
 */
export async function readStoreSearches(store: Store, options: { split: number; maxLength?: number; signal?: AbortSignal }): Promise<StoreSearchLog> {
  const maxLength = options.maxLength ?? 100;
  const origins = new QueryOrigins();
  const searches: Search[] = [];
  const byRequest = new Map<string, Search>();
  const actions: Event[] = [];
  let read = 0;
  for await (const event of store.readEvents()) {
    if (++read % 50_000 === 0 && options.signal?.aborted === true) throw new CancelledError(`reading the store stopped after ${read} events`);
    origins.observe(event);
    if (event.type === 'query') {
      const text = queryForm(event.query, maxLength);
      if (text === '') continue;
      const search: Search = { requestId: event.requestId, who: event.sessionId ?? `user:${event.userId}`, text, time: event.time };
      searches.push(search);
      byRequest.set(event.requestId, search);
      actions.push(event);
    } else if ((event.type === 'click' || event.type === 'purchase') && event.requestId !== undefined) {
      const search = byRequest.get(event.requestId);
      if (search === undefined) continue;
      if (event.type === 'click') search.clicked = event.itemId;
      actions.push(event);
    }
  }
  const cut = Math.min(searches.length - 1, Math.floor(options.split * searches.length));
  const splitTime = searches[cut]?.time ?? 0;
  const { log, presplit } = logOf(searches, splitTime);
  const { related, clickBack } = nextQueryReports(searches, actions, splitTime, maxLength);
  return { log, presplit, splitTime, searches: searches.length, origins: origins.report(), related, clickBack };
}

function logOf(searches: readonly Search[], splitTime: number): { log: LoggedQuery[]; presplit: { train: number[]; heldOut: number[] } } {
  const index = new Map<string, number>();
  const log: LoggedQuery[] = [];
  const train: number[] = [];
  const heldOut: number[] = [];
  for (const s of searches) {
    let i = index.get(s.text);
    if (i === undefined) {
      index.set(s.text, (i = log.length));
      log.push({ query: s.text, count: 0 });
      train.push(0);
      heldOut.push(0);
    }
    (log[i] as LoggedQuery).count++;
    if (s.time < splitTime) train[i] = (train[i] as number) + 1;
    else heldOut[i] = (heldOut[i] as number) + 1;
  }
  return { log, presplit: { train, heldOut } };
}

function nextQueryReports(searches: readonly Search[], actions: readonly Event[], splitTime: number, maxLength: number): { related: NextQueryReport; clickBack: NextQueryReport } {
  const related = new RelatedQueries({ maxLength });
  const clickBack = new ClickBack({ maxLength });
  const popularity = new Map<string, { text: string; count: number }>();
  for (const event of actions) {
    if (event.time >= splitTime) break;
    clickBack.observe(event);
    if (event.type !== 'query') continue;
    related.observe(event);
    const key = variantKey(queryForm(event.query, maxLength));
    const entry = popularity.get(key) ?? { text: key, count: 0 };
    entry.count++;
    popularity.set(key, entry);
  }
  const popular = [...popularity.values()].sort((a, b) => b.count - a.count || (a.text < b.text ? -1 : 1)).slice(0, 6).map((p) => p.text);
  const next = new Sums();
  const back = new Sums();
  const last = new Map<string, Search>();
  for (const s of searches) {
    if (s.time < splitTime) continue;
    const previous = last.get(s.who);
    last.set(s.who, s);
    if (previous === undefined || s.time - previous.time > DEFAULT_RELATED.maxGapMs) continue;
    const target = variantKey(s.text);
    const from = variantKey(previous.text);
    if (target === from) continue;
    const baseline = popular.filter((p) => p !== from).slice(0, 5);
    next.add(related.related(previous.text, 5).map((r) => variantKey(r.text)), target, baseline);
    if (previous.clicked !== undefined) back.add(clickBack.queriesFor([{ itemId: previous.clicked }], 5, [previous.text]).map((q) => variantKey(q.text)), target, baseline);
  }
  return { related: next.report(), clickBack: back.report() };
}

class Sums {
  private pairs = 0;
  private hits = 0;
  private offered = 0;
  private baselineHits = 0;

  add(found: readonly string[], target: string, baseline: readonly string[]): void {
    this.pairs++;
    if (found.length > 0) this.offered++;
    if (found.includes(target)) this.hits++;
    if (baseline.includes(target)) this.baselineHits++;
  }

  report(): NextQueryReport {
    const ratio = (x: number) => (this.pairs === 0 ? 0 : Math.round((x / this.pairs) * 1e4) / 1e4);
    return { pairs: this.pairs, hit_at_5: ratio(this.hits), coverage: ratio(this.offered), baseline_hit_at_5: ratio(this.baselineHits) };
  }
}
