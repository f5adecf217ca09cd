/**
 * The HTTP API's own schemas: the short GET forms of the requests (flat query strings) and the
 * response bodies. Request bodies reuse the core schemas. These same schemas validate requests,
 * shape responses and generate `/openapi.json`.
 */

import { z } from 'zod';
import {
  EventSchema,
  IdSchema,
  ItemKindSchema,
  ItemSchema,
  QuerySourceSchema,
  RECORD_LIMITS,
  REQUEST_LIMITS,
  RequestIdSchema,
  UserSchema,
  type Filters,
} from '../core/index.js';

const integerText = (name: string) => z.string().regex(/^\d{1,9}$/, `${name} must be a whole number`).transform(Number);
const numberText = (name: string) =>
  z.string().regex(/^\d+(\.\d+)?$/, `${name} must be a non-negative number`).transform(Number);
const booleanText = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
/** `brand=a,b` or `brand=a&brand=b`. */
const listText = z
  .union([z.string(), z.array(z.string())])
  .transform((v) => (Array.isArray(v) ? v : [v]).flatMap((s) => s.split(',')).map((s) => s.trim()).filter((s) => s !== ''));

/** Filters in their flat GET form. */
const filterParams = {
  category: z.string().max(1_000).optional().describe('category path prefix, root first, separated by ">" (数码>手机)'),
  brand: listText.optional().describe('brands, comma-separated or repeated'),
  shop: listText.optional(),
  region: listText.optional(),
  kind: listText.pipe(z.array(ItemKindSchema)).optional(),
  priceMin: numberText('priceMin').optional(),
  priceMax: numberText('priceMax').optional(),
};

const commonParams = {
  user: IdSchema.optional(),
  limit: integerText('limit').optional(),
  offset: integerText('offset').optional(),
  explain: booleanText.optional(),
  requestId: RequestIdSchema.optional(),
  session: IdSchema.optional(),
  log: booleanText.optional(),
};

export const SearchQuerySchema = z.strictObject({
  q: z.string().max(RECORD_LIMITS.queryLength).default('').describe('the query; empty browses by popularity'),
  source: QuerySourceSchema.optional().describe('how the query was issued: typed, suggestion, hint, guess, refinement, related (logged with the query)'),
  ...commonParams,
  ...filterParams,
});

export const RecommendQuerySchema = z.strictObject({
  item: IdSchema.optional().describe('recommend items like this one'),
  ...commonParams,
  ...filterParams,
});

export const SuggestQuerySchema = z.strictObject({
  q: z.string().max(RECORD_LIMITS.queryLength).describe('what the user has typed so far'),
  user: IdSchema.optional(),
  limit: integerText('limit').optional(),
  requestId: RequestIdSchema.optional(),
  explain: booleanText.optional(),
});

export const HintQuerySchema = z.strictObject({
  user: IdSchema.describe('the user whose empty search box shows the hint'),
  requestId: RequestIdSchema.optional(),
});

export const GuessQuerySchema = z.strictObject({
  user: IdSchema.optional().describe('without it (or for an unknown user): cold-start chips'),
  limit: integerText('limit').optional(),
  requestId: RequestIdSchema.optional(),
});

export const RelatedQuerySchema = z.strictObject({
  q: z.string().max(RECORD_LIMITS.queryLength).optional().describe('queries searched after this one'),
  item: IdSchema.optional().describe('queries that led users to this item (click-back)'),
  user: IdSchema.optional().describe('with item: the user, whose latest search is left out'),
  limit: integerText('limit').optional(),
  requestId: RequestIdSchema.optional(),
});

type FilterParams = { [K in keyof typeof filterParams]?: z.output<(typeof filterParams)[K]> };

/** The flat GET filters → the request's `filters` object (only the ones given). */
export function filtersFromParams(params: FilterParams): Filters {
  const filters: Filters = {};
  if (params.category !== undefined) filters.category = params.category.split('>').map((s) => s.trim()).filter((s) => s !== '');
  if (params.brand !== undefined) filters.brands = params.brand;
  if (params.shop !== undefined) filters.shops = params.shop;
  if (params.region !== undefined) filters.regions = params.region;
  if (params.kind !== undefined) filters.kinds = params.kind;
  if (params.priceMin !== undefined) filters.priceMin = params.priceMin;
  if (params.priceMax !== undefined) filters.priceMax = params.priceMax;
  return filters;
}

export const ItemsBodySchema = z.strictObject({ items: z.array(ItemSchema).min(1).max(REQUEST_LIMITS.maxBatch) });
export const UsersBodySchema = z.strictObject({ users: z.array(UserSchema).min(1).max(REQUEST_LIMITS.maxBatch) });
export const EventsBodySchema = z.strictObject({ events: z.array(EventSchema).min(1).max(REQUEST_LIMITS.maxBatch) });
export const ItemIdParamsSchema = z.strictObject({ id: IdSchema });

// ---- responses ----

export const ErrorBodySchema = z
  .object({
    error: z.object({
      code: z.string().describe('INVALID_ARGUMENT, NOT_FOUND, PAYLOAD_TOO_LARGE, ...'),
      message: z.string(),
      field: z.string().optional().describe('the first offending field, dotted (items.3.price)'),
      issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    }),
  })
  .meta({ id: 'Error' });

