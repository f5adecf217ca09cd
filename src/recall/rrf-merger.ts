import { InvalidArgumentError, type ChannelResult, type MergedCandidate, type Merger, type StageContext } from '../core/index.js';

/** How many of the merged top k may (max) or must (min, when the channel has them) come from a channel. */
export interface ChannelQuota {
  min?: number;
  max?: number;
}

export interface RrfMergerConfig {
  /**
   * The rank constant k0 of RRF(d) = sum_c w_c / (k0 + rank_c(d)) (Cormack, Clarke & Buettcher 2009,
   * who found 60 robust): a larger k0 flattens the gap between the top ranks and the rest.
   */
  k0: number;
  /** w_c per channel name; a channel not listed weighs 1. */
  weights: Readonly<Record<string, number>>;
  /** Quotas per channel name; a channel not listed has none. */
  quotas: Readonly<Record<string, ChannelQuota>>;
}

export const DEFAULT_RRF_CONFIG: Readonly<RrfMergerConfig> = { k0: 60, weights: {}, quotas: {} };

/**
 * Weighted reciprocal rank fusion with per-channel quotas. Each candidate's recall score is
 * sum over the channels that returned it of w_c / (k0 + rank), rank 1-based within the channel (a doc
 * listed twice by one channel counts at its best rank). Ranks, not scores, are fused, so channels on
 * different scales (BM25, cosine, popularity) need no normalisation.
 *
 * Quotas shape the top k: first, walking the fused order, candidates of channels below their `min` are
 * taken (so a channel's best candidates by fused score get in); then the rest of the fused order fills
 * the list. A candidate counts towards every channel that returned it, and is skipped when it would put
 * any of them over its `max`. The result is in fused order; ties break by best rank in any channel,
 * then by doc id, so the same inputs always give the same list.
 */
export class RrfMerger implements Merger {
  readonly name = 'rrf';
  private readonly config: RrfMergerConfig;

  /**
   * @param config defaults in `DEFAULT_RRF_CONFIG`.
   * @throws InvalidArgumentError when k0 is negative, a weight is negative, or a quota is not a
   *   non-negative integer or has min > max.
   */
  constructor(config: Partial<RrfMergerConfig> = {}) {
    this.config = { ...DEFAULT_RRF_CONFIG, ...config };
    validateConfig(this.config);
  }

  merge(context: StageContext, results: readonly ChannelResult[], k: number): MergedCandidate[] {
    const fused = this.fuse(results);
    const selected = this.applyQuotas(fused, k);
    if (context.trace.detailed) context.trace.annotate(this.name, this.summary(fused, selected, k));
    return selected.map((f) => ({ docId: f.docId, recallScore: f.recallScore, sources: f.sources }));
  }

  /** For the trace: how many of the top k each channel gave, and what the quotas changed. */
  private summary(fused: readonly FusedCandidate[], selected: readonly FusedCandidate[], k: number): Record<string, unknown> {
    const perChannel: Record<string, number> = {};
    for (const candidate of selected) for (const source of candidate.sources) perChannel[source.channel] = (perChannel[source.channel] ?? 0) + 1;
    const plainTop = new Set(fused.slice(0, k).map((c) => c.docId));
    // Candidates the quotas brought in from below the plain top k (as many were pushed out of it).
    const promotedByQuota = selected.filter((c) => !plainTop.has(c.docId)).length;
    return { k0: this.config.k0, fused: fused.length, perChannel, promotedByQuota };
  }

  /** Every candidate of every channel with its fused score, in fused order. */
  private fuse(results: readonly ChannelResult[]): FusedCandidate[] {
    const byDoc = new Map<number, FusedCandidate>();
    for (const { channel, candidates } of results) {
      const weight = this.config.weights[channel] ?? 1;
      candidates.forEach((candidate, index) => {
        let entry = byDoc.get(candidate.docId);
        if (entry === undefined) byDoc.set(candidate.docId, (entry = { docId: candidate.docId, recallScore: 0, sources: [], bestRank: Infinity }));
        if (entry.sources.some((s) => s.channel === channel)) return;
        const rank = index + 1;
        entry.recallScore += weight / (this.config.k0 + rank);
        entry.bestRank = Math.min(entry.bestRank, rank);
        entry.sources.push({ channel, rank, score: candidate.score });
      });
    }
    return [...byDoc.values()].sort((a, b) => b.recallScore - a.recallScore || a.bestRank - b.bestRank || a.docId - b.docId);
  }

  /** The top k of `fused` under the quotas, in fused order. */
  private applyQuotas(fused: readonly FusedCandidate[], k: number): FusedCandidate[] {
    const quotas = this.config.quotas;
    if (Object.keys(quotas).length === 0) return fused.slice(0, k);
    const counts = new Map<string, number>();
    const count = (channel: string): number => counts.get(channel) ?? 0;
    const fits = (c: FusedCandidate): boolean => c.sources.every((s) => count(s.channel) < (quotas[s.channel]?.max ?? Infinity));
    const belowMin = (c: FusedCandidate): boolean => c.sources.some((s) => count(s.channel) < (quotas[s.channel]?.min ?? 0));
    const taken = new Uint8Array(fused.length);
    let size = 0;
    const pass = (wanted: (c: FusedCandidate) => boolean): void => {
      for (let n = 0; n < fused.length && size < k; n++) {
        const c = fused[n] as FusedCandidate;
        if (taken[n] === 1 || !wanted(c) || !fits(c)) continue;
        taken[n] = 1;
        size++;
        for (const s of c.sources) counts.set(s.channel, count(s.channel) + 1);
      }
    };
    pass(belowMin);
    pass(() => true);
    return fused.filter((_c, n) => taken[n] === 1);
  }
}

interface FusedCandidate extends MergedCandidate {
  /** The best 1-based rank of the doc in any channel (the first tie-break). */
  bestRank: number;
}

function validateConfig(config: RrfMergerConfig): void {
  if (!(config.k0 >= 0) || !Number.isFinite(config.k0)) throw new InvalidArgumentError(`rrf k0 must be a finite number >= 0, got ${config.k0}`);
  for (const [channel, weight] of Object.entries(config.weights)) {
    if (!(weight >= 0) || !Number.isFinite(weight)) throw new InvalidArgumentError(`rrf weight of channel "${channel}" must be a finite number >= 0, got ${weight}`);
  }
  for (const [channel, quota] of Object.entries(config.quotas)) {
    for (const bound of ['min', 'max'] as const) {
      const value = quota[bound];
      if (value !== undefined && !(Number.isInteger(value) && value >= 0)) {
        throw new InvalidArgumentError(`rrf quota ${bound} of channel "${channel}" must be a whole number >= 0, got ${value}`);
      }
    }
    if (quota.min !== undefined && quota.max !== undefined && quota.min > quota.max) {
      throw new InvalidArgumentError(`rrf quota of channel "${channel}" has min ${quota.min} > max ${quota.max}`);
    }
  }
}
