import { AlreadyExistsError, IncompatibleFormatError, InvalidArgumentError, NotFoundError, invariant } from '../core/index.js';
import { normalizeRow, rowSpan, type Metric } from './distance.js';
import { requireSection, type DecodedSnapshot, type SectionArray } from './snapshot.js';
import { checkVector, type VectorId, type VectorLike } from './vector-index.js';
import { WASM_PAGE, align16, createL2Batch, type L2Batch, type WasmMemory } from './wasm-l2.js';

/** Rows held in a WebAssembly memory: the memory, the batch kernel over it, and the byte offset of row 0. */
export interface WasmRows {
  memory: WasmMemory;
  l2Batch: L2Batch;
  /** Bytes before the rows, left to the graph for its query row and the kernel's inputs and outputs. */
  rowsByte: number;
}

/**
 * The storage both indexes share: external ids ↔ dense slots, the vectors in one flat growable
 * `Float32Array`, and tombstones. A slot is given in insertion order and never reused, so the graph and
 * the codes can address vectors by slot; a removed item's slot stays as a tombstone (its vector is
 * kept until the index is rebuilt).
 *
 * Dimension order: once `reorderAfter` vectors are stored, the dimensions of every row (and of every
 * vector prepared afterwards) are permuted by decreasing variance over the rows seen so far. A
 * permutation changes no l2 or cos distance, but the partial sums of `l2SquaredBounded` then grow
 * fastest first and a rejected candidate stops after fewer dimensions (MNIST, whose border pixels are
 * always 0: 27% less CPU time to build, 50% more queries/s). `get` returns rows in the caller's
 * order. Not done for `ip`, whose distance cannot stop early.
 */
export class VectorSlots {
  readonly dim: number;
  readonly metric: Metric;
  /**
   * [capacity, dim] row-major; rows `0 .. count-1` are used. For `cos`, rows are unit length. A view
   * into `wasm.memory` when that is set (a new view after each growth: never keep it across an append).
   */
  data: Float32Array;
  /**
   * Set when the rows live in a WebAssembly memory, for `l2Batch` (asked for with `headBytes`; unset
   * where the runtime has no WebAssembly SIMD, and from the moment the rows outgrow 4 GiB).
   */
  wasm: WasmRows | undefined;
  /** [capacity] 1 for a removed slot. */
  deleted: Uint8Array;
  /**
   * [capacity] `rowSpan` of each row: a distance between two rows only reads `max(span)` values, the
   * rest being zeros in both (derived from the rows, not saved).
   */
  spans: Int32Array;
  /** Slots used so far, tombstones included. */
  count = 0;
  /** Slots that are not tombstones. */
  live = 0;
  /** The external id of each slot (tombstones keep theirs, for snapshots and debugging). */
  readonly ids: VectorId[] = [];
  /** [dim] stored dimension i holds the caller's dimension `order[i]`; undefined until reordered. */
  order: Int32Array | undefined;
  private readonly reorderAfter: number;
  private readonly slotById = new Map<VectorId, number>();

  /**
   * @param reorderAfter vectors stored before the dimensions are reordered (0: never).
   * @param headBytes when set, the rows are kept in a WebAssembly memory after this many bytes (see `wasm`).
   */
  constructor(dim: number, metric: Metric, options: { capacity: number; reorderAfter: number; headBytes?: number }) {
    this.dim = dim;
    this.metric = metric;
    this.reorderAfter = metric === 'ip' ? 0 : options.reorderAfter;
    const rowsByte = options.headBytes === undefined ? -1 : align16(options.headBytes);
    const kernel = rowsByte < 0 ? undefined : createL2Batch(Math.ceil((rowsByte + Math.max(1, options.capacity) * dim * 4) / WASM_PAGE));
    this.wasm = kernel === undefined ? undefined : { ...kernel, rowsByte };
    this.data = new Float32Array(0);
    this.resizeRows(options.capacity, 0);
    this.deleted = new Uint8Array(Math.max(1, options.capacity));
    this.spans = new Int32Array(Math.max(1, options.capacity));
  }

