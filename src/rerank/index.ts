// rerank/: rerankers, which decide the final order of the ranked list.
export { NoopReranker } from './noop-reranker.js';
export {
  CatalogItemAttributes,
  DEFAULT_CATALOG_ITEM_ATTRIBUTES_OPTIONS,
  GROUP_ATTRIBUTES,
  GroupAttributeSchema,
  internGroups,
  priceBand,
  type CatalogItemAttributesOptions,
  type GroupAttribute,
  type ItemAttributes,
  type ItemSource,
} from './item-attributes.js';
export { buildSimilarity, DEFAULT_SIMILARITY_CONFIG, SimilarityConfigSchema, type SimilarityConfig, type SimilarityKernel } from './similarity.js';
export { DEFAULT_MMR_CONFIG, MmrConfigSchema, MmrReranker, mmrSelect, type MmrConfig, type MmrResult } from './mmr-reranker.js';
export { DEFAULT_DPP_CONFIG, DppConfigSchema, DppReranker, greedyDppMap, type DppConfig, type DppResult } from './dpp-reranker.js';
export { scatter, scatterViolations, type Relaxation, type ScatterProblem, type ScatterResult, type ScatterRule } from './scatter.js';
export {
  DEFAULT_SCATTER_CONFIG,
  ruleLabel,
  ScatterConfigSchema,
  ScatterReranker,
  ScatterRuleSchema,
  type ScatterConfig,
  type ScatterRuleConfig,
} from './scatter-reranker.js';
export {
  DEFAULT_SLOT_MIX_CONFIG,
  mixSlots,
  SlotMixConfigSchema,
  SlotMixReranker,
  STREAM_AD,
  STREAM_CONTENT,
  STREAM_ORGANIC,
  type MixInput,
  type MixResult,
  type SlotMixConfig,
  type SlotStreamConfig,
} from './slot-mix-reranker.js';
export { dayOf, fractionOfDay, isServedListObserver, type ServedList, type ServedListObserver } from './served-list.js';
export { DEFAULT_PACING_CONFIG, PacingConfigSchema, PacingController, type PacingConfig, type PacingState } from './pacing-controller.js';
export {
  DEFAULT_NEW_ITEM_EXPOSURE_CONFIG,
  NewItemExposureConfigSchema,
  NewItemExposureReranker,
  type NewItemExposureConfig,
} from './new-item-exposure-reranker.js';
export { DEFAULT_FREQUENCY_CAP_CONFIG, FrequencyCapConfigSchema, FrequencyCapReranker, type FrequencyCapConfig } from './frequency-cap-reranker.js';
export {
  BusinessRulesConfigSchema,
  BusinessRulesReranker,
  DEFAULT_BUSINESS_RULES_CONFIG,
  type BusinessRule,
  type BusinessRulesConfig,
} from './business-rules-reranker.js';
export {
  createReranker,
  parseRerankerSpec,
  RERANKER_TYPES,
  RerankerSpecSchema,
  type RerankerDeps,
  type RerankerSpec,
  type RerankerSpecInput,
  type RerankerType,
} from './reranker-spec.js';
export { LIST_FEATURE_COUNT, LIST_FEATURES, ListFeatureBuilder, listFeatures, POINTWISE_RANK_BUCKETS, type ListEntry, type ListFeature } from './list-features.js';
export {
  decodeListScorer,
  DEFAULT_LIST_AWARE_CONFIG,
  encodeListScorer,
  greedyListOrder,
  LinearListScorer,
  LIST_RERANKER_MODEL_NAME,
  LIST_SCORER_FORMAT,
  LIST_SCORER_VERSION,
  ListAwareConfigSchema,
  ListAwareReranker,
  type GreedyListResult,
  type ListAwareConfig,
  type ListScorer,
} from './list-aware-reranker.js';
