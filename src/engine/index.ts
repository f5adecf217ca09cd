// engine/: composes the stages into pipelines and owns request → response → trace.
export { Engine, type EngineOptions, type EngineStatus, type LoadProgress } from './engine.js';
export {
  DEFAULT_ENGINE_CONFIG,
  EngineConfigSchema,
  resolveEngineConfig,
  RECALL_CHANNELS,
  RANKERS,
  type EngineConfig,
  type EngineConfigInput,
} from './config.js';
export { ANONYMOUS_USER } from './served-events.js';
export { EMBEDDINGS_MODEL_NAME } from './serving-models.js';
export type {
  ItemExplanation,
  ListResponse,
  RecommendResponse,
  ResultItem,
  SearchResponse,
  SuggestResponse,
  HintResponse,
  GuessResponse,
  RelatedResponse,
  QueryChip,
  TraceView,
} from './responses.js';
export { QueryRecommendations, type QueryRecommendationsConfig, type RelatedSearch } from './query-recommendations.js';
export { LEXICAL_INDEX_NAME, lexicalConfigOf } from './lexical-config.js';
