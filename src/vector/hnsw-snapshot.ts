import { IncompatibleFormatError } from '../core/index.js';
import type { HnswGraph } from './hnsw-graph.js';
import { requireSection, type DecodedSnapshot, type SectionArray } from './snapshot.js';
import type { VectorSlots } from './vector-slots.js';

/**
 * The graph's snapshot sections: `levels` u8 [count], `links0` i32 [count, 2M + 1], `upper` i32 (the
 * [level, M + 1] rows of each node above layer 0, in slot order).
 */
export function graphSections(graph: HnswGraph, count: number): Record<string, SectionArray> {
  let upperLength = 0;
  for (let slot = 0; slot < count; slot++) upperLength += graph.upper[slot]?.length ?? 0;
  const upper = new Int32Array(upperLength);
  let offset = 0;
  for (let slot = 0; slot < count; slot++) {
    const rows = graph.upper[slot];
    if (rows === undefined) continue;
    upper.set(rows, offset);
    offset += rows.length;
  }
  return { levels: graph.levels.subarray(0, count), links0: graph.links0.subarray(0, count * (2 * graph.M + 1)), upper };
}

/**
 * Restores a new graph over restored `slots` from `graphSections` output, checking every list, and
 * advances its level rng past the `levelDraws` already made.
 * @throws IncompatibleFormatError when a section has the wrong size, a link points outside the index,
 *   or the entry point does not fit the graph.
 */
export function restoreGraph(
  graph: HnswGraph,
  slots: VectorSlots,
  snapshot: DecodedSnapshot,
  entry: { entryPoint: number; maxLevel: number; levelDraws: number },
): void {
  const count = slots.count;
  const stride0 = 2 * graph.M + 1;
  const strideUp = graph.M + 1;
  graph.levels.set(requireSection(snapshot, 'levels', Uint8Array, count));
  graph.links0.set(requireSection(snapshot, 'links0', Int32Array, count * stride0));
  let upperLength = 0;
  for (let slot = 0; slot < count; slot++) upperLength += graph.levels[slot]! * strideUp;
  const upper = requireSection(snapshot, 'upper', Int32Array, upperLength);
  let offset = 0;
  for (let slot = 0; slot < count; slot++) {
    const length = graph.levels[slot]! * strideUp;
    graph.upper[slot] = length > 0 ? upper.slice(offset, offset + length) : undefined;
    offset += length;
  }
  for (const [list, stride] of [[graph.links0.subarray(0, count * stride0), stride0], [upper, strideUp]] as const) {
    for (let i = 0; i < list.length; i += stride) {
      const n = list[i]!;
      const bad = n < 0 || n >= stride || list.subarray(i + 1, i + 1 + n).some((v) => v < 0 || v >= count);
      if (bad) throw new IncompatibleFormatError(`snapshot graph has a malformed neighbour list at offset ${i}`);
    }
  }
  const { entryPoint, maxLevel } = entry;
  const valid =
    slots.live === 0
      ? entryPoint === -1
      : entryPoint >= 0 && entryPoint < count && slots.deleted[entryPoint] === 0 && graph.levels[entryPoint] === maxLevel;
  if (!valid) throw new IncompatibleFormatError(`snapshot entry point ${entryPoint} (level ${maxLevel}) does not match the graph`);
  graph.entryPoint = entryPoint;
  graph.maxLevel = maxLevel;
  graph.skipLevelDraws(entry.levelDraws);
}
