import { rowDistanceBounded } from './distance.js';
import { MaxHeap } from './max-heap.js';
import type { SearchHit, VectorId } from './vector-index.js';
import type { VectorSlots } from './vector-slots.js';

/**
 * The exact k nearest live slots to `query` (already prepared: unit length under `cos`), closest first,
 * scoring only the slots whose id passes `filter`. The brute-force index is this function; HNSW falls
 * back to it for very selective filters.
 */
export function exactSearch(
  slots: VectorSlots,
  query: Float32Array,
  k: number,
  filter: ((id: VectorId) => boolean) | undefined,
  heap: MaxHeap = new MaxHeap(k + 1),
): SearchHit[] {
  const { dim, metric, data, deleted, ids, count } = slots;
  heap.clear();
  for (let slot = 0; slot < count; slot++) {
    if (deleted[slot] === 1) continue;
    if (filter !== undefined && !filter(ids[slot]!)) continue;
    const full = heap.size >= k;
    const d = rowDistanceBounded(metric, data, slot * dim, query, 0, dim, full ? heap.topKey : Infinity);
    if (!full) heap.push(d, slot);
    else if (d < heap.topKey) {
      heap.pop();
      heap.push(d, slot);
    }
  }
  return drainHits(heap, ids);
}

/** Empties a max-heap of (distance, slot) into hits, closest first. */
export function drainHits(heap: MaxHeap, ids: readonly VectorId[]): SearchHit[] {
  const hits = new Array<SearchHit>(heap.size);
  for (let i = heap.size - 1; i >= 0; i--) {
    hits[i] = { id: ids[heap.topValue]!, distance: heap.topKey };
    heap.pop();
  }
  return hits;
}