  /**
   * Checks a caller's vector and copies it into `target` (a scratch row: nothing is allocated per
   * call) in the stored dimension order, normalised to unit length under `cos`.
   * @throws InvalidArgumentError for a wrong dimension, a non-finite value, or a zero vector under `cos`.
   */
  prepare(vector: VectorLike, target: Float32Array, what: string): Float32Array {
    checkVector(vector, this.dim, what);
    const order = this.order;
    if (order === undefined) for (let i = 0; i < this.dim; i++) target[i] = vector[i]!;
    else for (let i = 0; i < this.dim; i++) target[i] = vector[order[i]!]!;
    if (this.metric === 'cos' && normalizeRow(target, 0, this.dim) === 0) {
      throw new InvalidArgumentError(`${what} is all zeros: it has no direction under the cos metric`);
    }
    return target;
  }

  get capacity(): number {
    return this.deleted.length;
  }

  /** The live slot of `id`, or undefined. */
  slotOf(id: VectorId): number | undefined {
    return this.slotById.get(id);
  }

  /**
   * The live slot of `id`.
   * @throws NotFoundError naming the id.
   */
  requireSlot(id: VectorId): number {
    const slot = this.slotById.get(id);
    if (slot === undefined) throw new NotFoundError(`vector id ${formatId(id)} is not in the index (${this.live} vectors)`);
    return slot;
  }

  /**
   * Copies a vector from `prepare` into a new slot and returns the slot.
   * @throws AlreadyExistsError when `id` is live (callers remove it first to update).
   */
  append(id: VectorId, prepared: Float32Array): number {
    if (this.slotById.has(id)) throw new AlreadyExistsError(`vector id ${formatId(id)} is already in the index`);
    if (this.count === this.capacity) this.grow(this.count * 2);
    const slot = this.count++;
    this.data.set(prepared, slot * this.dim);
    this.spans[slot] = rowSpan(this.data, slot * this.dim, this.dim);
    this.ids.push(id);
    this.slotById.set(id, slot);
    this.live++;
    return slot;
  }

  /** Marks `slot` removed: its id is free again, its row stays until a rebuild. */
  tombstone(slot: number): void {
    invariant(this.deleted[slot] === 0, `slot ${slot} is removed once`);
    this.deleted[slot] = 1;
    this.slotById.delete(this.ids[slot]!);
    this.live--;
  }

  /** A copy of the stored row of `slot`, in the caller's dimension order. */
  row(slot: number): Float32Array {
    return this.toCallerOrder(this.data.subarray(slot * this.dim, (slot + 1) * this.dim));
  }

  /** A copy of a row in the stored dimension order (from `data` or from a file), in the caller's order. */
  toCallerOrder(stored: Float32Array): Float32Array {
    if (this.order === undefined) return stored.slice();
    const out = new Float32Array(this.dim);
    for (let i = 0; i < this.dim; i++) out[this.order[i]!] = stored[i]!;
    return out;
  }

  /**
   * Drops the float32 rows (and their spans) from memory, for an index whose rows stay in a file:
   * afterwards nothing may read `data` (the index only searches codes and reads rows from the file).
   */
  releaseRows(): void {
    this.data = new Float32Array(0);
    this.wasm = undefined;
    this.spans = new Int32Array(0);
  }

