/**
 * Writes one session's events: core Event records with deterministic ids (`r…` requests, `e…` events)
 * from the session's id stream, and times from a clock that only moves forward.
 */

import type { Event, ImpressionEvent, QuerySource, Rng, Surface } from '../core/index.js';

export class SessionRecorder {
  readonly events: Event[] = [];
  private time: number;

  constructor(
    readonly userId: string,
    readonly sessionId: string,
    start: number,
    private readonly ids: Rng,
    /** Told each event as it is recorded (a backend that learns live). */
    private readonly onEvent?: (event: Event) => void,
  ) {
    this.time = start;
  }

  /** The session clock, epoch ms. */
  get now(): number {
    return this.time;
  }

  /** Moves the clock forward by `ms` (rounded, at least 1 ms, so events never share a time). */
  advance(ms: number): number {
    this.time += Math.max(1, Math.round(ms));
    return this.time;
  }

  newRequestId(): string {
    return `r${this.ids.id(12)}`;
  }

  query(request: { requestId: string; query: string; source: QuerySource; resultCount: number }): void {
    const { requestId, query, source, resultCount } = request;
    this.push({ ...this.base(requestId), type: 'query', query, source, resultCount });
  }

  /**
   * The list shown: each item with its position, and what the backend gave beside it: its recall score
   * and, for an ad, the price per click its auction set (so ad revenue can be counted from the log).
   */
  impression(
    request: { requestId: string; surface: Surface; query?: string; seedItemId?: string },
    itemIds: readonly string[],
    recallScores?: readonly number[],
    cpcs?: readonly (number | undefined)[],
  ): void {
    const event: ImpressionEvent = {
      ...this.base(request.requestId),
      type: 'impression',
      surface: request.surface,
      items: itemIds.map((itemId, i) => {
        const recallScore = recallScores?.[i];
        const cpc = cpcs?.[i];
        return { itemId, position: i + 1, ...(recallScore === undefined ? {} : { recallScore }), ...(cpc === undefined ? {} : { cpc }) };
      }),
    };
    if (request.query !== undefined) event.query = request.query;
    if (request.seedItemId !== undefined) event.seedItemId = request.seedItemId;
    this.push(event);
  }

  click(requestId: string, itemId: string, position: number): void {
    this.push({ ...this.base(requestId), type: 'click', itemId, position });
  }

  addToCart(requestId: string, itemId: string, quantity: number): void {
    this.push({ ...this.base(requestId), type: 'add_to_cart', itemId, quantity });
  }

  purchase(requestId: string, itemId: string, order: { quantity: number; price: number }): void {
    this.push({ ...this.base(requestId), type: 'purchase', itemId, quantity: order.quantity, price: order.price });
  }

  suggestionClick(requestId: string, choice: { prefix: string; suggestion: string; position: number }): void {
    this.push({ ...this.base(requestId), type: 'suggestion_click', ...choice });
  }

  private base(requestId: string): { eventId: string; userId: string; time: number; requestId: string; sessionId: string } {
    return { eventId: `e${this.ids.id(12)}`, userId: this.userId, time: this.time, requestId, sessionId: this.sessionId };
  }

  private push(event: Event): void {
    this.events.push(event);
    this.onEvent?.(event);
  }
}