const ExplainNodeSchema: z.ZodType<{ label: string; value: number; children?: unknown[] }> = z.lazy(() =>
  z.object({ label: z.string(), value: z.number(), children: z.array(ExplainNodeSchema).optional() }),
);

const ResultItemSchema = z
  .object({
    id: z.string(),
    title: z.string(),
    kind: ItemKindSchema,
    categoryPath: z.array(z.string()),
    brand: z.string().optional(),
    shop: z.string().optional(),
    price: z.number().optional(),
    region: z.string().optional(),
    bid: z.number().optional(),
    position: z.int().describe('1-based, offset included'),
    score: z.number(),
    recallScore: z.number().describe("the recall stage's merged score, logged with the impression"),
    ad: z
      .object({ eCpm: z.number().describe('1000 · pCTR · bid'), cpc: z.number().describe('price per click set by the auction (GSP)') })
      .optional()
      .describe('present for an ad that won its auction'),
    explain: z
      .object({
        sources: z.array(z.object({ channel: z.string(), rank: z.int(), score: z.number() })),
        recallScore: z.number(),
        score: z.number(),
        rank: ExplainNodeSchema.optional(),
        moves: z.array(z.object({ reranker: z.string(), from: z.int(), to: z.int(), reason: z.string() })),
      })
      .optional(),
  })
  .meta({ id: 'ResultItem' });

const TraceSchema = z.object({
  stages: z.array(
    z.object({
      stage: z.enum(['recall', 'merge', 'rank', 'rerank', 'suggest']),
      name: z.string(),
      tookMs: z.number(),
      input: z.int(),
      output: z.int(),
      detail: z.record(z.string(), z.unknown()).optional(),
    }),
  ),
  moves: z.array(z.object({ reranker: z.string(), itemId: z.string(), from: z.int(), to: z.int(), reason: z.string() })),
});

const listResponse = {
  requestId: z.string(),
  total: z.int(),
  offset: z.int(),
  limit: z.int(),
  items: z.array(ResultItemSchema),
  facets: z
    .record(z.string(), z.array(z.object({ value: z.string(), count: z.int() })))
    .optional()
    .describe('search: counts per brand, category and price band over every match'),
  tookMs: z.number(),
  trace: TraceSchema.optional(),
};

const FiltersBodySchema = z.object({
  category: z.array(z.string()).optional(),
  brands: z.array(z.string()).optional(),
  priceMin: z.number().optional(),
  priceMax: z.number().optional(),
});
const RefinementSchema = z
  .object({
    kind: z.enum(['brand', 'category', 'price', 'attribute']),
    facet: z.string().describe('brand, category, price, or the attribute key'),
    label: z.string(),
    share: z.number().describe('share of the top results the chip keeps'),
    gain: z.number().describe("the facet's entropy over the top results × coverage × usage weight"),
    filter: FiltersBodySchema.optional().describe('merge into the request filters (brand, category, price chips)'),
    query: z.string().optional().describe('or search this query (brand, attribute chips)'),
  })
  .meta({ id: 'Refinement' });
export const SearchResponseSchema = z
  .object({
    query: z.string(),
    ...listResponse,
    refinements: z.array(RefinementSchema).optional().describe('refinement chips for a broad query (search with text)'),
  })
  .meta({ id: 'SearchResponse' });
export const RecommendResponseSchema = z
  .object({ userId: z.string().optional(), itemId: z.string().optional(), ...listResponse })
  .meta({ id: 'RecommendResponse' });
export const SuggestResponseSchema = z
  .object({
    requestId: z.string(),
    prefix: z.string(),
    suggestions: z.array(z.object({ text: z.string(), count: z.int() })),
    scoped: z.array(z.object({ text: z.string(), category: z.string(), share: z.number() })).describe('the top suggestion within its dominant categories'),
    tookMs: z.number(),
    trace: TraceSchema.optional(),
  })
  .meta({ id: 'SuggestResponse' });
const QueryChipSchema = z.object({ text: z.string(), reason: z.enum(['intent', 'trending', 'popular']) });
export const HintResponseSchema = z
  .object({ requestId: z.string(), userId: z.string(), hint: QueryChipSchema.nullable(), tookMs: z.number() })
  .meta({ id: 'HintResponse' });
export const GuessResponseSchema = z
  .object({ requestId: z.string(), userId: z.string().optional(), queries: z.array(QueryChipSchema), tookMs: z.number() })
  .meta({ id: 'GuessResponse' });
export const RelatedResponseSchema = z
  .object({
    requestId: z.string(),
    query: z.string().optional(),
    itemId: z.string().optional(),
    queries: z.array(z.object({ text: z.string(), reason: z.enum(['next', 'click-back']), weight: z.number() })),
    tookMs: z.number(),
  })
  .meta({ id: 'RelatedResponse' });
export const UpsertResponseSchema = z.object({ inserted: z.int(), updated: z.int() });
export const AppendResponseSchema = z.object({ accepted: z.int(), duplicates: z.int() });
