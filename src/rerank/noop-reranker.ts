import type { Reranker, ScoredCandidate } from '../core/index.js';

/**
 * Keeps the ranker's order. The pipeline always has a rerank stage so its place, trace and
 * configuration exist; the re-ranking capability brings the real ones (diversity, mixing, rules).
 */
export class NoopReranker implements Reranker {
  readonly name = 'noop';

  rerank(_context: unknown, list: readonly ScoredCandidate[]): ScoredCandidate[] {
    return list.slice();
  }
}
