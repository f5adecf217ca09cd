/**
 * One simulated visit: a search session (1-3 queries, reformulated narrower or broader after a poor
 * list, sometimes started from a suggestion) or a feed session, with clicks, item pages, similar
 * items, carts and purchases, all written as core events in time order.
 */

import { InvalidArgumentError, RECORD_LIMITS, type Event, type Item, type QuerySource, type Rng, type Surface } from '../core/index.js';
import { appeal, clickProbability, examination, ExaminedInList, purchaseAppeal, type ClickModel, type Judgement } from './click-model.js';
import { broadenIntent, drawIntent, gradeRelevance, isBroad, narrowIntent, type Intent } from './intent.js';
import type { ItemTruth } from './item-truth.js';
import { sigmoid } from './latent.js';
import type { Leaf } from './categories.js';
import { drawStyle, typedPrefix, writeQuery, type WrittenQuery } from './query-writer.js';
import { mergeFilters, pickChip } from './query-offers.js';
import { SessionRecorder } from './session-recorder.js';
import type { RefinementOffer, SearchFilters, ShopBackend } from './shop-backend.js';
import { matchKey } from './text.js';
import type { UserTruth } from './users.js';
import type { ShopWorld } from './world.js';

export interface SessionBehaviour {
  /** Share of sessions that open the home feed instead of searching. Default 0.28. */
  feedShare: number;
  /** Chance that a feed session goes on to a search. Default 0.2. */
  searchAfterFeed: number;
  /** Most queries in one search. Default 3. */
  maxQueries: number;
  /** Chance of another query after a list without clicks. Default 0.6. */
  reformulateAfterNoClick: number;
  /** Chance of another query after clicks without a purchase. Default 0.25. */
  searchAgainAfterClick: number;
  /** Chance of looking at the similar-items list on an item's page. Default 0.25. */
  similarAfterClick: number;
  /** Chance of taking a suggestion that says exactly what the user wants. Default 0.85. */
  acceptExact: number;
  /** Chance of taking a suggestion broader than the intent (`手机` for `华为手机`). Default 0.3. */
  acceptBroader: number;
  /** Chance of taking a suggestion narrower than the intent (`华为手机` for `手机`). Default 0.15. */
  acceptNarrower: number;
  /**
   * Chance of clicking the hint word in the empty box, times the suggestion acceptance of it
   * (`acceptExact` when it is what the user wants). First query of a search only. Default 0.5.
   */
  hintUse: number;
  /** Chance of reading the "guess what you want to search" chips before typing (when no hint was taken). Default 0.25. */
  guessLook: number;
  /** Chance of reading the refinement chips of the last page before another query. Default 0.5. */
  refinementLook: number;
  /** Chance of reading the related searches of the last page before another query (when no chip was taken). Default 0.3. */
  relatedLook: number;
  /** Median time on an item's page, ms (log-normal). Default 35,000. */
  dwellMedianMs: number;
  /** Typing speed, ms per character. Default 350. */
  typingMsPerChar: number;
}

export const DEFAULT_SESSION_BEHAVIOUR: SessionBehaviour = {
  feedShare: 0.28,
  searchAfterFeed: 0.2,
  maxQueries: 3,
  reformulateAfterNoClick: 0.6,
  searchAgainAfterClick: 0.25,
  similarAfterClick: 0.25,
  acceptExact: 0.85,
  acceptBroader: 0.3,
  acceptNarrower: 0.15,
  hintUse: 0.5,
  guessLook: 0.25,
  refinementLook: 0.5,
  relatedLook: 0.3,
  dwellMedianMs: 35_000,
  typingMsPerChar: 350,
};

/** A query the user issued and the intent behind it: with `World.relevance`, the qrels of that query. */
export interface SearchTruth {
  requestId: string;
  query: string;
  intent: Intent;
}

export interface SessionLog {
  /** Day of the history (0 is the day starting at `WorldConfig.startTime`). */
  day: number;
  /** Index of the session within its day, in order of start time. */
  sessionIndex: number;
  sessionId: string;
  userId: string;
  /** Epoch ms the visit began; its events come after it. */
  start: number;
  kind: 'search' | 'feed';
  /** Core Event records in time order. */
  events: Event[];
  /** The intent behind every query of the session. */
  searches: SearchTruth[];
}

export interface SessionContext {
  world: ShopWorld;
  backend: ShopBackend;
  pageSize: number;
  suggestionLimit: number;
  model: ClickModel;
  behaviour: SessionBehaviour;
  /** Told each event the moment the user makes it, before the session goes on. */
  onEvent?: ((event: Event) => void) | undefined;
}