  /**
   * Reorders the dimensions when `reorderAfter` vectors are stored (once): sorts them by decreasing
   * variance over the stored rows (ties by index) and permutes every row in place. Returns true when
   * it did, so the caller re-derives anything computed from the rows (compressed codes).
   */
  reorderIfDue(): boolean {
    if (this.order !== undefined || this.reorderAfter === 0 || this.count !== this.reorderAfter) return false;
    const { dim, count, data } = this;
    const sum = new Float64Array(dim);
    const sumSquares = new Float64Array(dim);
    for (let r = 0; r < count; r++) {
      for (let i = 0; i < dim; i++) {
        const x = data[r * dim + i]!;
        sum[i] = sum[i]! + x;
        sumSquares[i] = sumSquares[i]! + x * x;
      }
    }
    const variance = (i: number): number => sumSquares[i]! / count - (sum[i]! / count) ** 2;
    const order = Int32Array.from({ length: dim }, (_, i) => i).sort((a, b) => variance(b) - variance(a) || a - b);
    const row = new Float32Array(dim);
    for (let r = 0; r < count; r++) {
      for (let i = 0; i < dim; i++) row[i] = data[r * dim + order[i]!]!;
      data.set(row, r * dim);
      this.spans[r] = rowSpan(data, r * dim, dim);
    }
    this.order = order;
    return true;
  }

  /**
   * Keeps only the slots in `order`, renumbered: slot `order[i]` becomes slot i (its row, id and
   * state move with it). Used to drop tombstones and to lay rows out in graph order. Room is kept
   * for `capacity` slots (at least `order.length`).
   */
  renumber(order: Int32Array, capacity = order.length): void {
    const { dim } = this;
    const room = Math.max(1, order.length, capacity);
    // A new array even for rows in wasm memory, whose rows are then copied back in place.
    const data = new Float32Array(room * dim);
    const deleted = new Uint8Array(room);
    const spans = new Int32Array(room);
    const ids: VectorId[] = [];
    this.slotById.clear();
    for (let i = 0; i < order.length; i++) {
      const old = order[i]!;
      data.set(this.data.subarray(old * dim, (old + 1) * dim), i * dim);
      deleted[i] = this.deleted[old]!;
      spans[i] = this.spans[old]!;
      ids.push(this.ids[old]!);
      if (deleted[i] === 0) this.slotById.set(this.ids[old]!, i);
    }
    if (this.wasm === undefined) this.data = data;
    else {
      // A wasm memory never shrinks: rows that now need fewer pages move to a new one.
      const pages = Math.ceil((this.wasm.rowsByte + room * dim * 4) / WASM_PAGE);
      if (pages < this.wasm.memory.buffer.byteLength / WASM_PAGE) {
        const kernel = createL2Batch(pages);
        this.wasm = kernel === undefined ? undefined : { ...kernel, rowsByte: this.wasm.rowsByte };
      }
      this.resizeRows(room, 0);
      this.data.set(data);
    }
    this.deleted = deleted;
    this.spans = spans;
    this.ids.length = 0;
    this.ids.push(...ids);
    this.count = order.length;
    this.live = this.slotById.size;
  }

  /** Makes room for at least `capacity` slots. */
  grow(capacity: number): void {
    this.resizeRows(capacity, this.count * this.dim);
    const deleted = new Uint8Array(Math.max(1, capacity));
    deleted.set(this.deleted.subarray(0, this.count));
    const spans = new Int32Array(Math.max(1, capacity));
    spans.set(this.spans.subarray(0, this.count));
    this.deleted = deleted;
    this.spans = spans;
  }

  /**
   * Points `data` at room for `capacity` rows keeping its first `keep` values: in wasm memory when the
   * rows are there (a larger memory is a new one, the rows copied over; see below); else, or when no
   * larger memory can be had (past 4 GiB), in a new plain array (and `wasm` is unset for good).
   *
   * Never `memory.grow`: growing detaches the old `ArrayBuffer`, and one detached buffer switches off
   * V8's typed-array fast path (the ArrayBufferDetaching protector) for the whole process, which made
   * every other typed-array loop in it (FFM training, the lexical index) up to a third slower
   * (docs/benchmarks.md). Copying into a new memory costs one copy per doubling of the capacity.
   */
  private resizeRows(capacity: number, keep: number): void {
    const floats = Math.max(1, capacity) * this.dim;
    const wasm = this.wasm;
    if (wasm !== undefined) {
      const need = wasm.rowsByte + floats * 4;
      if (need <= wasm.memory.buffer.byteLength) {
        this.data = new Float32Array(wasm.memory.buffer, wasm.rowsByte, floats);
        return;
      }
      const kernel = createL2Batch(Math.ceil(need / WASM_PAGE));
      if (kernel !== undefined) {
        const rows = new Float32Array(kernel.memory.buffer, wasm.rowsByte, floats);
        rows.set(this.data.subarray(0, keep));
        this.wasm = { ...kernel, rowsByte: wasm.rowsByte };
        this.data = rows;
        return;
      }
      this.wasm = undefined;
    }
    const data = new Float32Array(floats);
    data.set(this.data.subarray(0, keep));
    this.data = data;
  }

