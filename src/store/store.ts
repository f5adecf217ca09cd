/**
 * The persistence interface. Quarry's default is the embedded SQLite store (`SqliteStore`); another
 * backend (PostgreSQL when one machine is not enough) implements this same interface and must pass the
 * shared suite in `store-suite.ts`.
 *
 * Every method is async so a networked backend can implement it. Records passed in are already
 * validated (`core` schemas); the store checks only what it alone can (uniqueness, versions).
 */

import type { Event, EventType, Item, QueryEvent, User } from '../core/index.js';

export interface UpsertResult {
  inserted: number;
  updated: number;
}

export interface AppendResult {
  /** Events written by this call. */
  accepted: number;
  /** Events whose `eventId` was already stored (or repeated within the batch): skipped, not an error. */
  duplicates: number;
  /**
   * The positions in the batch of those skipped events, ascending (empty for a batch of new events).
   * An id repeated within the batch is stored at its first position and skipped at the later ones.
   */
  duplicateIndexes: number[];
}

/** Which events to read. Times are epoch milliseconds; `from` is inclusive, `to` exclusive. */
export interface EventQuery {
  from?: number;
  to?: number;
  types?: readonly EventType[];
  userId?: string;
  /** Stop after this many events. */
  limit?: number;
}

/** A query string as it was issued, aggregated over a time range. */
export interface QueryCount {
  query: string;
  /** How many query events carried this exact string. */
  count: number;
  /** How many distinct users issued it. */
  users: number;
  firstTime: number;
  lastTime: number;
}

export interface ModelInfo {
  name: string;
  /** 1, 2, 3, ... per name, assigned by the store. */
  version: number;
  /** The version of the blob's own encoding; readers refuse formats they do not know. */
  formatVersion: number;
  createdAt: number;
  meta: Record<string, unknown>;
  bytes: number;
}

export interface ModelRecord extends ModelInfo {
  data: Uint8Array;
}

export interface NewModel {
  name: string;
  formatVersion: number;
  meta?: Record<string, unknown>;
  data: Uint8Array;
  /** Defaults to the store's clock. */
  createdAt?: number;
}

export interface EventCounts {
  total: number;
  byType: Record<EventType, number>;
  /** Earliest and latest event time, absent when there are no events. */
  firstTime?: number;
  lastTime?: number;
}

export interface Store {
  /** A short name of the backend (`sqlite`). */
  readonly kind: string;

  /** Inserts or replaces items by id, atomically: all of the batch or none of it. */
  upsertItems(items: readonly Item[]): Promise<UpsertResult>;
  /** Removes an item; false when there was none with that id. */
  deleteItem(id: string): Promise<boolean>;
  getItem(id: string): Promise<Item | undefined>;
  /** Every item, in first-insertion order (stable across restarts: dense ids are given in this order). */
  scanItems(): AsyncIterable<Item>;
  countItems(): Promise<number>;

  upsertUsers(users: readonly User[]): Promise<UpsertResult>;
  getUser(id: string): Promise<User | undefined>;
  scanUsers(): AsyncIterable<User>;
  countUsers(): Promise<number>;

  /**
   * Appends events atomically (all of the batch or none of it) and idempotently: an event whose
   * `eventId` is already stored is skipped and counted as a duplicate, so a retried batch never
   * duplicates anything.
   */
  appendEvents(events: readonly Event[]): Promise<AppendResult>;
  /** Events in time order (ties in append order), for training and replay. */
  readEvents(query?: EventQuery): AsyncIterable<Event>;
  countEvents(query?: Omit<EventQuery, 'limit'>): Promise<EventCounts>;
  /** The query log: query events aggregated by exact query string, most frequent first. */
  queryCounts(query?: { from?: number; to?: number; minUsers?: number; limit?: number }): Promise<QueryCount[]>;
  /** Raw query events in time order (a convenience over `readEvents`). */
  readQueries(query?: { from?: number; to?: number; limit?: number }): AsyncIterable<QueryEvent>;

  /** Stores a new version of a named blob (model, index snapshot); versions count up from 1 per name. */
  putModel(model: NewModel): Promise<ModelInfo>;
  /** A version of a named blob, the latest when `version` is omitted; undefined when absent. */
  getModel(name: string, version?: number): Promise<ModelRecord | undefined>;
  /** Versions of one name (or of all names), newest first within a name. */
  listModels(name?: string): Promise<ModelInfo[]>;
  deleteModel(name: string, version: number): Promise<boolean>;

  /** Small key/value settings kept with the data (e.g. the simulation that produced it). */
  getMeta(key: string): Promise<string | undefined>;
  setMeta(key: string, value: string): Promise<void>;

  /** The schema version the store's data is at after migrations. */
  schemaVersion(): Promise<number>;
  /** Flushes and releases the store; later calls fail with UNAVAILABLE. */
  close(): Promise<void>;
}
