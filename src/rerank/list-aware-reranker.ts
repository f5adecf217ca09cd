/**
 * The learned list-aware re-ranker: a model scores each candidate given the items already placed
 * above it (context features, list-features.ts), and the list is built greedily, each position taking
 * the remaining candidate with the best score, so the features the model saw at each step are those
 * of the final list. The model is trained with LambdaRank on impression logs
 * (`src/lab/list-rerank-training.ts`).
 */

import { z } from 'zod';
import { IncompatibleFormatError, InvalidArgumentError, type Reranker, type ScoredCandidate, type StageContext } from '../core/index.js';
import type { ItemAttributes } from './item-attributes.js';
import { LIST_FEATURE_COUNT, LIST_FEATURES, ListFeatureBuilder, type ListEntry } from './list-features.js';
import { applyOrder, recordMoves } from './reorder.js';

/**
 * Scores candidates for the next position of a list. A linear model looks at each candidate's
 * features alone; a transformer (later, with the tensor core) would also attend to `placed`, the
 * features of the items already placed, in order.
 */
export interface ListScorer {
  readonly kind: string;
  /** Writes the score of each of `count` candidates to `out` ([count]). */
  scoreCandidates(input: { candidates: Float32Array; count: number; placed: Float32Array; placedCount: number }, out: Float64Array): void;
}

/**
 * The format of a saved linear list scorer; bumped on any incompatible change (2: the list-share,
 * `isContent` and pointwise-rank-bucket features).
 */
export const LIST_SCORER_FORMAT = 'quarry-list-scorer';
export const LIST_SCORER_VERSION = 2;
/** The model registry name `quarry train rerank` stores the scorer under, and the spec's default `model`. */
export const LIST_RERANKER_MODEL_NAME = 'list-reranker';

/** Version 1's feature layout: a version-1 file loads with weight 0 on every feature added since (the same scores). */
const V1_FEATURES = LIST_FEATURES.slice(0, 7).concat(['sameBrandAbove', 'sameCategoryAbove', 'sameShopAbove', 'samePriceBandAbove']);

const SavedLinearScorerSchema = z.strictObject({
  format: z.literal(LIST_SCORER_FORMAT),
  version: z.union([z.literal(1), z.literal(LIST_SCORER_VERSION)]),
  kind: z.literal('linear'),
  features: z.array(z.string()),
  weights: z.array(z.number().finite()),
});

/** s = w · x over the LIST_FEATURES layout. */
export class LinearListScorer implements ListScorer {
  readonly kind = 'linear';
  /** [LIST_FEATURE_COUNT] */
  readonly weights: Float64Array;

  /** @throws InvalidArgumentError when there is not one weight per feature. */
  constructor(weights: ArrayLike<number>) {
    if (weights.length !== LIST_FEATURE_COUNT) {
      throw new InvalidArgumentError(`linear list scorer has ${weights.length} weights, the feature layout has ${LIST_FEATURE_COUNT}`);
    }
    this.weights = Float64Array.from(weights);
  }

  /** The score of one feature row at `features[offset..]`. */
  scoreRow(features: Float32Array, offset: number): number {
    let s = 0;
    for (let f = 0; f < LIST_FEATURE_COUNT; f++) s += (this.weights[f] as number) * (features[offset + f] as number);
    return s;
  }

  scoreCandidates(input: { candidates: Float32Array; count: number }, out: Float64Array): void {
    for (let c = 0; c < input.count; c++) out[c] = this.scoreRow(input.candidates, c * LIST_FEATURE_COUNT);
  }

  toJSON(): z.output<typeof SavedLinearScorerSchema> {
    return { format: LIST_SCORER_FORMAT, version: LIST_SCORER_VERSION, kind: 'linear', features: [...LIST_FEATURES], weights: [...this.weights] };
  }

  /**
   * Reads a scorer saved with `JSON.stringify(scorer)`.
   * @throws IncompatibleFormatError when the text is not JSON, another format or version, or its
   *   feature layout differs from this build's.
   */
  static parse(text: string): LinearListScorer {
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (error) {
      throw new IncompatibleFormatError(`list scorer: not valid JSON: ${(error as Error).message}`, { cause: error });
    }
    const parsed = SavedLinearScorerSchema.safeParse(raw);
    if (!parsed.success) {
      throw new IncompatibleFormatError(`list scorer: expected ${LIST_SCORER_FORMAT} version ${LIST_SCORER_VERSION}: ${parsed.error.message}`);
    }
    const { features, weights, version } = parsed.data;
    const layout: readonly string[] = version === 1 ? V1_FEATURES : LIST_FEATURES;
    if (features.join(',') !== layout.join(',') || weights.length !== features.length) {
      throw new IncompatibleFormatError(`list scorer: features [${features.join(', ')}] differ from version ${version}'s [${layout.join(', ')}]`);
    }
    const byName = new Map(features.map((name, f) => [name, weights[f] as number]));
    return new LinearListScorer(LIST_FEATURES.map((name) => byName.get(name) ?? 0));
  }
}

/** A scorer as the bytes stored in the model registry (UTF-8 JSON; registry format version = LIST_SCORER_VERSION). */
export function encodeListScorer(scorer: LinearListScorer): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(scorer));
}

