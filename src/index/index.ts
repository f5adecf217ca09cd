// index/: an inverted index over dense doc ids (BM25F, filters, facets, typos, synonyms, MaxScore top-k,
// explain, snapshots). A library: it knows nothing of the engine.
export {
  DEFAULT_SCORING,
  DEFAULT_TYPOS,
  QUERY_LIMITS,
  type IndexConfig,
  type KeywordFieldConfig,
  type NumericFieldConfig,
  type ScoringParams,
  type SynonymRule,
  type TextFieldConfig,
  type TypoConfig,
} from './config.js';
export { editDistance } from './edit-distance.js';
export { DEFAULT_FACET_SIZE, type FacetCount, type FacetRange, type FacetRequest } from './facets.js';
export { DEFAULT_FEEDBACK, type FeedbackOptions } from './feedback.js';
export { DocBitset, type DocAcceptor, type IndexFilter } from './filters.js';
export { InvertedIndex, type IndexDoc, type IndexSearchOptions, type IndexStats } from './inverted-index.js';
export { parseQuery, type ParsedQuery, type QueryClause } from './query-parser.js';
export { DEFAULT_SEARCH, type SearchHit, type SearchOptions, type SearchResult } from './searcher.js';
export { allowedTypos, findTypoTerms, type TypoMatch } from './typo-matcher.js';
export { loadIndex, readIndex, saveIndex, SNAPSHOT_FORMAT_VERSION, SNAPSHOT_MAGIC, writeIndex, type LoadOptions } from './snapshot.js';
