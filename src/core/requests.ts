/**
 * The engine's requests: `search`, `recommend` and `suggest`, validated the same way whether they come
 * from a library call, the HTTP API (which also accepts a short GET form) or the CLI.
 */

import { z } from 'zod';
import { IdSchema, ItemKindSchema, QuerySourceSchema, RECORD_LIMITS, TimestampSchema } from './schemas.js';

export const REQUEST_LIMITS = {
  maxLimit: 100,
  maxOffset: 1_000,
  maxFilterValues: 100,
  maxSuggestions: 50,
  /** Chips of `guess`, queries of `related`. */
  maxQueryChips: 20,
  /** The most records one HTTP write may carry (items, users or events). */
  maxBatch: 1_000,
} as const;

/**
 * A caller-supplied request id: shorter than other ids, because the events a served list logs derive
 * their ids from it (`<requestId>:impression`) and must fit the 256-character id limit.
 */
export const RequestIdSchema = IdSchema.max(200, 'must be at most 200 characters');

const FilterValueSchema = z.string().min(1).max(RECORD_LIMITS.nameLength);
const FilterValuesSchema = z.array(FilterValueSchema).min(1).max(REQUEST_LIMITS.maxFilterValues);

/** Restrictions on which items may be returned; all given ones must hold. */
export const FiltersSchema = z
  .strictObject({
    /** Category path prefix, root first: `["数码"]` keeps phones, laptops, ... */
    category: z.array(FilterValueSchema).min(1).max(RECORD_LIMITS.categoryDepth).optional(),
    brands: FilterValuesSchema.optional(),
    shops: FilterValuesSchema.optional(),
    regions: FilterValuesSchema.optional(),
    kinds: z.array(ItemKindSchema).min(1).optional(),
    priceMin: z.number().nonnegative().finite().optional(),
    priceMax: z.number().nonnegative().finite().optional(),
  })
  .refine((f) => f.priceMin === undefined || f.priceMax === undefined || f.priceMin <= f.priceMax, {
    message: 'priceMin must not exceed priceMax',
    path: ['priceMin'],
  });
export type Filters = z.output<typeof FiltersSchema>;

const commonRequest = {
  userId: IdSchema.optional(),
  limit: z.int().min(1).max(REQUEST_LIMITS.maxLimit).default(20),
  offset: z.int().min(0).max(REQUEST_LIMITS.maxOffset).default(0),
  filters: FiltersSchema.default({}),
  /** Attach the per-request trace and each result's explanation. */
  explain: z.boolean().default(false),
  /**
   * Supplied by the caller to join later events to this request; generated when absent. One id, one
   * request: a second request logged under the same id is not logged again.
   */
  requestId: RequestIdSchema.optional(),
  sessionId: IdSchema.optional(),
  /** The request's time (default: now); decayed statistics are taken as of this time. */
  time: TimestampSchema.optional(),
  /**
   * Record the query and the list served as events (`query`, `impression`). Absent means no in the
   * library and yes over HTTP, where the served lists are the log the models learn from.
   */
  log: z.boolean().optional(),
};

export const SearchRequestSchema = z.strictObject({
  /** The text typed; empty browses the (filtered) catalog by popularity. */
  query: z.string().max(RECORD_LIMITS.queryLength).default(''),
  /** How the query came to be issued (typed, or taken from a suggestion, hint, guess chip, refinement chip or related search); logged with its query event. */
  source: QuerySourceSchema.optional(),
  ...commonRequest,
});
export type SearchRequestInput = z.input<typeof SearchRequestSchema>;
export type SearchRequest = z.output<typeof SearchRequestSchema>;

export const RecommendRequestSchema = z.strictObject({
  /** Items like this one ("similar items"); without it, recommendations for `userId` (or popular ones). */
  itemId: IdSchema.optional(),
  ...commonRequest,
});
export type RecommendRequestInput = z.input<typeof RecommendRequestSchema>;
export type RecommendRequest = z.output<typeof RecommendRequestSchema>;

export const SuggestRequestSchema = z.strictObject({
  /** What the user has typed so far. */
  prefix: z.string().max(RECORD_LIMITS.queryLength),
  userId: IdSchema.optional(),
  limit: z.int().min(1).max(REQUEST_LIMITS.maxSuggestions).default(10),
  requestId: RequestIdSchema.optional(),
  time: TimestampSchema.optional(),
  explain: z.boolean().default(false),
});
export type SuggestRequestInput = z.input<typeof SuggestRequestSchema>;
export type SuggestRequest = z.output<typeof SuggestRequestSchema>;

/** The hint word ("底纹") for a user's empty search box; each answer counts as one exposure. */
export const HintRequestSchema = z.strictObject({
  userId: IdSchema,
  requestId: RequestIdSchema.optional(),
  time: TimestampSchema.optional(),
});
export type HintRequestInput = z.input<typeof HintRequestSchema>;
export type HintRequest = z.output<typeof HintRequestSchema>;

/** "Guess what you want to search" chips; without `userId`, the cold-start chips. */
export const GuessRequestSchema = z.strictObject({
  userId: IdSchema.optional(),
  limit: z.int().min(1).max(REQUEST_LIMITS.maxQueryChips).default(8),
  requestId: RequestIdSchema.optional(),
  time: TimestampSchema.optional(),
});
export type GuessRequestInput = z.input<typeof GuessRequestSchema>;
export type GuessRequest = z.output<typeof GuessRequestSchema>;

/**
 * Related searches: the queries searched after `query`, or (`itemId`) the queries that led users to
 * the item, for one coming back to the list (the user's latest search left out). Exactly one of the two.
 */
export const RelatedRequestSchema = z
  .strictObject({
    query: z.string().trim().min(1, 'must not be empty').max(RECORD_LIMITS.queryLength).optional(),
    itemId: IdSchema.optional(),
    userId: IdSchema.optional(),
    limit: z.int().min(1).max(REQUEST_LIMITS.maxQueryChips).default(10),
    requestId: RequestIdSchema.optional(),
  })
  .refine((r) => (r.query === undefined) !== (r.itemId === undefined), { message: 'give exactly one of query and itemId', path: ['query'] });
export type RelatedRequestInput = z.input<typeof RelatedRequestSchema>;
export type RelatedRequest = z.output<typeof RelatedRequestSchema>;
