import type { Event } from '../core/index.js';
import type { Store } from '../store/index.js';

export interface EventLogOptions {
  flushIntervalMs: number;
  /** Pending events beyond this are dropped (and counted): served-list logging must not exhaust memory. */
  maxPending: number;
  /** Told when a background flush fails; the events stay pending and are retried. */
  onError: (error: unknown) => void;
}

export interface EventLogStats {
  pending: number;
  written: number;
  duplicates: number;
  dropped: number;
  failedFlushes: number;
}

/**
 * Writes the events the engine itself produces (the query and the list served for a request with
 * `log: true`) to the store in batches, off the request's path. At most `flushIntervalMs` of them are
 * at risk on a crash; `close()` (graceful shutdown) writes all that is pending. Events clients post
 * are not buffered here: they are written before the request is answered.
 */
export class EventLogWriter {
  private pending: Event[] = [];
  private flushing: Promise<void> | undefined;
  private readonly timer: NodeJS.Timeout;
  private closed = false;
  private readonly counters = { written: 0, duplicates: 0, dropped: 0, failedFlushes: 0 };

  constructor(
    private readonly store: Store,
    private readonly options: EventLogOptions,
  ) {
    this.timer = setInterval(() => this.flushInBackground(), options.flushIntervalMs);
    this.timer.unref();
  }

  /** Queues events for the next flush; returns those queued (the rest were dropped: the queue is full). */
  enqueue(events: readonly Event[]): readonly Event[] {
    const room = Math.max(0, this.options.maxPending - this.pending.length);
    const queued = events.length <= room ? events : events.slice(0, room);
    this.counters.dropped += events.length - queued.length;
    this.pending.push(...queued);
    if (this.closed) this.flushInBackground();
    return queued;
  }

  stats(): EventLogStats {
    return { pending: this.pending.length, ...this.counters };
  }

  /** Writes everything pending now (waits for a flush already under way first). */
  async flush(): Promise<void> {
    while (this.flushing !== undefined) await this.flushing;
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    this.flushing = this.write(batch).finally(() => {
      this.flushing = undefined;
    });
    await this.flushing;
  }

  /** Stops the timer and writes what is pending. */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    await this.flush();
  }

  private async write(batch: Event[]): Promise<void> {
    try {
      const result = await this.store.appendEvents(batch);
      this.counters.written += result.accepted;
      this.counters.duplicates += result.duplicates;
    } catch (error) {
      this.counters.failedFlushes++;
      this.pending = batch.concat(this.pending);
      throw error;
    }
  }

  private flushInBackground(): void {
    if (this.pending.length === 0 || this.flushing !== undefined) return;
    this.flush().catch(this.options.onError);
  }
}