export interface SessionPlan {
  day: number;
  sessionIndex: number;
  start: number;
  userIndex: number;
  rng: Rng;
}

export function runSession(ctx: SessionContext, plan: SessionPlan): SessionLog {
  const user = ctx.world.userTruths[plan.userIndex] as UserTruth;
  const ids = plan.rng.fork('ids');
  const sessionId = `s${ids.id(12)}`;
  const run = new SessionRun(ctx, plan.rng, user, new SessionRecorder(user.userId, sessionId, plan.start, ids, ctx.onEvent));
  const kind = plan.rng.bool(ctx.behaviour.feedShare) ? 'feed' : 'search';
  if (kind === 'feed') run.feed();
  else run.search(drawIntent(plan.rng, ctx.world.catalog, user));
  return { day: plan.day, sessionIndex: plan.sessionIndex, sessionId, userId: user.userId, start: plan.start, kind, events: run.rec.events, searches: run.searches };
}

interface ListView {
  requestId: string;
  surface: Surface;
  query?: string;
  /** The intent the list is judged against; undefined on the home feed. */
  intent: Intent | undefined;
  items: string[];
  /** 0 for a list the user came to; 1 for the similar items of a clicked item (no deeper). */
  depth: number;
  /** The clicked item a similar-items list was for. */
  seedItemId?: string;
  /** The backend's recall score of each item, when it gave them. */
  recallScores: number[] | undefined;
  /** The price per click of each ad among the items (undefined for organic items), when the backend gave them. */
  cpcs: (number | undefined)[] | undefined;
}

/** What the impression logs beside the shown items, from the backend's answer. */
function logged(items: readonly string[], page: { recallScores?: unknown; cpcs?: unknown }): Pick<ListView, 'recallScores' | 'cpcs'> {
  return { recallScores: scoresFor(items, page.recallScores), cpcs: cpcsFor(items, page.cpcs) };
}

/** The ads' prices per click for the shown items (finite, >= 0; undefined for organic ones), or undefined when not given per item. */
function cpcsFor(items: readonly string[], cpcs: unknown): (number | undefined)[] | undefined {
  if (!Array.isArray(cpcs) || cpcs.length < items.length) return undefined;
  return cpcs.slice(0, items.length).map((c: unknown) => (typeof c === 'number' && Number.isFinite(c) && c >= 0 ? c : undefined));
}

/** The backend's scores for the shown items, or undefined when it gave none (or not one per item). */
function scoresFor(items: readonly string[], scores: unknown): number[] | undefined {
  if (!Array.isArray(scores) || scores.length < items.length) return undefined;
  const shown = scores.slice(0, items.length);
  return shown.every((s) => typeof s === 'number' && Number.isFinite(s)) ? (shown as number[]) : undefined;
}

interface ListOutcome {
  clicks: number;
  purchases: number;
}

const NOTHING: ListOutcome = { clicks: 0, purchases: 0 };

/** A query as issued: its text, where it came from, and the filters of a refinement chip. */
interface IssuedQuery {
  text: string;
  source: QuerySource;
  filters?: SearchFilters;
}

/** The last result page of a search session: what a chip or a related search starts from. */
interface LastPage {
  query: string;
  filters: SearchFilters | undefined;
  refinements: readonly RefinementOffer[];
}

class SessionRun {
  readonly searches: SearchTruth[] = [];

  constructor(
    private readonly ctx: SessionContext,
    private readonly rng: Rng,
    private readonly user: UserTruth,
    readonly rec: SessionRecorder,
  ) {}

  search(firstIntent: Intent): void {
    const { rng, rec, user, ctx } = this;
    let intent = firstIntent;
    let typoRate = user.inputStyle.typoRate;
    let last: LastPage | undefined;
    for (let q = 0; q < ctx.behaviour.maxQueries; q++) {
      const leaf = ctx.world.leaf(intent.leafId);
      const written = writeQuery({ rng, leaf, intent, style: drawStyle(rng, user.inputStyle), typoRate });
      const { text, source, filters } = this.issue(written, intent, leaf, last);
      const requestId = rec.newRequestId();
      this.searches.push({ requestId, query: text, intent });
      const request = { query: text, userId: user.userId, sessionId: rec.sessionId, requestId, time: rec.now, limit: ctx.pageSize, ...(filters === undefined ? {} : { filters }) };
      const page = ctx.backend.search(request);
      last = { query: text, filters, refinements: Array.isArray(page.refinements) ? page.refinements : [] };
      const items = this.served(page.items, 'search');
      rec.query({ requestId, query: text, source, resultCount: page.total ?? items.length });
      const outcome = items.length === 0 ? NOTHING : this.browse({ requestId, surface: 'search', query: text, intent, items, depth: 0, ...logged(items, page) });
      if (outcome.purchases > 0) return;
      if (outcome.clicks === 0) {
        if (!rng.bool(ctx.behaviour.reformulateAfterNoClick)) return;
        // A typo is retyped correctly; otherwise a broad query is narrowed and a narrow one broadened.
        typoRate = written.typo ? 0 : user.inputStyle.typoRate;
        if (!written.typo) intent = isBroad(intent) ? narrowIntent(rng, leaf, intent, user) : broadenIntent(leaf, intent);
      } else {
        // Having looked, the shopper narrows the need down or compares another brand.
        if (!rng.bool(ctx.behaviour.searchAgainAfterClick)) return;
        intent = narrowIntent(rng, leaf, intent, user);
      }
      rec.advance(rng.uniform(2_000, 8_000));
    }
  }

