/**
 * Query mining: from the query log and the events that followed each search to the queries worth
 * suggesting, with what ranking them needs. Spellings are normalised (`normalizeText`) and merged
 * under their variant key; a query from fewer than `minUsers` distinct users, a blocked one, one
 * with a control character or longer than `maxLength` is never output.
 *
 * Clicks and purchases are attributed to the search they followed: by request id when they carry
 * one, otherwise to the latest search of their session. Feed events in time order (as the store
 * replays them); `suggestion_click`s count with inverse-propensity weights (see `examinationProbability`).
 */

import { InvalidArgumentError, type Event } from '../core/index.js';
import { BlockList, type BlockListTerms } from './block-list.js';
import { queryForm, variantKey } from './query-text.js';
import {
  addDecayed,
  addUser,
  decayedAt,
  displayForm,
  dominantCategories,
  latestFoundNothing,
  newFormStats,
  reachesMinUsers,
  type CategoryShare,
  type FormStats,
} from './query-stats.js';

export type { CategoryShare } from './query-stats.js';

export interface QueryMiningConfig {
  /** A query issued by fewer distinct users is never output (privacy: no one's rare query leaks). */
  minUsers: number;
  /** Longer queries (characters, after normalisation) are not mined. */
  maxLength: number;
  /** Half-life of the decayed frequency. */
  halfLifeMs: number;
  /** Phrases and substrings never output. */
  blockList: BlockListTerms;
  /** How many recent searches (by request id) and sessions are remembered to attribute clicks and purchases. */
  attributionWindow: number;
  /** Position bias of suggestion lists: position k is examined with probability k^-eta (eta = 0: no bias). */
  positionBiasEta: number;
  /** A click at a deep position counts at most this much (inverse propensities have a long tail). */
  maxClickWeight: number;
  /** Dominant categories: at most this many per query, each with at least `minCategoryShare` of its weight. */
  maxCategories: number;
  minCategoryShare: number;
}

export const DEFAULT_QUERY_MINING: QueryMiningConfig = {
  minUsers: 2,
  maxLength: 100,
  halfLifeMs: 7 * 24 * 3_600_000,
  blockList: {},
  attributionWindow: 100_000,
  positionBiasEta: 1,
  maxClickWeight: 10,
  maxCategories: 3,
  minCategoryShare: 0.1,
};

/** An aggregated log line: a query issued `count` times (the Best Buy and Algolia suggestion format). */
export interface QueryRecord {
  query: string;
  count: number;
  /** Distinct users who issued it; default `count` (each issue an anonymous user). */
  users?: number;
  /** When it was issued (epoch ms); without it the count is treated as current. */
  time?: number;
  /** Category key → weight, e.g. from facet counts. */
  categories?: Readonly<Record<string, number>>;
}

export interface MinedQuery {
  /** The spelling shown: normalised, the most issued of the merged ones. */
  text: string;
  /** The other spellings merged into it, in code-unit order. */
  variants: string[];
  count: number;
  /** Issues decayed to the mining time with `halfLifeMs`. */
  decayedCount: number;
  /** Searches with a request id, and how many were followed by a click / a purchase. */
  searches: number;
  clicked: number;
  converted: number;
  /** Position-debiased `suggestion_click`s. */
  suggestionClicks: number;
  categories: CategoryShare[];
  /** Time of the latest dated issue; -Infinity when none was dated. */
  lastTime: number;
}

interface SearchLink {
  stats: FormStats;
  clicked: boolean;
  converted: boolean;
}

/**
 * Reads events and records one at a time; `mine()` returns the eligible queries at any point.
 * Memory: one entry per distinct spelling, plus the attribution window.
 */
export class QueryMiner {
  readonly config: QueryMiningConfig;
  private readonly forms = new Map<string, FormStats>();
  private readonly requests = new Map<string, SearchLink>();
  private readonly sessions = new Map<string, SearchLink>();
  private readonly blockList: BlockList;
  private readonly categoryOf: (itemId: string) => string | undefined;
  private latestTime = -Infinity;

