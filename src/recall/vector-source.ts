import type { HnswIndex } from '../vector/index.js';

/** What a vector channel searches for one request. */
export interface VectorQuery {
  /** The query vector, in the index's space. */
  vector: Float32Array;
  index: HnswIndex;
  /** The channel score of a hit: larger is better (the distance turned around). */
  score: (distance: number) => number;
  /** Doc ids never recalled for this query (e.g. the items a user vector was averaged from). */
  exclude?: ReadonlySet<number>;
}

/**
 * The vectors behind `vector-u2i` and `vector-i2i`: trained BPR embeddings (`ItemEmbeddings`) or item
 * vectors a user imported (`ImportedItemVectors`); `recall.vector.source` chooses.
 */
export interface VectorRecallSource {
  /** `bpr`, or `imported:<name>`: what `/health` and the trace report. */
  readonly source: string;
  /** How many items have a vector. */
  readonly size: number;
  /** The query for a user, from their recent items (doc ids, newest first); undefined when there is none. */
  userQuery(userId: string, recentDocIds: readonly number[]): VectorQuery | undefined;
  /** The query for items like `docId`; undefined when it has no vector. */
  itemQuery(docId: number): VectorQuery | undefined;
}
