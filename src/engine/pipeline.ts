import type { Catalog } from '../catalog/index.js';
import {
  invariant,
  Trace,
  type ChannelResult,
  type Merger,
  type Ranker,
  type RecallChannel,
  type Reranker,
  type RequestKind,
  type ScoredCandidate,
  type StageContext,
} from '../core/index.js';
import type { ItemExplanation, ListResponse, ResultItem, TraceView } from './responses.js';

/** The stages one kind of request runs through. */
export interface Pipeline {
  channels: readonly RecallChannel[];
  merger: Merger;
  ranker: Ranker;
  rerankers: readonly Reranker[];
}

export interface PipelineLimits {
  candidatesPerChannel: number;
  maxCandidates: number;
  rerankDepth: number;
}

export interface PipelineRequest {
  kind: RequestKind;
  requestId: string;
  query: string;
  userId: string | undefined;
  seedDocId: number | undefined;
  time: number;
  accepts: (docId: number) => boolean;
  offset: number;
  limit: number;
  explain: boolean;
  /** Doc ids of the final list's first `keepTop` returned beside the page (default 0). */
  keepTop?: number;
}

export interface PipelineResult {
  response: ListResponse;
  /** The final list's first `keepTop` doc ids, best first. */
  top: number[];
}

/**
 * Runs recall → merge → rank → rerank for one request and builds the page of results with, when
 * asked, the trace and each result's explanation.
 */
export function runPipeline(
  stages: { pipeline: Pipeline; catalog: Catalog; limits: PipelineLimits },
  request: PipelineRequest,
): PipelineResult {
  const start = performance.now();
  const { pipeline, catalog, limits } = stages;
  const trace = new Trace(request.requestId, { detailed: request.explain });
  const context: StageContext = { ...request, trace };
  // Every position a request may page to must be recallable, whatever the configured counts.
  const reach = request.offset + request.limit;
  const perChannel = Math.max(limits.candidatesPerChannel, reach);
  const maxCandidates = Math.max(limits.maxCandidates, reach);

  let matched = 0;
  let facets: ListResponse['facets'];
  const results: ChannelResult[] = pipeline.channels.map((channel) => {
    const result = trace.stage(
      { stage: 'recall', name: channel.name, input: 0 },
      () => channel.recall(context, perChannel),
      (r) => r.candidates.length,
    );
    matched = Math.max(matched, result.matched ?? 0);
    facets ??= result.facets;
    return { channel: channel.name, candidates: result.candidates };
  });
  const recalled = results.reduce((sum, r) => sum + r.candidates.length, 0);
  const merged = trace.stage(
    { stage: 'merge', name: pipeline.merger.name, input: recalled },
    () => pipeline.merger.merge(context, results, maxCandidates),
    (m) => m.length,
  );
  const ranked = trace.stage(
    { stage: 'rank', name: pipeline.ranker.name, input: merged.length },
    () => pipeline.ranker.score(context, merged).sort((a, b) => b.score - a.score || a.docId - b.docId),
    (r) => r.length,
  );
  const final = rerankAll(pipeline.rerankers, context, ranked, limits.rerankDepth);

  const page = final.slice(request.offset, request.offset + request.limit);
  const response: ListResponse = {
    requestId: request.requestId,
    total: Math.max(matched, merged.length),
    offset: request.offset,
    limit: request.limit,
    items: page.map((candidate, i) => toResultItem(catalog, candidate, request.offset + i + 1, trace)),
    tookMs: 0,
  };
  if (facets !== undefined) response.facets = facets;
  if (request.explain) response.trace = toTraceView(catalog, trace);
  response.tookMs = Math.round((performance.now() - start) * 1000) / 1000;
  return { response, top: final.slice(0, request.keepTop ?? 0).map((c) => c.docId) };
}

function rerankAll(
  rerankers: readonly Reranker[],
  context: StageContext,
  ranked: ScoredCandidate[],
  depth: number,
): ScoredCandidate[] {
  let head = ranked.slice(0, depth);
  const tail = ranked.slice(depth);
  for (const reranker of rerankers) {
    const input = head;
    head = context.trace.stage(
      { stage: 'rerank', name: reranker.name, input: input.length },
      () => reranker.rerank(context, input),
      (r) => r.length,
    );
  }
  return head.concat(tail);
}

function toResultItem(catalog: Catalog, candidate: ScoredCandidate, position: number, trace: Trace): ResultItem {
  const item = catalog.item(candidate.docId);
  invariant(item !== undefined, `doc ${candidate.docId} is in the results but not in the catalog`);
  const result: ResultItem = {
    id: item.id,
    title: item.title,
    kind: item.kind,
    categoryPath: item.categoryPath,
    position,
    score: round6(candidate.score),
    recallScore: round6(candidate.recallScore),
  };
  if (item.brand !== undefined) result.brand = item.brand;
  if (item.shop !== undefined) result.shop = item.shop;
  if (item.price !== undefined) result.price = item.price;
  if (item.region !== undefined) result.region = item.region;
  if (item.bid !== undefined) result.bid = item.bid;
  if (candidate.ad !== undefined) result.ad = { eCpm: round6(candidate.ad.eCpm), cpc: round6(candidate.ad.cpc) };
  if (trace.detailed) result.explain = explainItem(candidate, trace);
  return result;
}

function explainItem(candidate: ScoredCandidate, trace: Trace): ItemExplanation {
  const explanation: ItemExplanation = {
    sources: candidate.sources,
    recallScore: round6(candidate.recallScore),
    score: round6(candidate.score),
    moves: trace.moves
      .filter((m) => m.docId === candidate.docId)
      .map(({ reranker, from, to, reason }) => ({ reranker, from, to, reason })),
  };
  if (candidate.rankExplain !== undefined) explanation.rank = candidate.rankExplain;
  return explanation;
}

function toTraceView(catalog: Catalog, trace: Trace): TraceView {
  return {
    stages: trace.stages,
    moves: trace.moves.map(({ reranker, docId, from, to, reason }) => ({
      reranker,
      itemId: catalog.item(docId)?.id ?? `doc:${docId}`,
      from,
      to,
      reason,
    })),
  };
}

function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
