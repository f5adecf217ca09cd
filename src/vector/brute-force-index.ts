import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { IncompatibleFormatError, InvalidArgumentError } from '../core/index.js';
import { METRICS, type Metric } from './distance.js';
import { exactSearch } from './exact-search.js';
import { MaxHeap } from './max-heap.js';
import { decodeSnapshot, encodeSnapshot, writeFileAtomic } from './snapshot.js';
import { checkId, checkSearch, type SearchHit, type SearchOptions, type VectorId, type VectorIndex, type VectorLike } from './vector-index.js';
import { VectorSlots } from './vector-slots.js';

export interface BruteForceOptions {
  dim: number;
  /** Default `l2`. */
  metric?: Metric;
  /** Vectors stored before the dimensions are reordered by variance, for faster early exits (default 1024, 0: never; see `VectorSlots`). */
  reorderAfter?: number;
}

const HeaderSchema = z.object({
  kind: z.literal('brute-force'),
  dim: z.number().int().positive(),
  metric: z.enum(['l2', 'ip', 'cos']),
  reorderAfter: z.number().int().min(0),
});

/**
 * The exact index: every search scores every live vector. The reference the HNSW index is tested
 * against, and the right choice below a few thousand vectors.
 */
export class BruteForceIndex implements VectorIndex {
  private slots: VectorSlots;
  private readonly scratch: Float32Array;
  private readonly heap = new MaxHeap(16);
  private readonly reorderAfter: number;

  /** @throws InvalidArgumentError when `dim` is not a positive integer or `metric` is unknown. */
  constructor(options: BruteForceOptions) {
    const metric = options.metric ?? 'l2';
    checkShape(options.dim, metric);
    const reorderAfter = options.reorderAfter ?? 1024;
    if (!Number.isInteger(reorderAfter) || reorderAfter < 0) throw new InvalidArgumentError(`reorderAfter must be an integer >= 0, got ${reorderAfter}`);
    this.reorderAfter = reorderAfter;
    this.slots = new VectorSlots(options.dim, metric, { capacity: 64, reorderAfter });
    this.scratch = new Float32Array(options.dim);
  }

  get dim(): number {
    return this.slots.dim;
  }

  get metric(): Metric {
    return this.slots.metric;
  }

  get size(): number {
    return this.slots.live;
  }

  add(id: VectorId, vector: VectorLike): void {
    checkId(id);
    this.slots.prepare(vector, this.scratch, `vector ${String(id)}`);
    const previous = this.slots.slotOf(id);
    if (previous !== undefined) this.slots.tombstone(previous);
    this.slots.append(id, this.scratch);
    this.slots.reorderIfDue();
  }

  remove(id: VectorId): void {
    this.slots.tombstone(this.slots.requireSlot(id));
  }

  has(id: VectorId): boolean {
    return this.slots.slotOf(id) !== undefined;
  }

  get(id: VectorId): Float32Array {
    return this.slots.row(this.slots.requireSlot(id));
  }

  search(query: VectorLike, k: number, options: SearchOptions = {}): SearchHit[] {
    checkSearch(k, this.size, options);
    this.slots.prepare(query, this.scratch, 'query');
    return exactSearch(this.slots, this.scratch, k, options.filter, this.heap);
  }

  serialize(): Uint8Array {
    return encodeSnapshot({ kind: 'brute-force', dim: this.dim, metric: this.metric, reorderAfter: this.reorderAfter }, this.slots.sections());
  }

  async save(path: string): Promise<void> {
    await writeFileAtomic(path, this.serialize());
  }

  /**
   * Restores an index from `serialize()` bytes.
   * @throws IncompatibleFormatError when the bytes are not a brute-force snapshot of a known version.
   */
  static deserialize(bytes: Uint8Array, source = 'snapshot'): BruteForceIndex {
    const snapshot = decodeSnapshot(bytes, source);
    const parsed = HeaderSchema.safeParse(snapshot.header);
    if (!parsed.success) throw new IncompatibleFormatError(`${source} is not a brute-force index snapshot: ${parsed.error.message}`);
    const index = new BruteForceIndex(parsed.data);
    index.slots = VectorSlots.restore(snapshot, parsed.data);
    return index;
  }

  /** Reads a snapshot file written by `save`. @throws IncompatibleFormatError (see `deserialize`). */
  static async load(path: string): Promise<BruteForceIndex> {
    return BruteForceIndex.deserialize(await readFile(path), path);
  }
}

/** @throws InvalidArgumentError when `dim` is not a positive integer or `metric` is unknown. */
export function checkShape(dim: number, metric: Metric): void {
  if (!Number.isInteger(dim) || dim <= 0) throw new InvalidArgumentError(`dim must be a positive integer, got ${dim}`);
  if (!METRICS.includes(metric)) throw new InvalidArgumentError(`metric must be one of ${METRICS.join(', ')}, got ${String(metric)}`);
}
