import type { Event, ImpressionEvent, Item } from '../core/index.js';
import { CancelledError, InvalidArgumentError } from '../core/index.js';
import { FeatureContext, type FeatureContextConfig, DEFAULT_FEATURE_CONTEXT_CONFIG, type RawFeatures } from '../features/index.js';

/** One shown item with its features as of the impression and the outcomes that followed. */
export interface Sample {
  requestId: string;
  userId: string;
  itemId: string;
  /** The impression's time, epoch ms. */
  time: number;
  position: number;
  query: string | undefined;
  /** 1 when the item was clicked within the click window. */
  click: 0 | 1;
  /** 1 when the item was bought within the purchase window. */
  purchase: 0 | 1;
  features: RawFeatures;
}

export interface SampleBuilderConfig {
  /** A click counts for an impression this long after it. Default 30 minutes. */
  clickWindowMs: number;
  /** A purchase counts for an impression this long after it. Default 24 hours. */
  purchaseWindowMs: number;
  /** Which surfaces give samples. Default all. */
  surfaces: readonly ImpressionEvent['surface'][];
  features: FeatureContextConfig;
}

export const DEFAULT_SAMPLE_BUILDER_CONFIG: SampleBuilderConfig = {
  clickWindowMs: 30 * 60_000,
  purchaseWindowMs: 24 * 3_600_000,
  surfaces: ['search', 'recommend', 'similar'],
  features: DEFAULT_FEATURE_CONTEXT_CONFIG,
};

interface Pending {
  sample: Sample;
  /** When the last window closes and the sample can be emitted. */
  closesAt: number;
}

/**
 * Joins impressions to the clicks and purchases that followed them, one sample per shown item, with
 * features computed as of the impression.
 *
 * Events must come in time order (as `Store.readEvents` gives them). An outcome is attributed by
 * request id and item when it carries a request id, else to the same user's latest open impression of
 * the item. Each impression's features are extracted *before* the impression itself (or anything
 * later) is observed, which is what makes them point-in-time correct.
 */
export class SampleBuilder {
  readonly context: FeatureContext;
  private readonly config: SampleBuilderConfig;
  /** Open samples in impression order (events come in time order, so this is also close order). */
  private readonly queue: Pending[] = [];
  private head = 0;
  private readonly byRequest = new Map<string, Pending>();
  private readonly byUser = new Map<string, Pending>();
  private lastTime = -Infinity;

  constructor(
    private readonly itemById: (itemId: string) => Item | undefined,
    config: Partial<SampleBuilderConfig> = {},
  ) {
    this.config = { ...DEFAULT_SAMPLE_BUILDER_CONFIG, ...config };
    this.context = new FeatureContext(itemById, this.config.features);
  }

  /**
   * Takes the next event; returns the samples whose attribution windows closed before it.
   * @throws InvalidArgumentError when events go back in time.
   */
  push(event: Event): Sample[] {
    if (event.time < this.lastTime) {
      throw new InvalidArgumentError(`events must come in time order: ${event.eventId} at ${event.time} follows ${this.lastTime}`);
    }
    this.lastTime = event.time;
    const closed = this.closeBefore(event.time);
    if (event.type === 'impression' && this.config.surfaces.includes(event.surface)) this.open(event);
    else if (event.type === 'click' || event.type === 'purchase') this.attribute(event.type, event);
    this.context.observe(event);
    return closed;
  }

  /** Every sample still open (the end of the log: their windows may be incomplete). */
  finish(): Sample[] {
    return this.closeBefore(Infinity);
  }

  private open(event: ImpressionEvent): void {
    const closesAt = event.time + Math.max(this.config.clickWindowMs, this.config.purchaseWindowMs);
    for (const shown of event.items) {
      const item = this.itemById(shown.itemId);
      if (item === undefined) continue;
      const context = { userId: event.userId, query: event.query, surface: event.surface, time: event.time, position: shown.position, seedItemId: event.seedItemId };
      const sample: Sample = {
        requestId: event.requestId,
        userId: event.userId,
        itemId: shown.itemId,
        time: event.time,
        position: shown.position,
        query: event.query,
        click: 0,
        purchase: 0,
        features: this.context.extract(context, item, { recallScore: shown.recallScore }),
      };
      const pending = { sample, closesAt };
      this.queue.push(pending);
      this.byRequest.set(`${event.requestId}\u0000${shown.itemId}`, pending);
      this.byUser.set(`${event.userId}\u0000${shown.itemId}`, pending);
    }
  }

  private attribute(type: 'click' | 'purchase', event: Event & { itemId: string }): void {
    const pending =
      (event.requestId === undefined ? undefined : this.byRequest.get(`${event.requestId}\u0000${event.itemId}`)) ??
      this.byUser.get(`${event.userId}\u0000${event.itemId}`);
    if (pending === undefined || pending.sample.userId !== event.userId) return;
    const window = type === 'click' ? this.config.clickWindowMs : this.config.purchaseWindowMs;
    if (event.time - pending.sample.time > window) return;
    pending.sample[type] = 1;
  }

  private closeBefore(time: number): Sample[] {
    const closed: Sample[] = [];
    while (this.head < this.queue.length && (this.queue[this.head] as Pending).closesAt < time) {
      const pending = this.queue[this.head++] as Pending;
      const { requestId, userId, itemId } = pending.sample;
      if (this.byRequest.get(`${requestId}\u0000${itemId}`) === pending) this.byRequest.delete(`${requestId}\u0000${itemId}`);
      if (this.byUser.get(`${userId}\u0000${itemId}`) === pending) this.byUser.delete(`${userId}\u0000${itemId}`);
      closed.push(pending.sample);
    }
    if (this.head > 4096 && this.head * 2 > this.queue.length) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
    return closed;
  }
}

/**
 * Builds all samples of an event stream (time order).
 * @throws CancelledError when `signal` aborts.
 */
export async function buildSamples(
  events: AsyncIterable<Event> | Iterable<Event>,
  itemById: (itemId: string) => Item | undefined,
  options: { config?: Partial<SampleBuilderConfig>; signal?: AbortSignal; onProgress?: (events: number) => void } = {},
): Promise<{ samples: Sample[]; builder: SampleBuilder }> {
  const builder = new SampleBuilder(itemById, options.config);
  const samples: Sample[] = [];
  let n = 0;
  for await (const event of events) {
    for (const sample of builder.push(event)) samples.push(sample);
    if (++n % 10_000 === 0) {
      if (options.signal?.aborted === true) throw new CancelledError(`sample building stopped after ${n} events`);
      options.onProgress?.(n);
    }
  }
  for (const sample of builder.finish()) samples.push(sample);
  options.onProgress?.(n);
  return { samples, builder };
}
