/**
 * Items, users and events: the records Quarry accepts, validated at every boundary (HTTP, CLI ingest,
 * library calls). External ids are strings; times are integer milliseconds since the Unix epoch (an
 * ISO-8601 string with an offset is accepted on input and converted).
 */

import { z } from 'zod';

/** Limits that bound what one record may hold; the HTTP API documents them in its OpenAPI schema. */
export const RECORD_LIMITS = {
  idLength: 256,
  titleLength: 1_000,
  descriptionLength: 20_000,
  categoryDepth: 8,
  nameLength: 200,
  attributeCount: 64,
  queryLength: 1_000,
  impressionItems: 1_000,
} as const;

// Control characters break logs, terminals and CSV exports; no id or name needs them.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const NO_CONTROL_CHARS = /^[^\u0000-\u001f\u007f]*$/;

/** An external id: 1 to 256 characters, no control characters. */
export const IdSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(RECORD_LIMITS.idLength, `must be at most ${RECORD_LIMITS.idLength} characters`)
  .regex(NO_CONTROL_CHARS, 'must not contain control characters');

const NameSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(RECORD_LIMITS.nameLength, `must be at most ${RECORD_LIMITS.nameLength} characters`)
  .regex(NO_CONTROL_CHARS, 'must not contain control characters');

/** A point in time: integer milliseconds since the epoch, or an ISO-8601 date-time with offset. */
export const TimestampSchema = z
  .union([
    z.int().nonnegative().max(8_640_000_000_000_000),
    z.iso.datetime({ offset: true, message: 'must be epoch milliseconds or an ISO-8601 date-time' }),
  ])
  .transform((value) => (typeof value === 'number' ? value : Date.parse(value)));

export const AttributeValueSchema = z.union([z.string().max(RECORD_LIMITS.nameLength), z.number(), z.boolean()]);
export type AttributeValue = z.infer<typeof AttributeValueSchema>;

export const AttributesSchema = z
  .record(NameSchema, AttributeValueSchema)
  .refine((attributes) => Object.keys(attributes).length <= RECORD_LIMITS.attributeCount, {
    message: `at most ${RECORD_LIMITS.attributeCount} attributes`,
  });

export const ITEM_KINDS = ['product', 'ad', 'content'] as const;
export const ItemKindSchema = z.enum(ITEM_KINDS);
export type ItemKind = z.infer<typeof ItemKindSchema>;

/** A catalog entry: a product, a sponsored product (ad, with a bid), or a content card. */
export const ItemSchema = z
  .strictObject({
    id: IdSchema,
    title: z.string().trim().min(1, 'must not be empty').max(RECORD_LIMITS.titleLength),
    description: z.string().max(RECORD_LIMITS.descriptionLength).default(''),
    /** Root first: `["数码", "手机"]`. */
    categoryPath: z.array(NameSchema).max(RECORD_LIMITS.categoryDepth).default([]),
    brand: NameSchema.optional(),
    shop: NameSchema.optional(),
    price: z.number().nonnegative().finite().optional(),
    region: NameSchema.optional(),
    attributes: AttributesSchema.default({}),
    kind: ItemKindSchema.default('product'),
    /** Cost per click the advertiser bids; required for kind `ad`, not allowed otherwise. */
    bid: z.number().positive().finite().optional(),
    createdAt: TimestampSchema.optional(),
  })
  .superRefine((item, ctx) => {
    if (item.kind === 'ad' && item.bid === undefined) {
      ctx.addIssue({ code: 'custom', path: ['bid'], message: 'is required when kind is "ad"' });
    }
    if (item.kind !== 'ad' && item.bid !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['bid'], message: `is only allowed when kind is "ad", not "${item.kind}"` });
    }
  });
export type ItemInput = z.input<typeof ItemSchema>;
export type Item = z.output<typeof ItemSchema>;

export const UserSchema = z.strictObject({
  id: IdSchema,
  region: NameSchema.optional(),
  attributes: AttributesSchema.default({}),
  createdAt: TimestampSchema.optional(),
});
export type UserInput = z.input<typeof UserSchema>;
export type User = z.output<typeof UserSchema>;

