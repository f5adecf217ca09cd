/**
 * The stage interfaces of the engine's pipeline (DESIGN.md): recall channels → merger → ranker →
 * rerankers. Each stage has several implementations; the engine runs a configured list of them.
 * Candidates are dense doc ids (see `catalog/`), never external ids, until the response is built.
 */

import type { Trace } from './trace.js';

/**
 * `search` has query text; `browse` is a search with an empty query (filters only); `recommend` is for a
 * user (or anyone); `similar` is for items like a seed item.
 */
export type RequestKind = 'search' | 'browse' | 'recommend' | 'similar';

/** What every stage may read about the request. */
export interface StageContext {
  readonly kind: RequestKind;
  readonly requestId: string;
  /** The query as typed (search only; '' otherwise). */
  readonly query: string;
  readonly userId: string | undefined;
  /** The seed item's dense id (similar only). */
  readonly seedDocId: number | undefined;
  /** The request's time in epoch ms. */
  readonly time: number;
  /** True when the doc may be returned (filters, liveness, the seed item excluded). */
  readonly accepts: (docId: number) => boolean;
  readonly trace: Trace;
}

export interface Candidate {
  docId: number;
  /** The channel's own score; comparable only within the channel. */
  score: number;
}

export interface RecallResult {
  /** Up to `k` accepted candidates, best first. */
  candidates: Candidate[];
  /** How many accepted docs match in all, when the channel knows (search channels). */
  matched?: number;
  /** Counts per value over every accepted match (brand, category, price band), when the channel computes them. */
  facets?: Record<string, { value: string; count: number }[]>;
}

export interface RecallChannel {
  readonly name: string;
  recall(context: StageContext, k: number): RecallResult;
}

/** Where a merged candidate came from. */
export interface CandidateSource {
  channel: string;
  /** 1-based rank within the channel's list. */
  rank: number;
  score: number;
}

export interface MergedCandidate {
  docId: number;
  /** The merger's combined score. */
  recallScore: number;
  sources: CandidateSource[];
}

export interface ChannelResult {
  channel: string;
  candidates: Candidate[];
}

export interface Merger {
  readonly name: string;
  merge(context: StageContext, results: readonly ChannelResult[], k: number): MergedCandidate[];
}

/** A node of a score's explanation tree: `value` is computed from the children as `label` says. */
export interface ExplainNode {
  label: string;
  value: number;
  children?: ExplainNode[];
}

/** What the ranker predicted for a candidate (learned rankers only). */
export interface Predictions {
  pCtr: number;
  pCvr?: number;
}

/** An ad's auction outcome (see rank/ `runAuction`). */
export interface AdOutcome {
  pCtr: number;
  bid: number;
  /** 1000 x pCTR x bid. */
  eCpm: number;
  /** The generalised second price it pays per click. */
  cpc: number;
}

export interface ScoredCandidate extends MergedCandidate {
  score: number;
  predictions?: Predictions;
  /** Set for ads that won their auction (ads that lost are not returned by the ranker). */
  ad?: AdOutcome;
  /** Why the ranker gave this score (filled when the trace is detailed). */
  rankExplain?: ExplainNode;
}

export interface Ranker {
  readonly name: string;
  /** Scores every candidate it keeps (a ranker may drop ads that lost their auction); the engine sorts by score. */
  score(context: StageContext, candidates: readonly MergedCandidate[]): ScoredCandidate[];
}

export interface Reranker {
  readonly name: string;
  /** The final order of (a prefix of) the list; records in the trace why it moved items. */
  rerank(context: StageContext, list: readonly ScoredCandidate[]): ScoredCandidate[];
}
