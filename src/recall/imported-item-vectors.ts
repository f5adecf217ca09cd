import type { Catalog } from '../catalog/index.js';
import type { ItemVectorSet } from '../embed/index.js';
import { HnswIndex, type Metric } from '../vector/index.js';
import { DEFAULT_ITEM_EMBEDDINGS_CONFIG, type ItemEmbeddingsConfig } from './item-embeddings.js';
import type { VectorQuery, VectorRecallSource } from './vector-source.js';

/**
 * Item vectors a user imported (`quarry vectors import`), in one HNSW index keyed by doc id under the
 * set's own metric. Both channels search it:
 *
 * - items like a seed item: the seed's vector is the query;
 * - a user: the query is the mean of the vectors of their latest `foldInInteractions` interacted items
 *   (clicks, carts, purchases; under `cos` the unit vectors, so each item counts alike). Those items
 *   are left out of the answer: they are the nearest to their own mean, and the user has just seen them.
 *
 * An imported id that is not in the catalog is not indexed (it is served once the item exists, at the
 * next start); an item without an imported vector is found by the other channels only.
 */
export class ImportedItemVectors implements VectorRecallSource {
  readonly source: string;
  readonly index: HnswIndex;
  private readonly score: (distance: number) => number;

  constructor(
    name: string,
    set: ItemVectorSet,
    catalog: Catalog,
    private readonly config: ItemEmbeddingsConfig = DEFAULT_ITEM_EMBEDDINGS_CONFIG,
  ) {
    this.source = `imported:${name}`;
    const { dim, metric, ids, data } = set;
    this.index = new HnswIndex({ dim, metric, ...config.hnsw, seed: this.source });
    this.score = similarityOf(metric);
    ids.forEach((itemId, row) => {
      const docId = catalog.docId(itemId);
      if (docId === undefined || catalog.item(docId) === undefined) return;
      this.index.add(docId, data.subarray(row * dim, (row + 1) * dim));
    });
    // Graph order for faster searches, and the build-time link distances dropped (docs/vector.md).
    this.index.compact();
  }

  get size(): number {
    return this.index.size;
  }

  userQuery(_userId: string, recentDocIds: readonly number[]): VectorQuery | undefined {
    const { index } = this;
    const used = new Set<number>();
    const mean = new Float32Array(index.dim);
    for (const docId of recentDocIds) {
      if (used.size === this.config.foldInInteractions) break;
      if (used.has(docId) || !index.has(docId)) continue;
      used.add(docId);
      const vector = index.get(docId);
      for (let i = 0; i < mean.length; i++) mean[i] = mean[i]! + vector[i]!;
    }
    if (used.size === 0) return undefined;
    for (let i = 0; i < mean.length; i++) mean[i] = mean[i]! / used.size;
    // Opposite vectors can cancel out; a zero query has no direction under cos.
    if (!mean.some((x) => x !== 0)) return undefined;
    return { vector: mean, index, score: this.score, exclude: used };
  }

  itemQuery(docId: number): VectorQuery | undefined {
    return this.index.has(docId) ? { vector: this.index.get(docId), index: this.index, score: this.score } : undefined;
  }
}

/**
 * A channel score from a distance, larger is better: `1 - d` under `ip` (the inner product) and `cos`
 * (the cosine), `1 / (1 + d)` under `l2` (d is the squared distance), which stays positive so the
 * union merger's max-normalisation works.
 */
function similarityOf(metric: Metric): (distance: number) => number {
  return metric === 'l2' ? (d) => 1 / (1 + d) : (d) => 1 - d;
}