  feed(): void {
    const { rng, rec, user, ctx } = this;
    const requestId = rec.newRequestId();
    rec.advance(rng.uniform(500, 3_000));
    const request = { userId: user.userId, sessionId: rec.sessionId, requestId, time: rec.now, limit: ctx.pageSize };
    const feed = ctx.backend.recommend(request);
    const items = this.served(feed.items, 'recommend');
    if (items.length > 0) this.browse({ requestId, surface: 'recommend', intent: undefined, items, depth: 0, ...logged(items, feed) });
    if (rng.bool(ctx.behaviour.searchAfterFeed)) {
      rec.advance(rng.uniform(2_000, 8_000));
      this.search(drawIntent(rng, ctx.world.catalog, user));
    }
  }

  /**
   * The next query: the first from the hint word, a guess chip or the box; a later one from a
   * refinement chip or a related search of the last page, or the box.
   */
  private issue(written: WrittenQuery, intent: Intent, leaf: Leaf, last: LastPage | undefined): IssuedQuery {
    if (last === undefined) return this.fromHint(written, intent) ?? this.fromGuess(written, intent) ?? this.compose(written, intent, true);
    return this.fromRefinement(intent, leaf, last) ?? this.fromRelated(written, intent, last.query) ?? this.compose(written, intent, false);
  }

  /** Clicks the hint word when it fits (logged as a suggestion click with an empty prefix, which retires it). */
  private fromHint(written: WrittenQuery, intent: Intent): IssuedQuery | undefined {
    const { rng, rec, user, ctx } = this;
    const hint = ctx.backend.hint?.bind(ctx.backend);
    if (hint === undefined || ctx.behaviour.hintUse === 0) return undefined;
    const requestId = rec.newRequestId();
    const text = this.served([hint({ userId: user.userId, requestId, time: rec.now, limit: 1 }).hint ?? ''], 'suggest')[0]?.trim() ?? '';
    if (text === '' || text.length > RECORD_LIMITS.queryLength || !rng.bool(ctx.behaviour.hintUse * this.acceptance(text, written, intent))) return undefined;
    rec.advance(rng.uniform(400, 1_500));
    rec.suggestionClick(requestId, { prefix: '', suggestion: text, position: 1 });
    return { text, source: 'hint' };
  }

  private fromGuess(written: WrittenQuery, intent: Intent): IssuedQuery | undefined {
    const { rng, rec, user, ctx } = this;
    const guess = ctx.backend.guess?.bind(ctx.backend);
    if (guess === undefined || ctx.behaviour.guessLook === 0 || !rng.bool(ctx.behaviour.guessLook)) return undefined;
    const chips = this.served(guess({ userId: user.userId, requestId: rec.newRequestId(), time: rec.now, limit: ctx.suggestionLimit }).queries, 'suggest');
    const i = this.choose(chips, written, intent);
    if (i < 0) return undefined;
    rec.advance(800 + 300 * i);
    return { text: (chips[i] as string).trim(), source: 'guess' };
  }

  /** Applies the refinement chip that adds what the user now wants: its filter on the same query, or its query. */
  private fromRefinement(intent: Intent, leaf: Leaf, last: LastPage): IssuedQuery | undefined {
    const { rng, rec, ctx } = this;
    if (last.refinements.length === 0 || ctx.behaviour.refinementLook === 0 || !rng.bool(ctx.behaviour.refinementLook)) return undefined;
    const chip = pickChip(rng, last.refinements, intent, leaf);
    if (chip === undefined) return undefined;
    rec.advance(rng.uniform(600, 2_000));
    if (chip.filter !== undefined) return { text: last.query, source: 'refinement', filters: mergeFilters(last.filters, chip.filter) };
    const query = chip.query?.trim() ?? '';
    return query === '' || query.length > RECORD_LIMITS.queryLength ? undefined : { text: query, source: 'refinement' };
  }

