/**
 * One simulated visit: a search session (1-3 queries, reformulated narrower or broader after a poor
 * list, sometimes started from a suggestion) or a feed session, with clicks, item pages, similar
 * items, carts and purchases, all written as core events in time order.
 */

import { InvalidArgumentError, RECORD_LIMITS, type Event, type Item, type Rng, type Surface } from '../core/index.js';
import { appeal, clickProbability, examination, purchaseAppeal, type ClickModel, type Judgement } from './click-model.js';
import { broadenIntent, drawIntent, gradeRelevance, isBroad, narrowIntent, type Intent } from './intent.js';
import type { ItemTruth } from './item-truth.js';
import { sigmoid } from './latent.js';
import { drawStyle, typedPrefix, writeQuery, type WrittenQuery } from './query-writer.js';
import { SessionRecorder } from './session-recorder.js';
import type { ShopBackend } from './shop-backend.js';
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
  const run = new SessionRun(ctx, plan.rng, user, new SessionRecorder(user.userId, sessionId, plan.start, ids));
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
    for (let q = 0; q < ctx.behaviour.maxQueries; q++) {
      const leaf = ctx.world.leaf(intent.leafId);
      const written = writeQuery({ rng, leaf, intent, style: drawStyle(rng, user.inputStyle), typoRate });
      const { text, source } = this.compose(written, intent, q === 0);
      const requestId = rec.newRequestId();
      this.searches.push({ requestId, query: text, intent });
      const request = { query: text, userId: user.userId, sessionId: rec.sessionId, requestId, time: rec.now, limit: ctx.pageSize };
      const page = ctx.backend.search(request);
      const items = this.served(page.items, 'search');
      rec.query({ requestId, query: text, source, resultCount: page.total ?? items.length });
      const recallScores = scoresFor(items, page.recallScores);
      const outcome = items.length === 0 ? NOTHING : this.browse({ requestId, surface: 'search', query: text, intent, items, depth: 0, recallScores });
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
    if (items.length > 0) this.browse({ requestId, surface: 'recommend', intent: undefined, items, depth: 0, recallScores: scoresFor(items, feed.recallScores) });
    if (rng.bool(ctx.behaviour.searchAfterFeed)) {
      rec.advance(rng.uniform(2_000, 8_000));
      this.search(drawIntent(rng, ctx.world.catalog, user));
    }
  }

  /** Types the query in full, or types a prefix and takes a fitting suggestion. */
  private compose(written: WrittenQuery, intent: Intent, firstQuery: boolean): { text: string; source: 'typed' | 'suggestion' } {
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
    for (let i = 0; i < suggestions.length; i++) {
      const suggestion = suggestions[i] as string;
      // Each suggestion is read with a chance falling with its position, like list items but gentler.
      if (suggestion.length === 0 || suggestion.length > RECORD_LIMITS.queryLength || !rng.bool(Math.pow(i + 1, -0.5))) continue;
      if (!rng.bool(this.acceptance(suggestion, written, intent))) continue;
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

  /** Logs the impression, then walks down the list: examine, maybe click, visit the item's page. */
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
    );
    rec.advance(rng.uniform(300, 900));
    const outcome = { clicks: 0, purchases: 0 };
    let lastRank = 0;
    for (let i = 0; i < view.items.length; i++) {
      const rank = i + 1;
      const index = ctx.world.indexOfItem(view.items[i] as string);
      // Ids the world does not know are shown but never chosen: there is nothing to judge them by.
      if (index === undefined || !rng.bool(examination(ctx.model, { rank, satisfied: outcome.purchases > 0 }))) continue;
      const item = ctx.world.itemTruths[index] as ItemTruth;
      const attributes = (ctx.world.items[index] as Item).attributes;
      const judgement: Judgement = { user, item, relevance: view.intent && gradeRelevance(view.intent, item, attributes) };
      if (!rng.bool(clickProbability(ctx.model, appeal(ctx.model, judgement)))) continue;
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
      const recallScores = scoresFor(items, similar.recallScores);
      if (items.length > 0) this.browse({ requestId, surface: 'similar', intent, items, depth: 1, seedItemId: item.itemId, recallScores });
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