/**
 * Reads a scorer from the model registry's bytes.
 * @throws IncompatibleFormatError as `LinearListScorer.parse`.
 */
export function decodeListScorer(data: Uint8Array): LinearListScorer {
  return LinearListScorer.parse(new TextDecoder().decode(data));
}

export interface GreedyListResult {
  /** Indices into the input list, in placement order. [k] */
  order: Int32Array;
  /** The model's score of each pick when it was placed. [k] */
  scores: Float64Array;
  /** The features of each pick when it was placed. [k, LIST_FEATURE_COUNT] row-major */
  features: Float32Array;
}

/**
 * Greedy list construction: at each of the first k positions, score every remaining candidate given
 * the items placed so far and place the best; ties go to the lower input index (the pointwise order).
 * O(k · n · LIST_FEATURE_COUNT).
 */
export function greedyListOrder(options: { list: readonly ListEntry[]; attributes: ItemAttributes; scorer: ListScorer; k: number }): GreedyListResult {
  const { list, scorer } = options;
  const n = list.length;
  const k = Math.min(options.k, n);
  const builder = new ListFeatureBuilder(list, options.attributes);
  const candidates = new Float32Array(n * LIST_FEATURE_COUNT); // [remaining, F]
  const remaining = Int32Array.from({ length: n }, (_, i) => i); // input indices, kept in input order
  const scores = new Float64Array(n);
  const result: GreedyListResult = { order: new Int32Array(k), scores: new Float64Array(k), features: new Float32Array(k * LIST_FEATURE_COUNT) };
  let left = n;
  for (let t = 0; t < k; t++) {
    for (let c = 0; c < left; c++) builder.write(remaining[c] as number, candidates, c * LIST_FEATURE_COUNT);
    scorer.scoreCandidates({ candidates, count: left, placed: result.features, placedCount: t }, scores);
    let best = 0;
    for (let c = 1; c < left; c++) if ((scores[c] as number) > (scores[best] as number)) best = c;
    const pick = remaining[best] as number;
    result.order[t] = pick;
    result.scores[t] = scores[best] as number;
    result.features.set(candidates.subarray(best * LIST_FEATURE_COUNT, (best + 1) * LIST_FEATURE_COUNT), t * LIST_FEATURE_COUNT);
    builder.place(pick);
    remaining.copyWithin(best, best + 1, left); // keeps input order, so ties still go to the lower index
    left--;
  }
  return result;
}

export interface ListAwareConfig {
  /** How many positions are filled greedily; the rest follow in the pointwise order. */
  k: number;
}

export const DEFAULT_LIST_AWARE_CONFIG: ListAwareConfig = { k: 50 };

export const ListAwareConfigSchema = z.strictObject({ k: z.int().min(1).max(10_000).default(DEFAULT_LIST_AWARE_CONFIG.k) });

/**
 * The `list-aware` spec's fields: `model`, the model registry name of the scorer (the latest version
 * is loaded when the engine opens), and `k`.
 */
export const listAwareShape = {
  model: z.string().min(1).max(200).default(LIST_RERANKER_MODEL_NAME),
  k: z.int().min(1).max(10_000).default(DEFAULT_LIST_AWARE_CONFIG.k),
};

/** The list-aware reranker: the first `k` positions greedily by the scorer, the rest in input order. */
export class ListAwareReranker implements Reranker {
  readonly name = 'list-aware';

  constructor(
    private readonly attributes: ItemAttributes,
    private readonly scorer: ListScorer,
    private readonly config: ListAwareConfig = DEFAULT_LIST_AWARE_CONFIG,
  ) {}

  rerank(context: StageContext, list: readonly ScoredCandidate[]): ScoredCandidate[] {
    if (list.length <= 1) return list.slice();
    const { order, scores, features } = greedyListOrder({ list, attributes: this.attributes, scorer: this.scorer, k: this.config.k });
    const out = applyOrder(list, order, 'append');
    context.trace.annotate(this.name, { k: this.config.k, scorer: this.scorer.kind });
    if (context.trace.detailed) {
      const step = new Map<number, number>();
      order.forEach((i, t) => step.set((list[i] as ScoredCandidate).docId, t));
      recordMoves(context, this.name, { before: list, after: out }, (docId) => {
        const t = step.get(docId);
        return t === undefined ? 'list-aware: not placed greedily, follows in pointwise order' : reason(t, scores[t] ?? 0, features);
      });
    }
    return out;
  }
}

function reason(t: number, score: number, features: Float32Array): string {
  const row = features.subarray(t * LIST_FEATURE_COUNT, (t + 1) * LIST_FEATURE_COUNT);
  const shared = (name: (typeof LIST_FEATURES)[number]) => Math.round(Math.expm1(row[LIST_FEATURES.indexOf(name)] ?? 0));
  return (
    `list-aware: pick ${t + 1}, model score ${round(score)}, pointwise rank ${Math.round(1 / (row[2] ?? 1))}, ` +
    `score/best ${round(row[0] ?? 0)}, above it ${shared('sameBrandAbove')} same brand, ${shared('sameCategoryAbove')} same category, ` +
    `${shared('sameShopAbove')} same shop, ${shared('samePriceBandAbove')} same price band`
  );
}

function round(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}
