import type { CandidateSource, ExplainNode, ItemKind, StageTrace } from '../core/index.js';
import type { Refinement } from './search-refinements.js';

/** Why a result is where it is. */
export interface ItemExplanation {
  /** The channels that recalled it, with its rank and score in each. */
  sources: CandidateSource[];
  recallScore: number;
  score: number;
  /** The ranker's score as a tree of its parts. */
  rank?: ExplainNode;
  /** What the rerankers did to it. */
  moves: { reranker: string; from: number; to: number; reason: string }[];
}

export interface ResultItem {
  id: string;
  title: string;
  kind: ItemKind;
  categoryPath: string[];
  brand?: string;
  shop?: string;
  price?: number;
  region?: string;
  bid?: number;
  /** 1-based position in the full list (offset included). */
  position: number;
  score: number;
  /** The recall stage's merged score (what the ranker started from; logged with impressions). */
  recallScore: number;
  /** For an ad that won its auction: its eCPM (1000 · pCTR · bid) and the price per click it pays. */
  ad?: { eCpm: number; cpc: number };
  explain?: ItemExplanation;
}

export interface TraceView {
  stages: StageTrace[];
  moves: { reranker: string; itemId: string; from: number; to: number; reason: string }[];
}

export interface ListResponse {
  requestId: string;
  /**
   * Search: how many items matched, exactly. Browse and recommendations: how many candidates were
   * recalled (at least every position that can be paged to; not a count of the whole catalog).
   */
  total: number;
  offset: number;
  limit: number;
  items: ResultItem[];
  /** Search: counts per brand, category (2 levels) and price band over every match (the lexical channel's). */
  facets?: Record<string, { value: string; count: number }[]>;
  tookMs: number;
  trace?: TraceView;
}

export interface SearchResponse extends ListResponse {
  query: string;
  /** Refinement chips ("细选") for a broad query: apply `filter`, or search `query` (docs/suggestions.md). */
  refinements?: Refinement[];
}

export interface RecommendResponse extends ListResponse {
  userId?: string;
  itemId?: string;
}

export interface SuggestResponse {
  requestId: string;
  prefix: string;
  suggestions: { text: string; count: number }[];
  /** The top suggestion within its dominant categories, to show as "手机 in 数码". */
  scoped: { text: string; category: string; share: number }[];
  tookMs: number;
  /** With `explain`: the suggester's stage (the normalised prefix, how many queries complete it). */
  trace?: TraceView;
}

/** A recommended query and why: the user's `intent`, `trending`, `popular` (cold start). */
export interface QueryChip {
  text: string;
  reason: 'intent' | 'trending' | 'popular';
}

export interface HintResponse {
  requestId: string;
  userId: string;
  /** Null when every candidate is retired for the user (or nothing can be recommended yet). */
  hint: QueryChip | null;
  tookMs: number;
}

export interface GuessResponse {
  requestId: string;
  userId?: string;
  queries: QueryChip[];
  tookMs: number;
}

export interface RelatedResponse {
  requestId: string;
  query?: string;
  itemId?: string;
  /** `next`: searched next after the query; `click-back`: led users to the item. */
  queries: { text: string; reason: 'next' | 'click-back'; weight: number }[];
  tookMs: number;
}
