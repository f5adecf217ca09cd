// rank/: rankers, which score every merged candidate for the request, and the ads auction.
export { PopularityRanker, DEFAULT_POPULARITY_RANKER_CONFIG, type PopularityRankerConfig } from './popularity-ranker.js';
export { CtrRanker, DEFAULT_CTR_RANKER_CONFIG, type CtrRankerConfig } from './ctr-ranker.js';
export { runAuction, DEFAULT_AUCTION_CONFIG, type AdBid, type AuctionConfig, type AuctionWinner } from './auction.js';
export {
  decodeRankingModel,
  encodeRankingModel,
  RANKING_MODEL_FORMAT_VERSION,
  RANKING_MODEL_NAME,
  type RankingModel,
} from './ranking-model.js';
