// vector/: nearest-neighbour indexes over embeddings (exact and HNSW), their compressed codes, snapshots
// and the readers of standard vector file formats.
export type { Metric } from './distance.js';
export { METRICS, dot, l2Squared } from './distance.js';
export type { SearchHit, SearchOptions, VectorId, VectorIndex, VectorLike } from './vector-index.js';
export { BruteForceIndex, type BruteForceOptions } from './brute-force-index.js';
export { HnswIndex, DEFAULT_HNSW_OPTIONS, type HnswKernel, type HnswLoadOptions, type HnswOptions, type HnswSearchKnobs, type IndexMemory } from './hnsw-index.js';
export { Fp8Codes, Int8Codes, QUANTIZATIONS, type Quantization, type VectorCodes } from './vector-codes.js';
export { SNAPSHOT_MAGIC, SNAPSHOT_VERSION } from './snapshot.js';
export { addVectors, exactNeighbours, recallAtK, type BulkOptions } from './add-vectors.js';
export { generateClustered, type ClusteredOptions } from './synthetic.js';
export * from './io/index.js';
