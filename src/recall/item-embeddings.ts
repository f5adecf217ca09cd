import type { Catalog } from '../catalog/index.js';
import type { BprModel } from '../embed/index.js';
import { foldInUser } from '../embed/index.js';
import { HnswIndex, type HnswOptions } from '../vector/index.js';
import type { VectorQuery, VectorRecallSource } from './vector-source.js';

export interface ItemEmbeddingsConfig {
  /** HNSW build and search knobs (see docs/vector.md). Defaults: M 16, efConstruction 100, ef 128. */
  hnsw: Pick<HnswOptions, 'M' | 'efConstruction' | 'ef'>;
  /** A user unknown to the model is folded in from this many of their latest interactions. Default 20. */
  foldInInteractions: number;
}

export const DEFAULT_ITEM_EMBEDDINGS_CONFIG: ItemEmbeddingsConfig = { hnsw: { M: 16, efConstruction: 100, ef: 128 }, foldInInteractions: 20 };

/**
 * The vectors behind the vector recall channels, from a trained BPR model, in two HNSW indexes keyed
 * by doc id:
 *
 * - `u2i`: inner product over `[h_i, b_i]`, queried with `[w_u, 1]`, so a search ranks items exactly by
 *   BPR's score `<w_u, h_i> + b_i` (the bias rides along as one more dimension);
 * - `i2i`: cosine over `h_i`, for items like a seed item.
 *
 * Items added to the catalog after training have no vector (these channels do not find them; the
 * other channels do) until the next `quarry train embeddings`.
 */
export class ItemEmbeddings implements VectorRecallSource {
  readonly source = 'bpr';
  readonly u2i: HnswIndex;
  readonly i2i: HnswIndex;
  private readonly itemRowByDoc = new Map<number, number>();

  constructor(
    readonly model: BprModel,
    catalog: Catalog,
    private readonly config: ItemEmbeddingsConfig = DEFAULT_ITEM_EMBEDDINGS_CONFIG,
  ) {
    const { dim } = model;
    this.u2i = new HnswIndex({ dim: dim + 1, metric: 'ip', ...config.hnsw, seed: 'vector-u2i' });
    this.i2i = new HnswIndex({ dim, metric: 'cos', ...config.hnsw, seed: 'vector-i2i' });
    const augmented = new Float32Array(dim + 1);
    model.itemIds.toArray().forEach((itemId, row) => {
      const docId = catalog.docId(itemId);
      if (docId === undefined || catalog.item(docId) === undefined) return;
      const vector = model.itemVector(row);
      if (!vector.some((x) => x !== 0)) return;
      augmented.set(vector);
      augmented[dim] = model.itemBias[row] as number;
      this.u2i.add(docId, augmented);
      this.i2i.add(docId, vector);
      this.itemRowByDoc.set(docId, row);
    });
    // Graph order for faster searches, and the build-time link distances dropped (docs/vector.md).
    this.u2i.compact();
    this.i2i.compact();
  }

  /** How many items have a vector. */
  get size(): number {
    return this.itemRowByDoc.size;
  }

  /** The query for a user: `[w_u, 1]`, folded in from their recent items when the model has not seen them. */
  userQuery(userId: string, recentDocIds: readonly number[]): VectorQuery | undefined {
    const { model } = this;
    const u = model.userIds.get(userId);
    let vector: Float32Array | undefined;
    if (u !== undefined) vector = model.userVector(u);
    else {
      const rows = recentDocIds.slice(0, this.config.foldInInteractions).flatMap((d) => {
        const row = this.itemRowByDoc.get(d);
        return row === undefined ? [] : [row];
      });
      if (rows.length === 0) return undefined;
      vector = foldInUser(model, Int32Array.from(rows));
    }
    const query = new Float32Array(model.dim + 1);
    query.set(vector);
    query[model.dim] = 1;
    // Inner-product distance is 1 - <q, x>: the BPR score is 1 - d.
    return { vector: query, index: this.u2i, score: oneMinus };
  }

  /** The seed item's vector, for a cosine search among the items' vectors. */
  itemQuery(docId: number): VectorQuery | undefined {
    const vector = this.itemVector(docId);
    // Cosine distance is 1 - cos: the similarity is 1 - d.
    return vector === undefined ? undefined : { vector, index: this.i2i, score: oneMinus };
  }

  /** The seed item's vector, when it has one. */
  itemVector(docId: number): Float32Array | undefined {
    const row = this.itemRowByDoc.get(docId);
    return row === undefined ? undefined : this.model.itemVector(row);
  }
}

function oneMinus(distance: number): number {
  return 1 - distance;
}
