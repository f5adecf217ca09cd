// suggest/: query recommendation. The foundation's completion by popularity (the baseline), query
// mining from the log, and completion by text, pinyin, initials, mixed input and typos.
export {
  PopularPrefixSuggester,
  DEFAULT_POPULAR_PREFIX_CONFIG,
  type PopularPrefixConfig,
  type Completion,
  type Suggestion,
} from './popular-prefix-suggester.js';
export { BlockList, type BlockListTerms } from './block-list.js';
export { CompletionIndex, type CompletionKey, type KeyRange } from './completion-index.js';
export {
  QueryMiner,
  mineQueries,
  examinationProbability,
  DEFAULT_QUERY_MINING,
  type QueryMiningConfig,
  type QueryRecord,
  type MinedQuery,
  type CategoryShare,
} from './query-miner.js';
export { parseQueryLog, type LoggedQuery, type QueryLogFormat } from './query-log.js';
export { queryForm, variantKey, typedPrefix, hasControlCharacter } from './query-text.js';
export { romanize, hasHan, matchesTyped, readingsOf, type Romanization } from './romanize.js';
export { suggestionKeys } from './suggestion-keys.js';
export {
  QuerySuggester,
  DEFAULT_QUERY_SUGGESTER,
  type QuerySuggesterConfig,
  type QuerySuggesterOptions,
  type QuerySuggestion,
  type ScopedSuggestion,
  type SuggestOptions,
  type SuggestResult,
  type SuggestionMatch,
  type BuildProgress,
} from './query-suggester.js';
export {
  DEFAULT_SUGGEST_RANKING,
  staticScores,
  categoryAffinity,
  type SuggestRanking,
  type CategoryPreferences,
} from './suggest-ranking.js';
export { typoRanges } from './typo-ranges.js';
export { TrendDetector, DEFAULT_TREND, type TrendConfig, type TrendingQuery } from './trend-detector.js';
export { RelatedQueries, DEFAULT_RELATED, type RelatedConfig, type RelatedQuery, type SearchStep } from './related-queries.js';
export { ClickBack, DEFAULT_CLICK_BACK, type ClickBackConfig, type ClickBackQuery } from './click-back.js';
export { QueryPool, distinctCandidates, type QueryPoolSources, type UserContext, type RecommendedQuery, type RecommendationReason } from './query-pool.js';
export { HintSelector, DEFAULT_HINT, type HintConfig } from './hint-selector.js';
export { GuessSelector, DEFAULT_GUESS, type GuessConfig } from './guess-selector.js';
export {
  refinementChips,
  DEFAULT_REFINEMENT,
  type RefinementConfig,
  type RefinementChip,
  type FacetedResult,
  type FacetValue,
  type ChipFilter,
} from './refinement-chips.js';
export {
  RefinementUsage,
  addedText,
  DEFAULT_REFINEMENT_USAGE,
  REFINEMENT_KINDS,
  type RefinementKind,
  type RefinementUsageConfig,
  type RefinementClassifier,
} from './refinement-usage.js';