  /**
   * The snapshot sections of the slots: `ids` (JSON array, UTF-8), `vectors` [count, dim] in stored
   * order, `deleted` [count], `order` [dim] (empty while not reordered).
   */
  sections(): Record<string, SectionArray> {
    return {
      ids: new TextEncoder().encode(JSON.stringify(this.ids)),
      vectors: this.data.subarray(0, this.count * this.dim),
      deleted: this.deleted.subarray(0, this.count),
      order: this.order ?? new Int32Array(0),
    };
  }

  /**
   * Restores the slots from a snapshot written by `sections()`.
   * @throws IncompatibleFormatError when a section is missing, the wrong size, or an id is malformed.
   */
  static restore(snapshot: DecodedSnapshot, options: { dim: number; metric: Metric; reorderAfter: number; headBytes?: number }): VectorSlots {
    const { dim, metric } = options;
    const ids = decodeIds(snapshot);
    const data = requireSection(snapshot, 'vectors', Float32Array, ids.length * dim);
    const deleted = requireSection(snapshot, 'deleted', Uint8Array, ids.length);
    const order = snapshot.sections.get('order');
    if (!(order instanceof Int32Array) || (order.length !== 0 && !isPermutation(order, dim))) {
      throw new IncompatibleFormatError(`snapshot section "order" must be empty or a permutation of 0..${dim - 1}`);
    }
    const slots = new VectorSlots(dim, metric, { capacity: ids.length, reorderAfter: options.reorderAfter, headBytes: options.headBytes });
    slots.order = order.length === 0 ? undefined : order;
    slots.data.set(data);
    slots.deleted.set(deleted);
    slots.count = ids.length;
    for (let slot = 0; slot < ids.length; slot++) {
      slots.spans[slot] = rowSpan(slots.data, slot * dim, dim);
      const id = ids[slot]!;
      slots.ids.push(id);
      if (deleted[slot] === 0) {
        if (slots.slotById.has(id)) throw new IncompatibleFormatError(`snapshot holds live vector id ${formatId(id)} twice`);
        slots.slotById.set(id, slot);
        slots.live++;
      }
    }
    return slots;
  }
}

function decodeIds(snapshot: DecodedSnapshot): VectorId[] {
  const bytes = snapshot.sections.get('ids');
  let ids: unknown;
  try {
    ids = bytes instanceof Uint8Array ? JSON.parse(new TextDecoder().decode(bytes)) : undefined;
  } catch (error) {
    throw new IncompatibleFormatError('snapshot section "ids" is not a JSON array', { cause: error });
  }
  const valid = Array.isArray(ids) && ids.every((id) => (typeof id === 'string' && id.length > 0) || Number.isSafeInteger(id));
  if (!valid) throw new IncompatibleFormatError('snapshot section "ids" must be an array of non-empty strings and safe integers');
  return ids as VectorId[];
}

/** `"a"` for string ids, `7` for numbers: the two kinds stay distinct in messages as in the index. */
export function formatId(id: VectorId): string {
  return typeof id === 'string' ? JSON.stringify(id) : String(id);
}

function isPermutation(order: Int32Array, dim: number): boolean {
  if (order.length !== dim) return false;
  const seen = new Uint8Array(dim);
  for (const i of order) {
    if (i < 0 || i >= dim || seen[i] === 1) return false;
    seen[i] = 1;
  }
  return true;
}
