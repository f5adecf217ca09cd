// recall/: recall channels (where candidates come from) and the merger that unites their lists.
export { TermMatchChannel, DEFAULT_TERM_MATCH_CONFIG, type TermMatchConfig } from './term-match-channel.js';
export { PopularChannel } from './popular-channel.js';
export { UserCategoryChannel, DEFAULT_USER_CATEGORY_CONFIG, type UserCategoryConfig } from './user-category-channel.js';
export { SameCategoryChannel } from './same-category-channel.js';
export { UnionMerger } from './union-merger.js';
export { topPopular } from './popular.js';
export { RrfMerger, DEFAULT_RRF_CONFIG, type RrfMergerConfig, type ChannelQuota } from './rrf-merger.js';
export { ItemEmbeddings, DEFAULT_ITEM_EMBEDDINGS_CONFIG, type ItemEmbeddingsConfig } from './item-embeddings.js';
export { ImportedItemVectors } from './imported-item-vectors.js';
export type { VectorQuery, VectorRecallSource } from './vector-source.js';
export { VectorI2iChannel, VectorU2iChannel } from './vector-channels.js';
export { LexicalChannel, DEFAULT_LEXICAL_CONFIG, lexicalFingerprint, type LexicalConfig } from './lexical-channel.js';