export const EVENT_TYPES = ['query', 'impression', 'click', 'add_to_cart', 'purchase', 'suggestion_click'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** Where a list was shown. */
export const SURFACES = ['search', 'recommend', 'similar'] as const;
export const SurfaceSchema = z.enum(SURFACES);
export type Surface = z.infer<typeof SurfaceSchema>;

/** How a query came to be issued: typed in full, or taken from one of the query-recommendation forms. */
export const QUERY_SOURCES = ['typed', 'suggestion', 'hint', 'guess', 'refinement', 'related'] as const;
export const QuerySourceSchema = z.enum(QUERY_SOURCES);
export type QuerySource = z.infer<typeof QuerySourceSchema>;

const QueryTextSchema = z.string().trim().min(1, 'must not be empty').max(RECORD_LIMITS.queryLength);

const eventBase = {
  /** Unique per event: a retried batch with the same event ids is stored once. */
  eventId: IdSchema,
  userId: IdSchema,
  time: TimestampSchema,
  /** The search/recommend/suggest request that produced what the user acted on. */
  requestId: IdSchema.optional(),
  sessionId: IdSchema.optional(),
};

export const QueryEventSchema = z.strictObject({
  ...eventBase,
  type: z.literal('query'),
  requestId: IdSchema,
  query: QueryTextSchema,
  source: QuerySourceSchema.default('typed'),
  /** How many results the engine had for the query, when known. */
  resultCount: z.int().nonnegative().optional(),
});

export const ImpressionEventSchema = z
  .strictObject({
    ...eventBase,
    type: z.literal('impression'),
    requestId: IdSchema,
    surface: SurfaceSchema.default('search'),
    query: z.string().max(RECORD_LIMITS.queryLength).optional(),
    /** For a `similar` list: the item whose similar items were shown. */
    seedItemId: IdSchema.optional(),
    /** The list shown, each item with its 1-based position on the page. */
    items: z
      .array(
        z.strictObject({
          itemId: IdSchema,
          position: z.int().min(1),
          /** For an ad: the price per click its auction set (generalised second price); a click on it costs this. */
          cpc: z.number().nonnegative().finite().optional(),
          /** The recall stage's score of the item when served: a feature logged for learning to rank. */
          recallScore: z.number().finite().optional(),
        }),
      )
      .min(1, 'must list at least one item')
      .max(RECORD_LIMITS.impressionItems),
  })
  .superRefine((event, ctx) => {
    const seen = new Set<number>();
    event.items.forEach((shown, index) => {
      if (seen.has(shown.position)) {
        ctx.addIssue({ code: 'custom', path: ['items', index, 'position'], message: `position ${shown.position} appears twice` });
      }
      seen.add(shown.position);
    });
  });

export const ClickEventSchema = z.strictObject({
  ...eventBase,
  type: z.literal('click'),
  itemId: IdSchema,
  position: z.int().min(1).optional(),
});

export const AddToCartEventSchema = z.strictObject({
  ...eventBase,
  type: z.literal('add_to_cart'),
  itemId: IdSchema,
  quantity: z.int().min(1).max(1_000_000).default(1),
});

export const PurchaseEventSchema = z.strictObject({
  ...eventBase,
  type: z.literal('purchase'),
  itemId: IdSchema,
  quantity: z.int().min(1).max(1_000_000).default(1),
  /** Unit price paid, when it differs from the catalog price. */
  price: z.number().nonnegative().finite().optional(),
});

export const SuggestionClickEventSchema = z.strictObject({
  ...eventBase,
  type: z.literal('suggestion_click'),
  requestId: IdSchema,
  /** What the user had typed when they took the suggestion. */
  prefix: z.string().max(RECORD_LIMITS.queryLength),
  suggestion: QueryTextSchema,
  position: z.int().min(1),
});

export const EventSchema = z.discriminatedUnion('type', [
  QueryEventSchema,
  ImpressionEventSchema,
  ClickEventSchema,
  AddToCartEventSchema,
  PurchaseEventSchema,
  SuggestionClickEventSchema,
]);
export type EventInput = z.input<typeof EventSchema>;
export type Event = z.output<typeof EventSchema>;
export type QueryEvent = z.output<typeof QueryEventSchema>;
export type ImpressionEvent = z.output<typeof ImpressionEventSchema>;
export type ClickEvent = z.output<typeof ClickEventSchema>;
export type AddToCartEvent = z.output<typeof AddToCartEventSchema>;
export type PurchaseEvent = z.output<typeof PurchaseEventSchema>;
export type SuggestionClickEvent = z.output<typeof SuggestionClickEventSchema>;

/** The events that concern one item (they carry `itemId`). */
export type ItemEvent = ClickEvent | AddToCartEvent | PurchaseEvent;

export function isItemEvent(event: Event): event is ItemEvent {
  return event.type === 'click' || event.type === 'add_to_cart' || event.type === 'purchase';
}
