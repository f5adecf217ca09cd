import type { Catalog } from '../catalog/index.js';
import type { ExplainNode, Item, MergedCandidate, Ranker, RequestKind, ScoredCandidate, StageContext, Surface } from '../core/index.js';
import type { FeatureContext } from '../features/index.js';
import { calibrate, SparseBatchBuilder, type CtrModelBundle, type SparseBatch } from '../models/index.js';
import { DEFAULT_AUCTION_CONFIG, runAuction, type AuctionConfig, type AdBid } from './auction.js';
import type { RankingModel } from './ranking-model.js';

export interface CtrRankerConfig {
  /** Organic score = pCTR^ctrExponent · pCVR^cvrExponent · price^priceExponent. Default 1. */
  ctrExponent: number;
  /** Default 0.5: purchases matter, but the CVR model learns from far fewer labels than the CTR model. */
  cvrExponent: number;
  /** Default 0 (price ignored); 1 ranks by expected GMV. */
  priceExponent: number;
  /**
   * Exponent of the recall score (divided by the best among the scored candidates) as one more factor.
   * The models learn relevance from logged lists whose order was itself set by relevance, so position
   * and relevance are confounded in their training data; this factor keeps the recall stage's own
   * judgement in the final order. Default 1; 0 ranks by the models alone.
   */
  recallExponent: number;
  /** The position every candidate is scored at: position is a training feature (its bias), fixed at serving. Default 1. */
  servingPosition: number;
  /**
   * How many candidates the models score: the pre-ranker's (popularity ranker's) best this many. The
   * rest follow in the pre-ranker's order. A cascade as in production systems, and a guard against
   * the models' extrapolation: they learned from lists a ranker showed, not from every recalled item.
   * Default 60.
   */
  depth: number;
  /**
   * The surfaces the models rank; on the others the pre-ranker's (popularity ranker's) order serves
   * unchanged, without an auction. Default search and the home feed: on similar-items lists the
   * popularity order (seed's category and brand first) beat the models' in A/B runs on fresh seeds
   * (docs/ranking.md, "A/B dry runs").
   */
  surfaces: readonly Surface[];
  auction: AuctionConfig;
}

export const DEFAULT_CTR_RANKER_CONFIG: CtrRankerConfig = {
  ctrExponent: 1,
  cvrExponent: 0.5,
  priceExponent: 0,
  recallExponent: 1,
  servingPosition: 1,
  depth: 60,
  surfaces: ['search', 'recommend'],
  auction: DEFAULT_AUCTION_CONFIG,
};

const SURFACE_OF: Record<RequestKind, Surface> = { search: 'search', browse: 'search', recommend: 'recommend', similar: 'similar' };

/**
 * Learned ranking: every candidate's features are extracted as of the request (the same
 * `FeatureContext` and featurizer training used), scored by the CTR and CVR models, calibrated, and
 * fused as `pCTR^a · pCVR^b · price^c`. Ads go through the GSP auction on eCPM = 1000 · pCTR · bid;
 * winners keep their place by the organic score and carry their outcome (`ad`) for the slot mixer;
 * losers are dropped.
 */
export class CtrRanker implements Ranker {
  readonly name = 'ctr';

  constructor(
    private readonly deps: { catalog: Catalog; features: FeatureContext; model: RankingModel; preRanker: Ranker },
    private readonly config: CtrRankerConfig = DEFAULT_CTR_RANKER_CONFIG,
  ) {}

  score(context: StageContext, candidates: readonly MergedCandidate[]): ScoredCandidate[] {
    const preRanked = this.deps.preRanker.score(context, candidates).sort((a, b) => b.score - a.score || a.docId - b.docId);
    if (!this.config.surfaces.includes(SURFACE_OF[context.kind])) return preRanked;
    const head = this.scoreHead(context, preRanked.slice(0, this.config.depth));
    // The tail keeps the pre-ranker's order, below every model-scored candidate.
    const floor = head.reduce((min, c) => Math.min(min, c.score), Infinity);
    const tail = preRanked.slice(this.config.depth).map((c, i) => ({ ...c, score: (Number.isFinite(floor) ? floor : 1) * 1e-3 / (1 + i) }));
    return head.concat(tail);
  }

