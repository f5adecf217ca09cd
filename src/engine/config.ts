/**
 * The engine's configuration: which stages run for each kind of request and their knobs. Every field
 * has a default; a configuration file (`quarry serve --config FILE`) gives only what it changes. A
 * stage's knobs default to the stage's own `DEFAULT_...` object, so each default is written once.
 */

import { z } from 'zod';
import { RECORD_LIMITS, SurfaceSchema, parseOrThrow } from '../core/index.js';
import { ITEM_VECTORS_NAME_PATTERN } from '../embed/index.js';
import { DEFAULT_POPULARITY_CONFIG, DEFAULT_USER_HISTORY_CONFIG } from '../features/index.js';
import { DEFAULT_AUCTION_CONFIG, DEFAULT_CTR_RANKER_CONFIG, DEFAULT_POPULARITY_RANKER_CONFIG } from '../rank/index.js';
import {
  DEFAULT_ITEM_EMBEDDINGS_CONFIG,
  DEFAULT_LEXICAL_CONFIG,
  DEFAULT_RRF_CONFIG,
  DEFAULT_TERM_MATCH_CONFIG,
  DEFAULT_USER_CATEGORY_CONFIG,
  type LexicalConfig,
} from '../recall/index.js';
import { RerankerSpecSchema } from '../rerank/index.js';
import {
  DEFAULT_CLICK_BACK,
  DEFAULT_HINT,
  DEFAULT_POPULAR_PREFIX_CONFIG,
  DEFAULT_QUERY_MINING,
  DEFAULT_QUERY_SUGGESTER,
  DEFAULT_REFINEMENT,
  DEFAULT_REFINEMENT_USAGE,
  DEFAULT_RELATED,
  DEFAULT_SUGGEST_RANKING,
  type SuggestRanking,
} from '../suggest/index.js';

/** The stage implementations the engine knows, by configuration name. */
export const RECALL_CHANNELS = ['lexical', 'term-match', 'popular', 'user-category', 'same-category', 'vector-u2i', 'vector-i2i'] as const;
export const MERGERS = ['union', 'rrf'] as const;
/** `auto`: the learned `ctr` ranker when the store holds a trained ranking model, else `popularity`. */
export const RANKERS = ['auto', 'popularity', 'ctr'] as const;

const channelList = z.array(z.enum(RECALL_CHANNELS)).min(1);

