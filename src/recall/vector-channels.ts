import type { Candidate, RecallChannel, RecallResult, StageContext } from '../core/index.js';
import type { UserHistory } from '../features/index.js';
import type { VectorId } from '../vector/index.js';
import type { VectorQuery, VectorRecallSource } from './vector-source.js';

/**
 * User-to-item vector recall: the items nearest the user's vector (BPR: scored `<w_u, h_i> + b_i`;
 * imported vectors: the mean of their recent items' vectors), by HNSW search with the request's
 * filters applied inside the search. Nothing for an anonymous user or one with neither a vector nor a
 * history to build one from. Items the user bought are left out.
 */
export class VectorU2iChannel implements RecallChannel {
  readonly name = 'vector-u2i';

  constructor(private readonly source: { embeddings: VectorRecallSource; history: UserHistory }) {}

  recall(context: StageContext, k: number): RecallResult {
    if (context.userId === undefined) return { candidates: [] };
    const { embeddings, history } = this.source;
    const interactions = history.interactions(context.userId);
    const query = embeddings.userQuery(context.userId, interactions.map((i) => i.docId));
    if (query === undefined || embeddings.size === 0) return { candidates: [] };
    const bought = new Set(interactions.flatMap((i) => (i.type === 'purchase' ? [i.docId] : [])));
    const exclude = query.exclude;
    const filter = (id: VectorId): boolean => !bought.has(id as number) && exclude?.has(id as number) !== true && context.accepts(id as number);
    context.trace.annotate(this.name, { vectors: embeddings.source });
    return { candidates: search(query, k, filter) };
  }
}

/** Item-to-item vector recall: the items whose vectors are closest to the seed item's. */
export class VectorI2iChannel implements RecallChannel {
  readonly name = 'vector-i2i';

  constructor(private readonly source: { embeddings: VectorRecallSource }) {}

  recall(context: StageContext, k: number): RecallResult {
    const seed = context.seedDocId;
    if (seed === undefined) return { candidates: [] };
    const query = this.source.embeddings.itemQuery(seed);
    if (query === undefined) return { candidates: [] };
    const filter = (id: VectorId): boolean => context.accepts(id as number);
    context.trace.annotate(this.name, { vectors: this.source.embeddings.source });
    return { candidates: search(query, k, filter) };
  }
}

function search(query: VectorQuery, k: number, filter: (id: VectorId) => boolean): Candidate[] {
  return query.index.search(query.vector, k, { filter }).map((hit) => ({ docId: hit.id as number, score: query.score(hit.distance) }));
}
