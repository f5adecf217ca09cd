// features/: statistics learned from events (popularity, user histories), shared by stages.
export { DecayedCounter } from './decayed-counter.js';
export { ItemPopularity, DEFAULT_POPULARITY_CONFIG, type PopularityConfig } from './item-popularity.js';
export { UserHistory, DEFAULT_USER_HISTORY_CONFIG, type Interaction, type UserHistoryConfig } from './user-history.js';
export { CtrStatistics, DEFAULT_CTR_STATISTICS_CONFIG, type CtrStatisticsConfig, type Outcome } from './ctr-statistics.js';
export {
  FeatureContext,
  DEFAULT_FEATURE_CONTEXT_CONFIG,
  type FeatureContextConfig,
  type CandidateContext,
  type ImpressionContext,
  type RawFeatures,
  type RawValue,
} from './feature-context.js';
export { DEFAULT_FEATURE_SPEC, FeatureSpecSchema, type FeatureSpecEntry, type FeatureSpecInput } from './feature-spec.js';
export { Featurizer, hash32, type FeaturizerJson, type FittedField, type SparseRow } from './featurizer.js';
export { cleaningReport, fieldRelevance, type CleaningEntry, type FieldRelevance } from './feature-report.js';
