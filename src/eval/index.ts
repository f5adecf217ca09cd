export { popularityScorer, readAtomicInteractions, RecsysEvaluator, topK, userMetrics, DEFAULT_RECSYS_SPLIT, randomSplitByUser, splitCounts, type RecsysMetrics, type RecsysReport, type RecsysSplit, type RecsysSplitOptions, type UserScorer } from './recsys.js';
export { alphaNdcg, catalogCoverage, DEFAULT_ALPHA_NDCG_OPTIONS, expectedRevenue, exposureCounts, gini, intraListDiversity, newItemExposureShare, realizedRevenue, type AlphaNdcgOptions } from './rerank-metrics.js';
export { evaluateSuggest, DEFAULT_SUGGEST_EVAL, SUGGEST_INPUTS, type SuggestEvalOptions, type SuggestEvalSystems, type SuggestEvalReport, type SuggestMetrics, type PrefixRow, type InputReport, type SuggestInput, type QueryCompleter, type LoggedQuery } from './suggest-eval.js';
export { QueryOrigins, type QueryOriginReport, type OriginMetrics } from './query-origins.js';
export * from './classification.js';
export { formatRun, parseJsonlDocuments, parseQrels, parseTopics, parseTrecDocuments, readDocuments, readQrels, readTopics, writeRun, type EvalDocument, type Qrels, type Run, type Topic } from './trec.js';
export { averagePrecision, evaluateRun, ndcgAt, type IrMetrics, type IrReport } from './ir-metrics.js';
export { buildEvalIndex, DEFAULT_LEXICAL_EVAL, runLexicalEval, type LexicalEvalOptions, type LexicalEvalResult } from './lexical-eval.js';
