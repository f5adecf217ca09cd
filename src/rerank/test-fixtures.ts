import { Trace, type Item, type RequestKind, type ScoredCandidate, type StageContext } from '../core/index.js';
import { CatalogItemAttributes } from './item-attributes.js';

/** Test helpers shared by the rerankers' tests: items by doc id, contexts, lists. */

export function attributesOf(items: readonly Item[], extra: { vectors?: readonly (Float32Array | undefined)[] } = {}): CatalogItemAttributes {
  const vectors = extra.vectors;
  return new CatalogItemAttributes(
    { item: (docId) => items[docId] },
    vectors === undefined ? {} : { vector: (docId) => vectors[docId] },
  );
}

export function item(id: string, fields: Partial<Item> = {}): Item {
  return { id, title: id, description: '', categoryPath: [], attributes: {}, kind: 'product', ...fields };
}

export function contextAt(time: number, options: { userId?: string; detailed?: boolean; kind?: RequestKind } = {}): StageContext {
  return {
    kind: options.kind ?? 'search',
    requestId: 'r1',
    query: '',
    userId: options.userId,
    seedDocId: undefined,
    time,
    accepts: () => true,
    trace: new Trace('r1', { detailed: options.detailed ?? true }),
  };
}

/** Doc ids 0..n-1 (or the given ones) with descending scores, best first. */
export function rankedList(docIds: readonly number[]): ScoredCandidate[] {
  return docIds.map((docId, i) => ({ docId, recallScore: 1, sources: [], score: docIds.length - i }));
}
