/**
 * What the miner keeps per spelling of a query while it reads the log, and how spellings merge
 * into one mined query. Internal to `suggest/`.
 */

/** Per normalised spelling of a query. */
export interface FormStats {
  readonly text: string;
  /** Issues seen (query events, plus counts of plain records). */
  count: number;
  /** Exponentially decayed issues as of `decayedAt` (dated issues only). */
  decayed: number;
  decayedAt: number;
  /** Issues of plain records without a time: counted at full weight whenever the log is mined. */
  undated: number;
  /** Distinct user ids seen, until `minUsers` is reached; then `undefined` (no longer needed). */
  users: Set<string> | undefined;
  /** Users of plain records, which carry a count of users rather than ids. */
  anonymousUsers: number;
  /** Searches with a request id (the denominators of click-through and conversion). */
  searches: number;
  /** Searches followed by at least one click, and by at least one purchase. */
  clicked: number;
  converted: number;
  /** `suggestion_click`s on this query, each weighted by 1 / examination probability of its position. */
  suggestionClicks: number;
  /** Click and purchase weight per category key (`数码>手机`). */
  categories: Map<string, number> | undefined;
  /** The latest search with a known result count found nothing. */
  foundNothing: boolean;
  /** Time of the latest dated issue (-Infinity when none). */
  lastTime: number;
}

export function newFormStats(text: string): FormStats {
  return {
    text,
    count: 0,
    decayed: 0,
    decayedAt: -Infinity,
    undated: 0,
    users: new Set(),
    anonymousUsers: 0,
    searches: 0,
    clicked: 0,
    converted: 0,
    suggestionClicks: 0,
    categories: undefined,
    foundNothing: false,
    lastTime: -Infinity,
  };
}

/** Adds `weight` issues at `time` to the decayed sum (half-life `halfLifeMs`), in or out of time order. */
export function addDecayed(stats: FormStats, weight: number, time: number, halfLifeMs: number): void {
  if (stats.decayedAt === -Infinity || time >= stats.decayedAt) {
    const factor = stats.decayedAt === -Infinity ? 0 : Math.pow(2, -(time - stats.decayedAt) / halfLifeMs);
    stats.decayed = stats.decayed * factor + weight;
    stats.decayedAt = time;
  } else {
    stats.decayed += weight * Math.pow(2, -(stats.decayedAt - time) / halfLifeMs);
  }
}

/** The decayed issues as of `now`. */
export function decayedAt(stats: FormStats, now: number, halfLifeMs: number): number {
  const dated = stats.decayedAt === -Infinity ? 0 : stats.decayed * Math.pow(2, -(now - stats.decayedAt) / halfLifeMs);
  return dated + stats.undated;
}

/** Counts a user; forgets the ids once `minUsers` distinct ones were seen. */
export function addUser(stats: FormStats, userId: string, minUsers: number): void {
  if (stats.users === undefined) return;
  stats.users.add(userId);
  if (stats.users.size + stats.anonymousUsers >= minUsers) stats.users = undefined;
}

/** Whether the spellings together were issued by at least `minUsers` distinct users. */
export function reachesMinUsers(forms: readonly FormStats[], minUsers: number): boolean {
  if (minUsers <= 0) return true;
  let anonymous = 0;
  const ids = new Set<string>();
  for (const form of forms) {
    if (form.users === undefined) return true;
    anonymous += form.anonymousUsers;
    for (const id of form.users) ids.add(id);
  }
  return ids.size + anonymous >= minUsers;
}

/**
 * The spelling a merged query is shown in: the most issued, then the shorter, then the first in
 * code-unit order (so the choice never depends on the order the log was read in).
 */
export function displayForm(forms: readonly FormStats[]): FormStats {
  let best = forms[0] as FormStats;
  for (const form of forms) {
    const better =
      form.count > best.count ||
      (form.count === best.count && (form.text.length < best.text.length || (form.text.length === best.text.length && form.text < best.text)));
    if (better) best = form;
  }
  return best;
}

/** Whether the latest search with a known result count, over all spellings, found nothing. */
export function latestFoundNothing(forms: readonly FormStats[]): boolean {
  let latest: FormStats | undefined;
  for (const form of forms) if (latest === undefined || form.lastTime > latest.lastTime) latest = form;
  return latest?.foundNothing ?? false;
}

export interface CategoryShare {
  /** A category key, root first: `数码>手机`. */
  category: string;
  /** Its share of the query's click and purchase weight, in (0, 1]. */
  share: number;
}

/** The categories holding at least `minShare` of the weight, largest first (ties by key), at most `max`. */
export function dominantCategories(forms: readonly FormStats[], options: { max: number; minShare: number }): CategoryShare[] {
  const weights = new Map<string, number>();
  let total = 0;
  for (const form of forms) {
    for (const [category, weight] of form.categories ?? []) {
      weights.set(category, (weights.get(category) ?? 0) + weight);
      total += weight;
    }
  }
  if (total <= 0) return [];
  return [...weights]
    .map(([category, weight]) => ({ category, share: weight / total }))
    .filter((c) => c.share >= options.minShare)
    .sort((a, b) => b.share - a.share || (a.category < b.category ? -1 : a.category > b.category ? 1 : 0))
    .slice(0, options.max);
}
