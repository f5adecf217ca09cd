import type { Candidate, RecallChannel, RecallResult, StageContext } from '../core/index.js';
import type { UserHistory } from '../features/index.js';
import type { VectorId } from '../vector/index.js';
import type { ItemEmbeddings } from './item-embeddings.js';

/**
 * User-to-item vector recall: the items whose BPR vectors score highest with the user's
 * (`<w_u, h_i> + b_i`), by HNSW search with the request's filters applied inside the search.
 * Nothing for an anonymous user or one with neither a vector nor a history to fold in.
 */
export class VectorU2iChannel implements RecallChannel {
  readonly name = 'vector-u2i';

  constructor(private readonly source: { embeddings: ItemEmbeddings; history: UserHistory }) {}

  recall(context: StageContext, k: number): RecallResult {
    if (context.userId === undefined) return { candidates: [] };
    const { embeddings, history } = this.source;
    const recent = history.interactions(context.userId).map((i) => i.docId);
    const query = embeddings.userQuery(context.userId, recent);
    if (query === undefined || embeddings.size === 0) return { candidates: [] };
    const bought = new Set(history.interactions(context.userId).flatMap((i) => (i.type === 'purchase' ? [i.docId] : [])));
    const filter = (id: VectorId): boolean => !bought.has(id as number) && context.accepts(id as number);
    // Inner-product distance is 1 - <q, x>: the BPR score is 1 - d.
    return { candidates: toCandidates(embeddings.u2i.search(query, k, { filter }), (d) => 1 - d) };
  }
}

/** Item-to-item vector recall: the items whose BPR vectors are closest (cosine) to the seed item's. */
export class VectorI2iChannel implements RecallChannel {
  readonly name = 'vector-i2i';

  constructor(private readonly source: { embeddings: ItemEmbeddings }) {}

  recall(context: StageContext, k: number): RecallResult {
    const seed = context.seedDocId;
    if (seed === undefined) return { candidates: [] };
    const vector = this.source.embeddings.itemVector(seed);
    if (vector === undefined) return { candidates: [] };
    const filter = (id: VectorId): boolean => context.accepts(id as number);
    // Cosine distance is 1 - cos: the similarity is 1 - d.
    return { candidates: toCandidates(this.source.embeddings.i2i.search(vector, k, { filter }), (d) => 1 - d) };
  }
}

function toCandidates(hits: readonly { id: VectorId; distance: number }[], score: (distance: number) => number): Candidate[] {
  return hits.map((hit) => ({ docId: hit.id as number, score: score(hit.distance) }));
}
