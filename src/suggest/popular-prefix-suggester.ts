import { normalizeText } from '../text/index.js';

export interface PopularPrefixConfig {
  /** A query issued by fewer distinct users is never suggested (privacy: no one's rare query leaks). */
  minUsers: number;
  /** Longer queries are not kept as suggestions. */
  maxLength: number;
}

export const DEFAULT_POPULAR_PREFIX_CONFIG: PopularPrefixConfig = { minUsers: 2, maxLength: 100 };

export interface Suggestion {
  text: string;
  /** How many times the query was issued. */
  count: number;
}

export interface Completion {
  suggestions: Suggestion[];
  /** The prefix as compared: NFKC, lower case, white space folded. */
  normalizedPrefix: string;
  /** How many eligible queries start with it (the range scanned). */
  completions: number;
}

interface QueryStats {
  count: number;
  /** Distinct users seen, kept only until `minUsers` is reached. */
  users: Set<string> | undefined;
  /** The last time it was issued, it found nothing (a suggestion must lead somewhere). */
  foundNothing: boolean;
}

/**
 * Query completion by popularity: the most frequently issued queries that start with what the user
 * typed (after NFKC, lower case and white-space folding). A query is eligible once `minUsers`
 * distinct users issued it, and while its latest search found something (when the log says). The
 * eligible queries are kept sorted; a prefix is found by binary search and its range scanned for the
 * top counts. This is the plain most-popular-prefix baseline the query-recommendation capability is
 * measured against.
 */
export class PopularPrefixSuggester {
  private readonly stats = new Map<string, QueryStats>();
  private sorted: string[] = [];
  private dirty = false;
  private readonly config: PopularPrefixConfig;

  constructor(config: PopularPrefixConfig = DEFAULT_POPULAR_PREFIX_CONFIG) {
    this.config = config;
  }

  /** Queries that are eligible to be suggested. */
  get size(): number {
    this.refresh();
    return this.sorted.length;
  }

  /** Counts one issue of `query`; `resultCount`, when known, is how many results it found. */
  observe(userId: string, query: string, resultCount?: number): void {
    const text = normalizeText(query);
    if (text.length === 0 || text.length > this.config.maxLength) return;
    let stats = this.stats.get(text);
    if (stats === undefined) this.stats.set(text, (stats = { count: 0, users: new Set(), foundNothing: false }));
    stats.count++;
    if (resultCount !== undefined && stats.foundNothing !== (resultCount === 0)) {
      stats.foundNothing = resultCount === 0;
      this.dirty = true;
    }
    if (stats.users !== undefined) {
      stats.users.add(userId);
      if (stats.users.size >= this.config.minUsers) {
        stats.users = undefined;
        this.dirty = true;
      }
    }
  }

  /** Up to `limit` completions of `prefix`, most issued first (ties in text order). */
  suggest(prefix: string, limit: number): Completion {
    this.refresh();
    const start = normalizeText(prefix);
    const out: Suggestion[] = [];
    for (let i = lowerBound(this.sorted, start); i < this.sorted.length; i++) {
      const text = this.sorted[i] as string;
      if (!text.startsWith(start)) break;
      out.push({ text, count: this.stats.get(text)?.count ?? 0 });
    }
    const suggestions = out.sort((a, b) => b.count - a.count || compare(a.text, b.text)).slice(0, limit);
    return { suggestions, normalizedPrefix: start, completions: out.length };
  }

  private refresh(): void {
    if (!this.dirty) return;
    this.sorted = [...this.stats]
      .filter(([, s]) => s.users === undefined && !s.foundNothing)
      .map(([text]) => text)
      .sort(compare);
    this.dirty = false;
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function lowerBound(sorted: readonly string[], key: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as string) < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
