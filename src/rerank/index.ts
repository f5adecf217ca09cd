// rerank/: rerankers, which decide the final order of the ranked list.
export { NoopReranker } from './noop-reranker.js';
