import { InvalidArgumentError } from '../core/index.js';

/** An ad competing for slots: its click probability and its bid per click. */
export interface AdBid {
  docId: number;
  pCtr: number;
  /** Cost per click the advertiser bids. */
  bid: number;
}

export interface AuctionConfig {
  /** Ads below this eCPM (expected revenue per thousand impressions, 1000 x pCTR x bid) never show. Default 0. */
  reservePrice: number;
  /** At most this many winners. Default 3. */
  maxWinners: number;
  /** Smallest price step: a winner pays what keeps it just above the next ad. Default 0.01. */
  increment: number;
}

export const DEFAULT_AUCTION_CONFIG: AuctionConfig = { reservePrice: 0, maxWinners: 3, increment: 0.01 };

export interface AuctionWinner extends AdBid {
  /** 1000 x pCTR x bid: what the ad is expected to earn per thousand impressions, and what it is ordered by. */
  eCpm: number;
  /** What it pays per click under GSP: the next eCPM (or the reserve) over its own pCTR, plus the increment, at most its bid. */
  cpc: number;
  /** The eCPM it had to beat: the next ad's, or the reserve price. */
  nextECpm: number;
}

/**
 * The generalised second-price auction (Edelman, Ostrovsky & Schwarz 2007) on eCPM: ads ranked by
 * eCPM = 1000 x pCTR x bid (the field's per-mille convention); the winner in slot i pays per click
 * `eCPM_{i+1} / (1000 pCTR_i)` (+ increment), the least it could have bid to keep its place, never
 * more than its own bid and never below the reserve's equivalent `reserve / (1000 pCTR_i)`. Ties in eCPM go to the lower doc id, so the outcome is deterministic.
 * @throws InvalidArgumentError for a negative bid or a pCTR outside [0, 1].
 */
export function runAuction(ads: readonly AdBid[], config: AuctionConfig = DEFAULT_AUCTION_CONFIG): AuctionWinner[] {
  for (const ad of ads) {
    if (!(ad.bid >= 0) || !(ad.pCtr >= 0 && ad.pCtr <= 1)) {
      throw new InvalidArgumentError(`ad ${ad.docId} has bid ${ad.bid} and pCTR ${ad.pCtr}; a bid must be >= 0 and pCTR in [0, 1]`);
    }
  }
  const ranked = ads
    .map((ad) => ({ ...ad, eCpm: 1000 * ad.pCtr * ad.bid }))
    .filter((ad) => ad.eCpm > 0 && ad.eCpm >= config.reservePrice)
    .sort((a, b) => b.eCpm - a.eCpm || a.docId - b.docId);
  const winners: AuctionWinner[] = [];
  for (let i = 0; i < Math.min(config.maxWinners, ranked.length); i++) {
    const ad = ranked[i] as (typeof ranked)[number];
    const nextECpm = Math.max(ranked[i + 1]?.eCpm ?? 0, config.reservePrice);
    const cpc = Math.min(ad.bid, nextECpm / (1000 * ad.pCtr) + config.increment);
    winners.push({ ...ad, nextECpm, cpc });
  }
  return winners;
}
