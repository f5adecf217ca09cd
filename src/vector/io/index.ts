// vector/io: readers of the standard vector file formats (TEXMEX fvecs/ivecs/bvecs, NumPy .npy, plain
// text, MNIST IDX, JSONL with ids).
export { parseBvecs, parseFvecs, parseIvecs, encodeVecs } from './fvecs.js';
export { parseIdx } from './idx.js';
export { parseJsonlVectors } from './jsonl-vectors.js';
export { parseNpy } from './npy.js';
export { parseTextVectors } from './text-vectors.js';
export { VECTOR_FORMATS, detectVectorFormat, readNeighbourFile, readVectorFile, type VectorFormat } from './read-vectors.js';
export type { IntVectorSet, VectorSet } from './vector-set.js';
