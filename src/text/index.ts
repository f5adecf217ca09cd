// text/: text analysis (normalisation and tokenisation) shared by indexes and query handling.
export { analyze, normalizeText, type AnalyzeOptions } from './basic-analyzer.js';
