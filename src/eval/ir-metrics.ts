import type { Qrels, Run } from './trec.js';

/** The ranked-retrieval measures trec_eval reports as map, ndcg_cut_10, P_10 and recall_1000. */
export interface IrMetrics {
  map: number;
  ndcg_at_10: number;
  p_at_10: number;
  recall_at_1000: number;
}

export interface IrReport extends IrMetrics {
  /** Topics averaged over: those with judgements. */
  topics: number;
  perTopic: Map<string, IrMetrics>;
}

/**
 * Evaluates a run as trec_eval does: each topic's hits re-sorted by score descending, ties by docno
 * descending (trec_eval's order, whatever order the run lists them in); a doc is relevant when its grade
 * is > 0; nDCG uses the grade itself as gain and log2(rank + 1) as discount, the ideal list being all
 * judged grades sorted. Averages are over the topics that have judgements; a judged topic missing from
 * the run counts 0 (trec_eval -c).
 */
export function evaluateRun(run: Run, qrels: Qrels): IrReport {
  const perTopic = new Map<string, IrMetrics>();
  for (const [topic, judged] of qrels) perTopic.set(topic, topicMetrics(trecOrder(run.get(topic) ?? []), judged));
  const mean = (key: keyof IrMetrics) => (perTopic.size === 0 ? 0 : [...perTopic.values()].reduce((sum, m) => sum + m[key], 0) / perTopic.size);
  return { map: mean('map'), ndcg_at_10: mean('ndcg_at_10'), p_at_10: mean('p_at_10'), recall_at_1000: mean('recall_at_1000'), topics: perTopic.size, perTopic };
}

function trecOrder(hits: readonly { docId: string; score: number }[]): string[] {
  return [...hits].sort((a, b) => b.score - a.score || (a.docId < b.docId ? 1 : a.docId > b.docId ? -1 : 0)).map((h) => h.docId);
}

function topicMetrics(ranked: readonly string[], judged: ReadonlyMap<string, number>): IrMetrics {
  let relevant = 0;
  for (const grade of judged.values()) if (grade > 0) relevant++;
  return {
    map: averagePrecision(ranked, judged, relevant),
    ndcg_at_10: ndcgAt(ranked, judged, 10),
    p_at_10: countRelevant(ranked.slice(0, 10), judged) / 10,
    recall_at_1000: relevant === 0 ? 0 : countRelevant(ranked.slice(0, 1000), judged) / relevant,
  };
}

/** AP = Σ over relevant retrieved docs of precision at their rank, ÷ all relevant docs. */
export function averagePrecision(ranked: readonly string[], judged: ReadonlyMap<string, number>, relevant: number): number {
  if (relevant === 0) return 0;
  let hits = 0;
  let sum = 0;
  ranked.forEach((docId, i) => {
    if ((judged.get(docId) ?? 0) > 0) sum += ++hits / (i + 1);
  });
  return sum / relevant;
}

/** nDCG@k with gain = grade (negative grades count 0) and discount log2(rank + 1). */
export function ndcgAt(ranked: readonly string[], judged: ReadonlyMap<string, number>, k: number): number {
  const gain = (grade: number) => Math.max(0, grade);
  let dcg = 0;
  ranked.slice(0, k).forEach((docId, i) => (dcg += gain(judged.get(docId) ?? 0) / Math.log2(i + 2)));
  const ideal = [...judged.values()].map(gain).sort((a, b) => b - a).slice(0, k);
  const idcg = ideal.reduce((sum, g, i) => sum + g / Math.log2(i + 2), 0);
  return idcg === 0 ? 0 : dcg / idcg;
}

function countRelevant(ranked: readonly string[], judged: ReadonlyMap<string, number>): number {
  return ranked.filter((docId) => (judged.get(docId) ?? 0) > 0).length;
}