  /**
   * @param config defaults in `DEFAULT_QUERY_MINING`.
   * @param categoryOf an item's category key (`数码>手机`), for each query's dominant categories.
   * @throws InvalidArgumentError on a negative `minUsers`, a non-positive half-life or window.
   */
  constructor(config: Partial<QueryMiningConfig> = {}, categoryOf: (itemId: string) => string | undefined = () => undefined) {
    this.config = { ...DEFAULT_QUERY_MINING, ...config };
    const { minUsers, halfLifeMs, attributionWindow, maxLength } = this.config;
    if (!(minUsers >= 0) || !(halfLifeMs > 0) || !(attributionWindow >= 1) || !(maxLength >= 1)) {
      throw new InvalidArgumentError(
        `query mining needs minUsers >= 0, halfLifeMs > 0, attributionWindow >= 1 and maxLength >= 1, got ${minUsers}, ${halfLifeMs}, ${attributionWindow}, ${maxLength}`,
      );
    }
    this.blockList = new BlockList(this.config.blockList);
    this.categoryOf = categoryOf;
  }

  /** Distinct spellings held (blocked and over-long queries are never held). */
  get spellings(): number {
    return this.forms.size;
  }

  /** Learns from one event; events other than query, click, purchase and suggestion_click are ignored. */
  observe(event: Event): void {
    if (event.time > this.latestTime) this.latestTime = event.time;
    switch (event.type) {
      case 'query':
        this.observeQuery(event.query, event);
        return;
      case 'click':
      case 'purchase':
        this.observeOutcome(event.type, event);
        return;
      case 'suggestion_click':
        this.observeSuggestionClick(event.suggestion, event.position);
        return;
      case 'impression':
      case 'add_to_cart':
        return;
    }
  }

  /**
   * Learns from an aggregated record.
   * @throws InvalidArgumentError when `count` or `users` is negative or not finite.
   */
  observeRecord(record: QueryRecord): void {
    const users = record.users ?? record.count;
    if (!(record.count >= 0) || !Number.isFinite(record.count) || !(users >= 0) || !Number.isFinite(users)) {
      throw new InvalidArgumentError(`query record "${record.query.slice(0, 50)}": count ${record.count} and users ${users} must be finite and >= 0`);
    }
    const stats = this.formOf(record.query);
    if (stats === undefined) return;
    stats.count += record.count;
    if (record.time === undefined) stats.undated += record.count;
    else {
      addDecayed(stats, record.count, record.time, this.config.halfLifeMs);
      stats.lastTime = Math.max(stats.lastTime, record.time);
      if (record.time > this.latestTime) this.latestTime = record.time;
    }
    stats.anonymousUsers += users;
    if (stats.users !== undefined && stats.users.size + stats.anonymousUsers >= this.config.minUsers) stats.users = undefined;
    for (const [category, weight] of Object.entries(record.categories ?? {})) addCategory(stats, category, weight);
  }

  /**
   * The eligible queries as of `now` (default: the latest time seen), in code-unit order of their text.
   */
  mine(now: number = this.latestTime === -Infinity ? 0 : this.latestTime): MinedQuery[] {
    const groups = new Map<string, FormStats[]>();
    for (const stats of this.forms.values()) {
      const key = variantKey(stats.text);
      const group = groups.get(key);
      if (group === undefined) groups.set(key, [stats]);
      else group.push(stats);
    }
    const mined: MinedQuery[] = [];
    for (const forms of groups.values()) {
      if (!reachesMinUsers(forms, this.config.minUsers) || latestFoundNothing(forms)) continue;
      mined.push(this.merge(forms, now));
    }
    return mined.sort((a, b) => (a.text < b.text ? -1 : a.text > b.text ? 1 : 0));
  }

  private merge(forms: FormStats[], now: number): MinedQuery {
    const shown = displayForm(forms);
    const merged: MinedQuery = {
      text: shown.text,
      variants: forms.length === 1 ? [] : forms.filter((f) => f !== shown).map((f) => f.text).sort(),
      count: 0,
      decayedCount: 0,
      searches: 0,
      clicked: 0,
      converted: 0,
      suggestionClicks: 0,
      categories: forms.some((f) => f.categories !== undefined) ? dominantCategories(forms, { max: this.config.maxCategories, minShare: this.config.minCategoryShare }) : [],
      lastTime: -Infinity,
    };
    for (const s of forms) {
      merged.count += s.count;
      merged.decayedCount += decayedAt(s, now, this.config.halfLifeMs);
      merged.searches += s.searches;
      merged.clicked += s.clicked;
      merged.converted += s.converted;
      merged.suggestionClicks += s.suggestionClicks;
      if (s.lastTime > merged.lastTime) merged.lastTime = s.lastTime;
    }
    return merged;
  }