export const EngineConfigSchema = z.strictObject({
  recall: z
    .strictObject({
      /** Channels per request kind, run in this order. */
      channels: z
        .strictObject({
          search: channelList.default(['lexical']),
          browse: channelList.default(['popular']),
          recommend: channelList.default(['vector-u2i', 'user-category', 'popular']),
          similar: channelList.default(['vector-i2i', 'same-category']),
        })
        .prefault({}),
      /** Candidates asked of each channel. */
      candidatesPerChannel: z.int().min(1).max(100_000).default(500),
      /** Candidates kept after merging, the most the ranker scores. */
      maxCandidates: z.int().min(1).max(100_000).default(1_000),
      /** Per-channel weights in the merge (default 1). */
      weights: z.partialRecord(z.enum(RECALL_CHANNELS), z.number().nonnegative()).default({}),
      /** `union`: max-normalised scores summed; `rrf`: weighted reciprocal rank fusion with quotas. */
      merger: z.enum(MERGERS).default('union'),
      rrf: z
        .strictObject({
          k0: z.number().nonnegative().default(DEFAULT_RRF_CONFIG.k0),
          /** Per channel: at least `min` and at most `max` candidates in the merged list. */
          quotas: z.partialRecord(z.enum(RECALL_CHANNELS), z.strictObject({ min: z.int().min(0).optional(), max: z.int().min(0).optional() })).default({}),
        })
        .prefault({}),
      /** HNSW knobs of the vector channels' indexes (built at start-up from the latest embeddings model). */
      vector: z
        .strictObject({
          /**
           * The vectors `vector-u2i` and `vector-i2i` serve: `bpr` (the latest `quarry train embeddings`
           * model) or `imported:<name>` (the set `quarry vectors import --name <name>` stored).
           */
          source: z
            .string()
            .refine((source) => source === 'bpr' || (source.startsWith('imported:') && ITEM_VECTORS_NAME_PATTERN.test(source.slice('imported:'.length))), {
              error: 'must be "bpr" or "imported:<name>" (the name given to `quarry vectors import`)',
            })
            .default('bpr'),
          M: z.int().min(2).max(128).default(DEFAULT_ITEM_EMBEDDINGS_CONFIG.hnsw.M),
          efConstruction: z.int().min(1).max(4_096).default(DEFAULT_ITEM_EMBEDDINGS_CONFIG.hnsw.efConstruction),
          ef: z.int().min(1).max(4_096).default(DEFAULT_ITEM_EMBEDDINGS_CONFIG.hnsw.ef),
        })
        .prefault({}),
    })
    .prefault({}),
  /** The `lexical` channel: BM25F over the catalog (docs/lexical.md). */
  lexical: z
    .strictObject({
      weights: z
        .strictObject(
          Object.fromEntries(
            Object.entries(DEFAULT_LEXICAL_CONFIG.weights).map(([field, w]) => [field, z.number().nonnegative().default(w)]),
          ) as Record<keyof LexicalConfig['weights'], z.ZodDefault<z.ZodNumber>>,
        )
        .prefault({}),
      k1: z.number().nonnegative().default(DEFAULT_LEXICAL_CONFIG.k1),
      b: z.number().min(0).max(1).default(DEFAULT_LEXICAL_CONFIG.b),
      minimumShouldMatch: z
        .union([z.int().min(1), z.string().regex(/^\d{1,3}%$/, 'must be a count or a percentage such as "75%"')])
        .default(DEFAULT_LEXICAL_CONFIG.minimumShouldMatch),
      typos: z.boolean().default(DEFAULT_LEXICAL_CONFIG.typos),
      /** `{ "equivalents": [...] }` (two-way) or `{ "from": "...", "to": [...] }` (one-way). */
      synonyms: z
        .array(z.union([z.strictObject({ equivalents: z.array(z.string().min(1)).min(2) }), z.strictObject({ from: z.string().min(1), to: z.array(z.string().min(1)).min(1) })]))
        .default(DEFAULT_LEXICAL_CONFIG.synonyms),
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
      ranker: z.enum(RANKERS).default('auto'),
      popularityWeight: z.number().nonnegative().default(DEFAULT_POPULARITY_RANKER_CONFIG.popularityWeight),
      /** The learned ranker's fusion `pCTR^a · pCVR^b · price^c` and the ads auction. */
      ctr: z
        .strictObject({
          ctrExponent: z.number().nonnegative().default(DEFAULT_CTR_RANKER_CONFIG.ctrExponent),
          cvrExponent: z.number().nonnegative().default(DEFAULT_CTR_RANKER_CONFIG.cvrExponent),
          priceExponent: z.number().min(-2).max(2).default(DEFAULT_CTR_RANKER_CONFIG.priceExponent),
          recallExponent: z.number().nonnegative().default(DEFAULT_CTR_RANKER_CONFIG.recallExponent),
          servingPosition: z.int().min(1).default(DEFAULT_CTR_RANKER_CONFIG.servingPosition),
          /** Candidates the models score: the popularity ranker's best this many; the rest keep its order below. */
          depth: z.int().min(1).max(100_000).default(DEFAULT_CTR_RANKER_CONFIG.depth),
          /** Surfaces the models rank; the others keep the popularity ranker's order (and run no auction). */
          surfaces: z.array(SurfaceSchema).default([...DEFAULT_CTR_RANKER_CONFIG.surfaces]),
          auction: z
            .strictObject({
              reservePrice: z.number().nonnegative().default(DEFAULT_AUCTION_CONFIG.reservePrice),
              maxWinners: z.int().min(0).max(100).default(DEFAULT_AUCTION_CONFIG.maxWinners),
              increment: z.number().nonnegative().default(DEFAULT_AUCTION_CONFIG.increment),
            })
            .prefault({}),
        })
        .prefault({}),
    })
    .prefault({}),
  rerank: z
    .strictObject({
      /**
       * The chain, applied in order: each a spec (`{ "type": "scatter", "rules": [...] }`, see
       * docs/reranking.md) or just a type name for its defaults (`"mmr"`).
       */
      rerankers: z
        .array(z.preprocess((spec) => (typeof spec === 'string' ? { type: spec } : spec), RerankerSpecSchema))
        .default([{ type: 'noop' }]),
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
  /** Query recommendation: `/suggest`, `/hint`, `/guess`, `/related` (docs/suggestions.md). */
  suggest: z
    .strictObject({
      /** A query issued by fewer distinct users is never suggested, hinted, guessed or related. */
      minUsers: z.int().min(1).default(DEFAULT_POPULAR_PREFIX_CONFIG.minUsers),
      /** Longer queries (characters, normalised) are not learned. */
      maxLength: z.int().min(1).max(1_000).default(DEFAULT_POPULAR_PREFIX_CONFIG.maxLength),
      /** Never shown: exact phrases and substrings, compared without case, width, spaces or punctuation. */
      blockList: z
        .strictObject({ exact: z.array(z.string().min(1)).max(100_000).default([]), substrings: z.array(z.string().min(1)).max(100_000).default([]) })
        .prefault({}),
      /** Half-life of the recency term (days). */
      halfLifeDays: z.number().positive().default(DEFAULT_QUERY_MINING.halfLifeMs / 86_400_000),
      /** Completions precomputed per node: the largest useful `limit`. */
      topK: z.int().min(1).max(1_000).default(DEFAULT_QUERY_SUGGESTER.topK),
      typoMinLength: z.int().min(1).default(DEFAULT_QUERY_SUGGESTER.typoMinLength),
      maxPrefixLength: z.int().min(1).max(RECORD_LIMITS.queryLength).default(DEFAULT_QUERY_SUGGESTER.maxPrefixLength),
      ranking: z
        .strictObject(
          Object.fromEntries(Object.entries(DEFAULT_SUGGEST_RANKING).map(([name, w]: [string, number]) => [name, z.number().default(w)])) as Record<
            keyof SuggestRanking,
            z.ZodDefault<z.ZodNumber>
          >,
        )
        .prefault({}),
      /** The suggester is rebuilt on the first request after min(rebuildEvery, max(1, rebuildShare × size)) new queries. */
      rebuildEvery: z.int().min(1).default(1_000),
      rebuildShare: z.number().min(0).max(10).default(0.05),
      /**
       * A structure of at least this many queries is rebuilt off the request path (the old one serving
       * until the new one is swapped in); a smaller one inside the request, deterministically.
       */
      backgroundRebuildFrom: z.int().min(0).default(20_000),
      hint: z
        .strictObject({
          maxExposures: z.int().min(1).default(DEFAULT_HINT.maxExposures),
          rotation: z.int().min(1).default(DEFAULT_HINT.rotation),
        })
        .prefault({}),
      related: z
        .strictObject({
          /** Two searches further apart (minutes) are not one session's steps. */
          maxGapMinutes: z.number().positive().default(DEFAULT_RELATED.maxGapMs / 60_000),
          /** A transition seen fewer times is never shown (and never fewer than `minUsers`). */
          minCount: z.int().min(1).default(DEFAULT_RELATED.minCount),
        })
        .prefault({}),
      clickBack: z.strictObject({ minCount: z.int().min(1).default(DEFAULT_CLICK_BACK.minCount) }).prefault({}),
      /** Refinement chips in `/search` responses (docs/suggestions.md); `maxFacets` 0 turns them off. */
      refinement: z
        .strictObject({
          /** Fewer matches than this: not a broad query, no chips. */
          minResults: z.int().min(0).default(20),
          /** Top results whose facets are read. */
          depth: z.int().min(1).max(1_000).default(50),
          maxFacets: z.int().min(0).max(20).default(DEFAULT_REFINEMENT.maxFacets),
          valuesPerFacet: z.int().min(1).max(20).default(DEFAULT_REFINEMENT.valuesPerFacet),
          minShare: z.number().min(0).max(1).default(DEFAULT_REFINEMENT.minShare),
          bands: z.int().min(2).max(20).default(DEFAULT_REFINEMENT.bands),
          /** Pseudo-refinements per kind behind the usage weights. */
          prior: z.number().min(0).default(DEFAULT_REFINEMENT_USAGE.prior),
          /** Words that, added to a query, refine it by price. */
          priceWords: z.array(z.string().min(1).max(100)).max(1_000).default(['平价', '便宜', '高端', '旗舰', 'cheap', 'budget', 'premium', 'luxury']),
        })
        .prefault({}),
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