  private scoreHead(context: StageContext, candidates: readonly MergedCandidate[]): ScoredCandidate[] {
    const { catalog, features, model } = this.deps;
    const builder = new SparseBatchBuilder();
    const items: Item[] = [];
    const kept: MergedCandidate[] = [];
    const impression = {
      userId: context.userId ?? '',
      query: context.query,
      surface: SURFACE_OF[context.kind],
      time: context.time,
      position: this.config.servingPosition,
      seedItemId: context.seedDocId === undefined ? undefined : catalog.item(context.seedDocId)?.id,
    };
    for (const candidate of candidates) {
      const item = catalog.item(candidate.docId);
      if (item === undefined) continue;
      const row = model.featurizer.transform(features.extract(impression, item, { recallScore: candidate.recallScore }));
      builder.push({ label: 0, fields: row.fields, indices: row.indices, values: row.values });
      items.push(item);
      kept.push(candidate);
    }
    const batch = builder.build({ nFeatures: model.featurizer.featureCount, nFields: model.featurizer.fieldCount });
    const pCtr = predict(model.ctr, batch);
    const pCvr = model.cvr === undefined ? undefined : predict(model.cvr, batch);
    const bestRecall = kept.reduce((max, c) => Math.max(max, c.recallScore), 0);
    const scored = kept.map((candidate, i) =>
      this.scoreOne(context, { candidate, item: items[i] as Item, pCtr: pCtr[i] as number, pCvr: pCvr?.[i], recall: bestRecall > 0 ? candidate.recallScore / bestRecall : 1 }),
    );
    return this.auction(scored, items);
  }

  private scoreOne(
    context: StageContext,
    input: { candidate: MergedCandidate; item: Item; pCtr: number; pCvr: number | undefined; recall: number },
  ): ScoredCandidate {
    const { candidate, item, pCtr, pCvr, recall } = input;
    const { ctrExponent: a, cvrExponent: b, priceExponent: c, recallExponent: d } = this.config;
    const price = item.price !== undefined && item.price > 0 ? item.price : 1;
    const cvrTerm = pCvr === undefined ? 1 : Math.pow(pCvr, b);
    const score = Math.pow(pCtr, a) * cvrTerm * Math.pow(price, c) * Math.pow(Math.max(recall, 1e-6), d);
    const scored: ScoredCandidate = { ...candidate, score, predictions: pCvr === undefined ? { pCtr } : { pCtr, pCvr } };
    if (context.trace.detailed) scored.rankExplain = explain({ score, pCtr, pCvr, price, recall, a, b, c, d });
    return scored;
  }

  /** Runs the auction among the ads; keeps winners (with their outcome) and every organic item. */
  private auction(scored: ScoredCandidate[], items: readonly Item[]): ScoredCandidate[] {
    const bids: AdBid[] = [];
    scored.forEach((candidate, i) => {
      const item = items[i] as Item;
      if (item.kind === 'ad' && item.bid !== undefined) bids.push({ docId: candidate.docId, pCtr: candidate.predictions?.pCtr ?? 0, bid: item.bid });
    });
    if (bids.length === 0) return scored;
    const winners = new Map(runAuction(bids, this.config.auction).map((w) => [w.docId, w]));
    const out: ScoredCandidate[] = [];
    scored.forEach((candidate, i) => {
      if ((items[i] as Item).kind !== 'ad') return void out.push(candidate);
      const won = winners.get(candidate.docId);
      if (won !== undefined) out.push({ ...candidate, ad: { pCtr: won.pCtr, bid: won.bid, eCpm: won.eCpm, cpc: won.cpc } });
    });
    return out;
  }
}

function predict(bundle: CtrModelBundle, batch: SparseBatch): Float32Array {
  const out = bundle.model.predictBatch(batch);
  const calibration = bundle.calibration ?? [];
  if (calibration.length > 0) for (let i = 0; i < out.length; i++) out[i] = calibrate(calibration, out[i] as number);
  return out;
}

function explain(p: { score: number; pCtr: number; pCvr: number | undefined; price: number; recall: number; a: number; b: number; c: number; d: number }): ExplainNode {
  const children: ExplainNode[] = [{ label: `pCTR (CTR model, calibrated), to the power a = ${p.a}`, value: p.pCtr }];
  if (p.pCvr !== undefined) children.push({ label: `pCVR (CVR model, calibrated), to the power b = ${p.b}`, value: p.pCvr });
  if (p.c !== 0) children.push({ label: `price, to the power c = ${p.c}`, value: p.price });
  if (p.d !== 0) children.push({ label: `recall score / best recall score, to the power d = ${p.d}`, value: p.recall });
  return { label: 'product of, computed as pCTR^a · pCVR^b · price^c · relativeRecall^d', value: p.score, children };
}