  private fromRelated(written: WrittenQuery, intent: Intent, query: string): IssuedQuery | undefined {
    const { rng, rec, user, ctx } = this;
    const related = ctx.backend.related?.bind(ctx.backend);
    if (related === undefined || ctx.behaviour.relatedLook === 0 || !rng.bool(ctx.behaviour.relatedLook)) return undefined;
    const queries = this.served(related({ query, userId: user.userId, requestId: rec.newRequestId(), time: rec.now, limit: ctx.suggestionLimit }).queries, 'suggest');
    const i = this.choose(queries, written, intent);
    if (i < 0) return undefined;
    rec.advance(800 + 300 * i);
    return { text: (queries[i] as string).trim(), source: 'related' };
  }

  /** The index of the offered query the user takes, or -1: read with a chance falling with position, taken when it fits. */
  private choose(offered: readonly string[], written: WrittenQuery, intent: Intent): number {
    const { rng } = this;
    for (let i = 0; i < offered.length; i++) {
      const text = (offered[i] as string).trim();
      if (text.length === 0 || text.length > RECORD_LIMITS.queryLength || !rng.bool(Math.pow(i + 1, -0.5))) continue;
      if (rng.bool(this.acceptance(text, written, intent))) return i;
    }
    return -1;
  }

  /** Types the query in full, or types a prefix and takes a fitting suggestion. */
  private compose(written: WrittenQuery, intent: Intent, firstQuery: boolean): IssuedQuery {
    const { rng, rec, user, ctx } = this;
    const typed = { text: written.text, source: 'typed' as const };
    const typingTime = (chars: number): number => ctx.behaviour.typingMsPerChar * chars * rng.uniform(0.6, 1.6);
    const suggest = ctx.backend.suggest?.bind(ctx.backend);
    if (suggest === undefined || !rng.bool(user.suggestionUse * (firstQuery ? 1 : 0.5))) {
      rec.advance(typingTime(written.text.length) + 500);
      return typed;
    }
    const prefix = typedPrefix(rng, written);
    rec.advance(typingTime(prefix.length) + 300);
    const requestId = rec.newRequestId();
    const response = suggest({ prefix, userId: user.userId, requestId, time: rec.now, limit: ctx.suggestionLimit });
    const suggestions = this.served(response.suggestions, 'suggest').map((s) => s.trim());
    // Each suggestion is read with a chance falling with its position, like list items but gentler.
    const i = this.choose(suggestions, written, intent);
    if (i >= 0) {
      const suggestion = suggestions[i] as string;
      rec.advance(600 + 250 * i);
      rec.suggestionClick(requestId, { prefix, suggestion, position: i + 1 });
      rec.advance(rng.uniform(50, 200));
      return { text: suggestion, source: 'suggestion' };
    }
    rec.advance(typingTime(Math.max(1, written.text.length - prefix.length)) + 500);
    return typed;
  }

  /** Chance of taking a suggestion, from how its reading compares with the intent. */
  private acceptance(suggestion: string, written: WrittenQuery, intent: Intent): number {
    const b = this.ctx.behaviour;
    if (matchKey(suggestion) === matchKey(written.text)) return b.acceptExact;
    const fit = this.ctx.world.interpreter.fit(suggestion, intent);
    if (!fit.compatible) return 0;
    if (fit.narrower && fit.broader) return b.acceptNarrower * b.acceptBroader;
    if (fit.narrower) return b.acceptNarrower;
    return fit.broader ? b.acceptBroader : b.acceptExact;
  }

