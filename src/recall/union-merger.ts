import type { ChannelResult, MergedCandidate, Merger, StageContext } from '../core/index.js';

/**
 * Merges channel lists into one: each candidate's recall score is the weighted sum, over the channels
 * that returned it, of its score divided by that channel's best score (so channels on different scales
 * count alike). Keeps the best `k`, ties by doc id. Weighted reciprocal-rank fusion with per-channel
 * quotas comes with the vector-recall capability.
 */
export class UnionMerger implements Merger {
  readonly name = 'union';

  constructor(private readonly weights: Readonly<Record<string, number>> = {}) {}

  merge(_context: StageContext, results: readonly ChannelResult[], k: number): MergedCandidate[] {
    const merged = new Map<number, MergedCandidate>();
    for (const { channel, candidates } of results) {
      const best = candidates.reduce((max, c) => Math.max(max, c.score), 0);
      const weight = this.weights[channel] ?? 1;
      candidates.forEach((candidate, index) => {
        const normalised = best > 0 ? candidate.score / best : 0;
        let entry = merged.get(candidate.docId);
        if (entry === undefined) merged.set(candidate.docId, (entry = { docId: candidate.docId, recallScore: 0, sources: [] }));
        entry.recallScore += weight * normalised;
        entry.sources.push({ channel, rank: index + 1, score: candidate.score });
      });
    }
    return [...merged.values()].sort((a, b) => b.recallScore - a.recallScore || a.docId - b.docId).slice(0, k);
  }
}
