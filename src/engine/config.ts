/**
 * The engine's configuration: which stages run for each kind of request and their knobs. Every field
 * has a default; a configuration file (`quarry serve --config FILE`) gives only what it changes.
 */

import { z } from 'zod';
import { parseOrThrow } from '../core/index.js';

/** The stage implementations the engine knows, by configuration name. */
export const RECALL_CHANNELS = ['term-match', 'popular', 'user-category', 'same-category'] as const;
export const RANKERS = ['popularity'] as const;
export const RERANKERS = ['noop'] as const;

const channelList = z.array(z.enum(RECALL_CHANNELS)).min(1);

export const EngineConfigSchema = z.strictObject({
  recall: z
    .strictObject({
      /** Channels per request kind, run in this order. */
      channels: z
        .strictObject({
          search: channelList.default(['term-match']),
          browse: channelList.default(['popular']),
          recommend: channelList.default(['user-category', 'popular']),
          similar: channelList.default(['same-category']),
        })
        .prefault({}),
      /** Candidates asked of each channel. */
      candidatesPerChannel: z.int().min(1).max(100_000).default(500),
      /** Candidates kept after merging, the most the ranker scores. */
      maxCandidates: z.int().min(1).max(100_000).default(1_000),
      /** Per-channel weights in the merge (default 1). */
      weights: z.partialRecord(z.enum(RECALL_CHANNELS), z.number().nonnegative()).default({}),
    })
    .prefault({}),
  termMatch: z.strictObject({ minCoverage: z.number().gt(0).max(1).default(0.6) }).prefault({}),
  userCategory: z
    .strictObject({
      maxCategories: z.int().min(1).max(50).default(3),
      weights: z
        .strictObject({
          click: z.number().nonnegative().default(1),
          add_to_cart: z.number().nonnegative().default(2),
          purchase: z.number().nonnegative().default(3),
        })
        .prefault({}),
    })
    .prefault({}),
  rank: z
    .strictObject({
      ranker: z.enum(RANKERS).default('popularity'),
      popularityWeight: z.number().nonnegative().default(0.3),
    })
    .prefault({}),
  rerank: z
    .strictObject({
      rerankers: z.array(z.enum(RERANKERS)).default(['noop']),
      /** How much of the ranked list the rerankers see; the rest keeps the ranker's order. */
      depth: z.int().min(1).max(10_000).default(200),
    })
    .prefault({}),
  popularity: z
    .strictObject({
      halfLifeDays: z.number().positive().default(7),
      weights: z
        .strictObject({
          impression: z.number().nonnegative().default(0),
          click: z.number().nonnegative().default(1),
          add_to_cart: z.number().nonnegative().default(3),
          purchase: z.number().nonnegative().default(5),
        })
        .prefault({}),
    })
    .prefault({}),
  userHistory: z
    .strictObject({
      maxInteractions: z.int().min(1).max(10_000).default(50),
      maxQueries: z.int().min(1).max(10_000).default(20),
    })
    .prefault({}),
  suggest: z
    .strictObject({
      /** A query issued by fewer distinct users is never suggested. */
      minUsers: z.int().min(1).default(2),
      maxLength: z.int().min(1).max(1_000).default(100),
    })
    .prefault({}),
  /** Events replayed into memory at start-up: the last this many days before the newest event. */
  historyDays: z.number().positive().default(90),
  /** The most records one write call (and one HTTP batch) may carry. */
  maxBatch: z.int().min(1).max(100_000).default(1_000),
  /** Served lists logged with `log: true` are written in batches. */
  eventLog: z
    .strictObject({
      flushIntervalMs: z.int().min(1).max(60_000).default(200),
      maxPending: z.int().min(1).max(1_000_000).default(5_000),
    })
    .prefault({}),
});

export type EngineConfigInput = z.input<typeof EngineConfigSchema>;
export type EngineConfig = z.output<typeof EngineConfigSchema>;

/** Every default, as one object. */
export const DEFAULT_ENGINE_CONFIG: EngineConfig = EngineConfigSchema.parse({});

/**
 * Validates a (partial) configuration and fills in the defaults.
 * @throws InvalidArgumentError naming the first bad field, e.g. an unknown channel name.
 */
export function resolveEngineConfig(input: unknown = {}): EngineConfig {
  return parseOrThrow(EngineConfigSchema, input, 'engine configuration');
}
