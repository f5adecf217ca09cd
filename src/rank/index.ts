// rank/: rankers, which score every merged candidate for the request.
export { PopularityRanker, DEFAULT_POPULARITY_RANKER_CONFIG, type PopularityRankerConfig } from './popularity-ranker.js';
