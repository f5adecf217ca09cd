/**
 * The engine's configuration: which stages run for each kind of request and their knobs. Every field
 * has a default; a configuration file (`quarry serve --config FILE`) gives only what it changes. A
 * stage's knobs default to the stage's own `DEFAULT_...` object, so each default is written once.
 */

import { z } from 'zod';
import { parseOrThrow } from '../core/index.js';
import { DEFAULT_POPULARITY_CONFIG, DEFAULT_USER_HISTORY_CONFIG } from '../features/index.js';
import { DEFAULT_POPULARITY_RANKER_CONFIG } from '../rank/index.js';
import { DEFAULT_TERM_MATCH_CONFIG, DEFAULT_USER_CATEGORY_CONFIG } from '../recall/index.js';
import { DEFAULT_POPULAR_PREFIX_CONFIG } from '../suggest/index.js';

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
  termMatch: z.strictObject({ minCoverage: z.number().gt(0).max(1).default(DEFAULT_TERM_MATCH_CONFIG.minCoverage) }).prefault({}),
  userCategory: z
    .strictObject({
      maxCategories: z.int().min(1).max(50).default(DEFAULT_USER_CATEGORY_CONFIG.maxCategories),
      weights: z
        .strictObject({
          click: z.number().nonnegative().default(DEFAULT_USER_CATEGORY_CONFIG.weights.click),
          add_to_cart: z.number().nonnegative().default(DEFAULT_USER_CATEGORY_CONFIG.weights.add_to_cart),
          purchase: z.number().nonnegative().default(DEFAULT_USER_CATEGORY_CONFIG.weights.purchase),
        })
        .prefault({}),
    })
    .prefault({}),
  rank: z
    .strictObject({
      ranker: z.enum(RANKERS).default('popularity'),
      popularityWeight: z.number().nonnegative().default(DEFAULT_POPULARITY_RANKER_CONFIG.popularityWeight),
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
      halfLifeDays: z.number().positive().default(DEFAULT_POPULARITY_CONFIG.halfLifeDays),
      weights: z
        .strictObject({
          impression: z.number().nonnegative().default(DEFAULT_POPULARITY_CONFIG.weights.impression),
          click: z.number().nonnegative().default(DEFAULT_POPULARITY_CONFIG.weights.click),
          add_to_cart: z.number().nonnegative().default(DEFAULT_POPULARITY_CONFIG.weights.add_to_cart),
          purchase: z.number().nonnegative().default(DEFAULT_POPULARITY_CONFIG.weights.purchase),
        })
        .prefault({}),
    })
    .prefault({}),
  userHistory: z
    .strictObject({
      maxInteractions: z.int().min(1).max(10_000).default(DEFAULT_USER_HISTORY_CONFIG.maxInteractions),
      maxQueries: z.int().min(1).max(10_000).default(DEFAULT_USER_HISTORY_CONFIG.maxQueries),
    })
    .prefault({}),
  suggest: z
    .strictObject({
      /** A query issued by fewer distinct users is never suggested. */
      minUsers: z.int().min(1).default(DEFAULT_POPULAR_PREFIX_CONFIG.minUsers),
      maxLength: z.int().min(1).max(1_000).default(DEFAULT_POPULAR_PREFIX_CONFIG.maxLength),
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
