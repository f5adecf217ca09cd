// features/: statistics learned from events (popularity, user histories), shared by stages.
export { DecayedCounter } from './decayed-counter.js';
export { ItemPopularity, DEFAULT_POPULARITY_CONFIG, type PopularityConfig } from './item-popularity.js';
export { UserHistory, DEFAULT_USER_HISTORY_CONFIG, type Interaction, type UserHistoryConfig } from './user-history.js';