  /**
   * Logs the impression, then walks down the list: examine, maybe click, visit the item's page. The
   * click chance falls with the items of the same brand (and on the feed, leaf category) examined above
   * in this list (the click model's redundancy); that draws nothing more from the rng.
   */
  private browse(view: ListView): ListOutcome {
    const { rng, rec, ctx, user } = this;
    rec.advance(rng.uniform(80, 400)); // the engine answers, the page renders
    rec.impression(
      {
        requestId: view.requestId,
        surface: view.surface,
        ...(view.query !== undefined && { query: view.query }),
        ...(view.seedItemId !== undefined && { seedItemId: view.seedItemId }),
      },
      view.items,
      view.recallScores,
      view.cpcs,
    );
    rec.advance(rng.uniform(300, 900));
    const outcome = { clicks: 0, purchases: 0 };
    let lastRank = 0;
    // Nothing to count when the list effect is off (the default).
    const examined = ctx.model.redundancyBrandWeight > 0 || ctx.model.redundancyLeafWeight > 0 ? new ExaminedInList(view.intent) : undefined;
    for (let i = 0; i < view.items.length; i++) {
      const rank = i + 1;
      const index = ctx.world.indexOfItem(view.items[i] as string);
      // Ids the world does not know are shown but never chosen: there is nothing to judge them by.
      if (index === undefined || !rng.bool(examination(ctx.model, { rank, satisfied: outcome.purchases > 0 }))) continue;
      const item = ctx.world.itemTruths[index] as ItemTruth;
      const attributes = (ctx.world.items[index] as Item).attributes;
      const judgement: Judgement = { user, item, relevance: view.intent && gradeRelevance(view.intent, item, attributes) };
      const seen = examined?.seenAbove(item);
      examined?.add(item);
      if (!rng.bool(clickProbability(ctx.model, appeal(ctx.model, judgement), seen))) continue;
      rec.advance(1_200 + 600 * (rank - lastRank) + rng.exponential(1 / 1_500));
      lastRank = rank;
      rec.click(view.requestId, item.itemId, rank);
      outcome.clicks++;
      if (this.itemPage(view, judgement)) outcome.purchases++;
    }
    return outcome;
  }

  /** Time on a clicked item's page: maybe cart and purchase, maybe its similar items. Returns whether it was bought. */
  private itemPage(view: ListView, judgement: Judgement): boolean {
    const { rng, rec, ctx, user } = this;
    const item = judgement.item;
    const dwell = rng.logNormal(Math.log(ctx.behaviour.dwellMedianMs), 0.6);
    let bought = false;
    if (item.kind === 'content') rec.advance(dwell);
    else bought = this.decideToBuy(view.requestId, judgement, dwell);
    if (view.depth === 0 && rng.bool(ctx.behaviour.similarAfterClick)) {
      const requestId = rec.newRequestId();
      const request = { userId: user.userId, sessionId: rec.sessionId, requestId, time: rec.now, limit: ctx.pageSize, itemId: item.itemId };
      const similar = ctx.backend.recommend(request);
      const items = this.served(similar.items, 'recommend');
      const intent = view.intent ?? { leafId: item.leafId };
      if (items.length > 0) this.browse({ requestId, surface: 'similar', intent, items, depth: 1, seedItemId: item.itemId, ...logged(items, similar) });
    }
    rec.advance(rng.uniform(1_000, 4_000));
    return bought;
  }

  private decideToBuy(requestId: string, judgement: Judgement, dwell: number): boolean {
    const { rng, rec, ctx } = this;
    const item = judgement.item;
    const model = ctx.model;
    const buyAppeal = purchaseAppeal(model, judgement);
    const record = ctx.world.items[item.index] as Item;
    const maxQuantity = ctx.world.catalog.leaves[item.leafIndex]?.spec.maxQuantity ?? 1;
    const quantity = maxQuantity > 1 && rng.bool(0.2) ? rng.intBetween(2, maxQuantity) : 1;
    const order = { quantity, price: record.price ?? 0 };
    if (rng.bool(sigmoid(model.cartBias + buyAppeal))) {
      rec.advance(dwell * 0.6);
      rec.addToCart(requestId, item.itemId, quantity);
      if (!rng.bool(sigmoid(model.checkoutBias + 0.5 * buyAppeal))) {
        rec.advance(dwell * 0.4);
        return false;
      }
      rec.advance(rng.logNormal(Math.log(60_000), 0.5));
      rec.purchase(requestId, item.itemId, order);
      return true;
    }
    if (!rng.bool(sigmoid(model.buyNowBias + buyAppeal))) {
      rec.advance(dwell);
      return false;
    }
    rec.advance(dwell * 0.8);
    rec.purchase(requestId, item.itemId, order);
    return true;
  }

  /** The first `limit` entries of a backend's answer, checked to be non-empty strings. */
  private served(list: unknown, method: 'search' | 'recommend' | 'suggest'): string[] {
    const limit = method === 'suggest' ? this.ctx.suggestionLimit : this.ctx.pageSize;
    if (!Array.isArray(list)) throw new InvalidArgumentError(`backend.${method} must return an array of strings, got ${typeof list}`);
    const shown = list.slice(0, limit);
    shown.forEach((entry: unknown, i) => {
      if (typeof entry !== 'string' || (method !== 'suggest' && entry.length === 0)) {
        throw new InvalidArgumentError(`backend.${method} returned ${JSON.stringify(entry)} at position ${i + 1}; entries must be non-empty strings`);
      }
    });
    return shown as string[];
  }
}
