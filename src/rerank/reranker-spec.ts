/**
 * One reranker in a configuration: `{ "type": "scatter", "rules": [...] }`. The engine validates its
 * list of specs at load time with `RerankerSpecSchema` (so a bad window, a negative cap or an unknown
 * attribute fails the start, naming the field) and builds each with `createReranker`.
 */

import { z } from 'zod';
import { FailedPreconditionError, parseOrThrow, type Reranker } from '../core/index.js';
import { BusinessRulesReranker, businessRulesShape, checkBoostCaps } from './business-rules-reranker.js';
import { DppReranker, dppShape } from './dpp-reranker.js';
import { FrequencyCapReranker, frequencyCapShape } from './frequency-cap-reranker.js';
import type { ItemAttributes } from './item-attributes.js';
import { ListAwareReranker, listAwareShape, type ListScorer } from './list-aware-reranker.js';
import { MmrReranker, mmrShape } from './mmr-reranker.js';
import { NewItemExposureReranker, newItemExposureShape } from './new-item-exposure-reranker.js';
import { NoopReranker } from './noop-reranker.js';
import { ScatterReranker, scatterShape } from './scatter-reranker.js';
import { SlotMixReranker, slotMixShape } from './slot-mix-reranker.js';

export const RERANKER_TYPES = ['noop', 'mmr', 'dpp', 'scatter', 'slot-mix', 'new-item-exposure', 'frequency-cap', 'rules', 'list-aware'] as const;
export type RerankerType = (typeof RERANKER_TYPES)[number];

export const RerankerSpecSchema = z.discriminatedUnion(
  'type',
  [
    z.strictObject({ type: z.literal('noop') }),
    z.strictObject({ type: z.literal('mmr'), ...mmrShape }),
    z.strictObject({ type: z.literal('dpp'), ...dppShape }),
    z.strictObject({ type: z.literal('scatter'), ...scatterShape }),
    z.strictObject({ type: z.literal('slot-mix'), ...slotMixShape }),
    z.strictObject({ type: z.literal('new-item-exposure'), ...newItemExposureShape }),
    z.strictObject({ type: z.literal('frequency-cap'), ...frequencyCapShape }),
    z.strictObject({ type: z.literal('rules'), ...businessRulesShape }).superRefine(checkBoostCaps),
    z.strictObject({ type: z.literal('list-aware'), ...listAwareShape }),
  ],
  {
    error: (issue) =>
      `unknown reranker type ${JSON.stringify((issue.input as { type?: unknown } | undefined)?.type)}, expected one of ${RERANKER_TYPES.join(', ')}`,
  },
);
export type RerankerSpecInput = z.input<typeof RerankerSpecSchema>;
export type RerankerSpec = z.output<typeof RerankerSpecSchema>;

/**
 * Validates one reranker spec and fills in its defaults.
 * @throws InvalidArgumentError naming the first bad field, e.g. `rules.0.window`.
 */
export function parseRerankerSpec(input: unknown, path: readonly (string | number)[] = []): RerankerSpec {
  return parseOrThrow(RerankerSpecSchema, input, 'reranker configuration', path);
}

/** What `createReranker` builds rerankers from. */
export interface RerankerDeps {
  /** The engine's view of its catalog. */
  attributes: ItemAttributes;
  /** Trained list scorers by model registry name, for `list-aware` specs (the engine loads them at start-up). */
  listScorers?: ReadonlyMap<string, ListScorer>;
}

/**
 * Builds a validated spec's reranker.
 * @throws FailedPreconditionError for a `list-aware` spec whose model is not in `deps.listScorers`.
 */
export function createReranker(spec: RerankerSpec, deps: RerankerDeps): Reranker {
  const { attributes } = deps;
  switch (spec.type) {
    case 'noop':
      return new NoopReranker();
    case 'mmr':
      return new MmrReranker(attributes, spec);
    case 'dpp':
      return new DppReranker(attributes, spec);
    case 'scatter':
      return new ScatterReranker(attributes, spec);
    case 'slot-mix':
      return new SlotMixReranker(attributes, spec);
    case 'new-item-exposure':
      return new NewItemExposureReranker(attributes, spec);
    case 'frequency-cap':
      return new FrequencyCapReranker(spec);
    case 'rules':
      return new BusinessRulesReranker(attributes, spec);
    case 'list-aware': {
      const scorer = deps.listScorers?.get(spec.model);
      if (scorer === undefined) {
        throw new FailedPreconditionError(`the list-aware reranker needs the model "${spec.model}" in the store's registry: run \`quarry train rerank\` first`);
      }
      return new ListAwareReranker(attributes, scorer, { k: spec.k });
    }
  }
}
