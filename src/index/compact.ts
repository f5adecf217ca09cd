import { DocTable } from './doc-table.js';
import type { IndexState } from './index-state.js';
import { PostingCursor } from './posting-cursor.js';
import { NO_MORE_DOCS, PostingList, type PostingEntry } from './posting-list.js';

/**
 * Rewrites the index without its dead slots: live slots are renumbered in increasing order (so every
 * posting list stays sorted and is copied in one pass), the forward index and lengths are copied, and
 * MaxScore bounds are forgotten (they are recomputed at the next query that needs them).
 */
export function compactIndex(state: IndexState): void {
  const old = state.docs;
  const renumbered = new Int32Array(old.slotCount).fill(-1);
  const docs = new DocTable(old.fieldCount);
  const lengths = new Int32Array(old.fieldCount);
  const termIds: number[] = [];
  const termFreqs: number[] = [];
  for (let slot = 0; slot < old.slotCount; slot++) {
    if (old.live[slot] !== 1) continue;
    for (let f = 0; f < old.fieldCount; f++) lengths[f] = old.lengths[slot * old.fieldCount + f] as number;
    termIds.length = 0;
    termFreqs.length = 0;
    old.forEachTerm(slot, (termId, tf) => {
      termIds.push(termId);
      termFreqs.push(tf);
    });
    renumbered[slot] = docs.addSlot(old.slotToDoc[slot] as number, lengths, Int32Array.from(termIds), Int32Array.from(termFreqs), termIds.length);
  }
  const { dict } = state;
  for (let t = 0; t < dict.size; t++) dict.lists[t] = copyLive(dict.lists[t] as PostingList, renumbered, state);
  dict.invalidateBounds();
  state.docs = docs;
}

function copyLive(list: PostingList, renumbered: Int32Array, state: IndexState): PostingList {
  const fieldCount = state.docs.fieldCount;
  const cursor = new PostingCursor(list, fieldCount, state.fieldShift);
  const copy = new PostingList();
  const entry: PostingEntry = { fieldCount: 0, fields: new Int32Array(fieldCount), tfs: new Int32Array(fieldCount), positionStarts: new Int32Array(fieldCount), positions: new Int32Array(16) };
  for (let slot = cursor.nextDoc(); slot !== NO_MORE_DOCS; slot = cursor.nextDoc()) {
    const target = renumbered[slot] as number;
    if (target < 0) continue;
    const first = cursor.entryStart[cursor.index] as number;
    entry.fieldCount = (cursor.entryStart[cursor.index + 1] as number) - first;
    let k = 0;
    for (let e = 0; e < entry.fieldCount; e++) {
      const tf = cursor.entryTfs[first + e] as number;
      entry.fields[e] = cursor.entryFields[first + e] as number;
      entry.tfs[e] = tf;
      entry.positionStarts[e] = k;
      if (entry.positions.length < k + tf) {
        const grown = new Int32Array((k + tf) * 2);
        grown.set(entry.positions);
        entry.positions = grown;
      }
      k += cursor.positionsOf(first + e, entry.positions.subarray(k));
    }
    copy.append(target, entry, state.fieldShift);
  }
  copy.trim();
  return copy;
}