  private observeQuery(query: string, event: { userId: string; time: number; requestId: string; sessionId?: string | undefined; resultCount?: number | undefined }): void {
    const stats = this.formOf(query);
    if (stats === undefined) return;
    stats.count++;
    stats.searches++;
    addDecayed(stats, 1, event.time, this.config.halfLifeMs);
    addUser(stats, event.userId, this.config.minUsers);
    if (event.time >= stats.lastTime) {
      stats.lastTime = event.time;
      if (event.resultCount !== undefined) stats.foundNothing = event.resultCount === 0;
    }
    const link: SearchLink = { stats, clicked: false, converted: false };
    remember(this.requests, event.requestId, link, this.config.attributionWindow);
    if (event.sessionId !== undefined) remember(this.sessions, event.sessionId, link, this.config.attributionWindow);
  }

  private observeOutcome(type: 'click' | 'purchase', event: { itemId: string; requestId?: string | undefined; sessionId?: string | undefined }): void {
    const link =
      (event.requestId === undefined ? undefined : this.requests.get(event.requestId)) ??
      (event.sessionId === undefined ? undefined : this.sessions.get(event.sessionId));
    if (link === undefined) return;
    if (type === 'click' && !link.clicked) {
      link.clicked = true;
      link.stats.clicked++;
    }
    if (type === 'purchase' && !link.converted) {
      link.converted = true;
      link.stats.converted++;
    }
    const category = this.categoryOf(event.itemId);
    // A purchase says more about what the query was for than a click.
    if (category !== undefined) addCategory(link.stats, category, type === 'purchase' ? 2 : 1);
  }

  private observeSuggestionClick(suggestion: string, position: number): void {
    const stats = this.formOf(suggestion);
    if (stats === undefined) return;
    const weight = 1 / examinationProbability(position, this.config.positionBiasEta);
    stats.suggestionClicks += Math.min(this.config.maxClickWeight, weight);
  }

  /** The stats of a query's spelling, created on first sight; undefined for a query never to be mined. */
  private formOf(query: string): FormStats | undefined {
    const text = queryForm(query, this.config.maxLength);
    if (text === '') return undefined;
    let stats = this.forms.get(text);
    if (stats === undefined) {
      if (this.blockList.blocks(text)) return undefined;
      this.forms.set(text, (stats = newFormStats(text)));
    }
    return stats;
  }
}

/**
 * The probability that a user examines position `k` (1-based) of a list: k^-eta, the position-based
 * propensity model of Joachims, Swaminathan & Schnabel 2017 ("Unbiased learning-to-rank with biased
 * feedback", eq. 9 with the power-law propensities of their section 6). A click at position k counts
 * 1 / examinationProbability(k): clicks deep in the list say more than clicks at the top.
 */
export function examinationProbability(position: number, eta: number): number {
  return Math.pow(Math.max(1, position), -eta);
}

/** Mines a whole log at once (see `QueryMiner`). */
export function mineQueries(
  log: Iterable<Event | QueryRecord>,
  options: { config?: Partial<QueryMiningConfig>; categoryOf?: (itemId: string) => string | undefined; now?: number } = {},
): MinedQuery[] {
  const miner = new QueryMiner(options.config, options.categoryOf);
  for (const entry of log) {
    if ('type' in entry) miner.observe(entry);
    else miner.observeRecord(entry);
  }
  return miner.mine(options.now);
}

function addCategory(stats: FormStats, category: string, weight: number): void {
  if (!(weight > 0)) return;
  stats.categories ??= new Map();
  stats.categories.set(category, (stats.categories.get(category) ?? 0) + weight);
}

function remember(map: Map<string, SearchLink>, key: string, link: SearchLink, capacity: number): void {
  map.delete(key);
  map.set(key, link);
  if (map.size > capacity) {
    const oldest = map.keys().next();
    if (oldest.done !== true) map.delete(oldest.value);
  }
}
