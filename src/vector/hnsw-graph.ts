import { Rng, invariant, type Seed } from '../core/index.js';
import { l2SquaredBounded, rowDistance, rowDistanceBounded, rowSpan, type Metric } from './distance.js';
import { MaxHeap, VisitedSet } from './max-heap.js';
import type { VectorCodes } from './vector-codes.js';
import type { VectorId } from './vector-index.js';
import type { VectorSlots, WasmRows } from './vector-slots.js';
import { align16 } from './wasm-l2.js';

export interface HnswGraphParams {
  /** Links per node on layers >= 1; layer 0 keeps up to 2M (the paper's M_max0). */
  M: number;
  /** The candidate list size while inserting. */
  efConstruction: number;
  /** Seeds the level draws: the same seed and insertion order give the same graph. */
  seed: Seed;
}

/** Where the query row (at 0), the pending slots and the output distances sit in the wasm memory's head. */
function headLayout(dim: number, M: number): { pendingByte: number; outByte: number; end: number } {
  const slots = 2 * M + 1;
  const pendingByte = align16(dim * 4);
  const outByte = align16(pendingByte + slots * 4);
  return { pendingByte, outByte, end: outByte + slots * 8 };
}

/** The highest layer a node can get (levels are stored in a Uint8Array; 2^-30 odds at M = 2). */
const MAX_LEVEL = 30;
/**
 * Bytes of each row `l2Batch` loads ahead of its distances: the first bound block of the kernel (32
 * values), which every distance reads. On 100,000 x 64 rows (CPU time of the build, three
 * alternating runs each): 24.5-26.1 s touching 128 bytes, 25.4-26.7 s touching 256, 29.2-32.0 s none.
 */
const WASM_TOUCH_BYTES = 128;

/**
 * The HNSW graph of Malkov & Yashunin (2018, "Efficient and robust approximate nearest neighbor search
 * using Hierarchical Navigable Small World graphs"), over the rows of a `VectorSlots`: insertion
 * (their algorithm 1), the layer search (algorithm 2), the neighbour-selection heuristic (algorithm
 * 4) and the k-NN search (algorithm 5), plus deletion with neighbour repair.
 *
 * Layout: `links0` [capacity, 2M + 1] row-major, each row `[count, neighbour slots ...]`; a node on
 * level L >= 1 also has `upper[slot]` [L, M + 1] with the same row shape for layers 1..L.
 * While building, each list also keeps the distance of every link beside it (`dists0`, `upperDists`),
 * so a full list that must take one more link is re-pruned without recomputing its distances.
 * Distances come from float32 rows, or from compressed codes while `useCodes` is set (the search of a
 * compressed index); construction always uses float32.
 *
 * The hot loops (`searchLayer`, `greedy`, `distance`) are written without closures or allocation, and
 * `searchLayer` is one long function on purpose: it is where `bench/ann.ts` spends its time.
 */
export class HnswGraph {
  readonly M: number;
  readonly M0: number;
  readonly efConstruction: number;
  /** The paper's m_L = 1 / ln(M): the level of a node is floor(-ln(U) * m_L). */
  private readonly levelMult: number;
  private readonly stride0: number;
  private readonly strideUp: number;
  private readonly levelRng: Rng;
  private readonly slots: VectorSlots;
  private readonly metric: Metric;
  codes: VectorCodes | undefined;
  /** Set by the index around a search of a compressed index: distances then come from the codes. */
  useCodes = false;

  /** [capacity] the top layer of each node. */
  levels: Uint8Array;
  /** [capacity, 2M + 1] row-major: `[count, neighbours...]` on layer 0. */
  links0: Int32Array;
  /** Per node with level L >= 1: [L, M + 1] rows `[count, neighbours...]` for layers 1..L. */
  upper: (Int32Array | undefined)[] = [];
  /**
   * Build-time state, parallel to `links0`: `[known, distance of each link...]`, the distance from the
   * row's node to each neighbour, exactly as `rowDistance` computes it; `known` is 1 once the row's
   * distances are filled (0: recompute them before use). Allocated by the first insertion, dropped by
   * `renumber` and absent after a load: a row's distances are then computed the next time it overflows.
   */
  private dists0: Float64Array | undefined;
  /** The same for `upper`: one array per node, parallel to its upper rows (undefined: none known). */
  private upperDists: (Float64Array | undefined)[] = [];
  entryPoint = -1;
  maxLevel = -1;
  /** Levels drawn so far (one per insertion, removed ones included): saved, so a load resumes the rng. */
  levelDraws = 0;

  /** After a search: the best slots found, a max-heap on distance (its top is the worst kept). */
  readonly results = new MaxHeap(256);
  private readonly candidates = new MaxHeap(256);
  private readonly visited: VisitedSet;
  /** Scratch for the heuristic: candidates sorted by distance, and the chosen ones. */
  private poolSlots: Int32Array;
  private poolDists: Float64Array;
  private readonly chosen: Int32Array;
  /** The distance from the base node of the heuristic to each of `chosen`. */
  private readonly chosenDists: Float64Array;
  private greedyDistance = 0;
  /** `rowSpan` of the row or query being inserted or searched for (see `distance`). */
  private querySpan = 0;
  /** [2M] the unvisited neighbours of the node being expanded. */
  private readonly pending: Int32Array;
  /** Floats of a row touched ahead of its distance: the first 4 cache lines at most. */
  private readonly touchSpan: number;
  /** Where the touched values go, so the loads that warm the cache are not removed as dead code. */
  touched = 0;
  /**
   * When the rows are in wasm memory (`slots.wasm`): views of the head of that memory (see `headBytes`),
   * made again whenever the rows move to a new, larger memory. `queryByte` is where the row being inserted or searched
   * for is.
   */
  private wasmBuffer: ArrayBuffer | undefined;
  private wasmQuery = new Float32Array(0);
  private wasmPending = new Int32Array(0);
  private wasmOut = new Float64Array(0);
  private queryByte = 0;
  private readonly pendingByte: number;
  private readonly outByte: number;

  constructor(slots: VectorSlots, params: HnswGraphParams) {
    this.slots = slots;
    this.M = params.M;
    this.M0 = 2 * params.M;
    this.efConstruction = params.efConstruction;
    this.levelMult = 1 / Math.log(Math.max(2, params.M));
    this.stride0 = this.M0 + 1;
    this.strideUp = this.M + 1;
    this.levelRng = new Rng(params.seed).fork('hnsw-levels');
    this.metric = slots.metric;
    this.levels = new Uint8Array(slots.capacity);
    this.links0 = new Int32Array(slots.capacity * this.stride0);
    this.visited = new VisitedSet(slots.capacity);
    const pool = Math.max(params.efConstruction, 2 * this.M0) + 2;
    this.poolSlots = new Int32Array(pool);
    this.poolDists = new Float64Array(pool);
    this.chosen = new Int32Array(this.M0 + 1);
    this.chosenDists = new Float64Array(this.M0 + 1);
    this.pending = new Int32Array(this.M0 + 1);
    this.touchSpan = Math.min(slots.dim, 64);
    ({ pendingByte: this.pendingByte, outByte: this.outByte } = headLayout(slots.dim, params.M));
  }

  /**
   * Bytes the graph needs before the rows in wasm memory: the query row, then the slots and distances
   * of one `l2Batch` call (an expansion's unvisited neighbours, at most 2M).
   */
  static headBytes(dim: number, M: number): number {
    return headLayout(dim, M).end;
  }

  /** The head views of the wasm memory, made again when the rows have moved to a new memory. */
  private wasmViews(wasm: WasmRows): void {
    const buffer = wasm.memory.buffer;
    if (buffer === this.wasmBuffer) return;
    this.wasmBuffer = buffer;
    this.wasmQuery = new Float32Array(buffer, 0, this.slots.dim);
    this.wasmPending = new Int32Array(buffer, this.pendingByte, this.M0 + 1);
    this.wasmOut = new Float64Array(buffer, this.outByte, this.M0 + 1);
  }

  /** Bytes of graph per node: the layer-0 row, the level byte and the upper rows on average. */
  bytesPerNode(): number {
    const count = this.slots.count;
    let upperBytes = 0;
    for (let slot = 0; slot < count; slot++) upperBytes += this.upper[slot]?.byteLength ?? 0;
    return this.stride0 * 4 + 1 + (count > 0 ? upperBytes / count : 0);
  }

  /** Bytes per node of the link distances held while building (0 after `renumber` or a load). */
  distanceBytesPerNode(): number {
    const count = this.slots.count;
    let upperBytes = 0;
    for (let slot = 0; slot < count; slot++) upperBytes += this.upperDists[slot]?.byteLength ?? 0;
    return (this.dists0 === undefined ? 0 : this.stride0 * 8) + (count > 0 ? upperBytes / count : 0);
  }

  /** Algorithm 1: links a new slot (its row already in `slots`) into the graph. */
  insert(slot: number): void {
    this.ensureCapacity(this.slots.capacity);
    const level = Math.min(MAX_LEVEL, Math.floor(-Math.log(1 - this.levelRng.next()) * this.levelMult));
    this.levelDraws++;
    this.levels[slot] = level;
    this.links0[slot * this.stride0] = 0;
    this.rowDists(slot, 0)[slot * this.stride0] = 1;
    this.upper[slot] = level > 0 ? new Int32Array(level * this.strideUp) : undefined;
    // Every upper row starts empty, its distances known.
    this.upperDists[slot] = level > 0 ? new Float64Array(level * this.strideUp).fill(1) : undefined;
    if (this.entryPoint < 0) {
      this.entryPoint = slot;
      this.maxLevel = level;
      return;
    }
    const q = this.slots.data;
    const qOff = slot * this.slots.dim;
    this.querySpan = this.slots.spans[slot]!;
    if (this.slots.wasm !== undefined) this.queryByte = this.slots.wasm.rowsByte + qOff * 4;
    let ep = this.entryPoint;
    let epDist = this.distance(q, qOff, ep, Infinity);
    for (let layer = this.maxLevel; layer > level; layer--) {
      ep = this.greedy(q, qOff, ep, epDist, layer);
      epDist = this.greedyDistance;
    }
    for (let layer = Math.min(level, this.maxLevel); layer >= 0; layer--) {
      this.searchLayer(q, qOff, ep, epDist, this.efConstruction, layer, undefined);
      const found = this.drainResultsToPool();
      ep = this.poolSlots[0]!;
      epDist = this.poolDists[0]!;
      const chosen = this.selectNeighbours(slot, found, this.M);
      this.writeChosen(slot, layer, chosen);
      const { list, base } = this.row(slot, layer);
      const dists = this.rowDists(slot, layer);
      // The distance the search found from the new node to each neighbour is the neighbour's distance to it.
      for (let j = 0; j < chosen; j++) this.connect(list[base + 1 + j]!, slot, layer, dists[base + 1 + j]!);
    }
    if (level > this.maxLevel) {
      this.maxLevel = level;
      this.entryPoint = slot;
    }
  }

  /**
   * Algorithm 5: greedy descent through the upper layers, then a layer-0 search with `ef`. Leaves the
   * best `ef` accepted slots in `results`. `filter` (by external id) limits what is collected, never
   * what is traversed, so the walk can cross items that do not pass.
   */
  search(query: Float32Array, ef: number, filter: ((id: VectorId) => boolean) | undefined): void {
    this.querySpan = rowSpan(query, 0, this.slots.dim);
    const wasm = this.slots.wasm;
    if (wasm !== undefined && !this.useCodes) {
      this.wasmViews(wasm);
      this.wasmQuery.set(query.subarray(0, this.slots.dim));
      this.queryByte = 0;
    }
    let ep = this.entryPoint;
    let epDist = this.distance(query, 0, ep, Infinity);
    for (let layer = this.maxLevel; layer > 0; layer--) {
      ep = this.greedy(query, 0, ep, epDist, layer);
      epDist = this.greedyDistance;
    }
    this.searchLayer(query, 0, ep, epDist, ef, 0, filter);
  }

  /**
   * The distance from the row at `q[qOff..]` (or the prepared query of the codes) to `slot`; any value
   * above `bound` may be returned once the distance is known to exceed it (see `l2SquaredBounded`).
   * Only the first max(span of the query, span of the row) values are read: the rest are zeros in both.
   */
  distance(q: Float32Array, qOff: number, slot: number, bound: number): number {
    if (this.useCodes) return this.codes!.distance(slot, bound);
    const span = this.querySpan === this.slots.dim ? this.querySpan : this.slots.spans[slot]!;
    const n = span > this.querySpan ? span : this.querySpan;
    return rowDistanceBounded(this.metric, this.slots.data, slot * this.slots.dim, q, qOff, n, bound);
  }

  /** Algorithm 2 (SEARCH-LAYER), filter-aware: every visited node is expanded, only accepted ones are kept. */
  private searchLayer(
    q: Float32Array,
    qOff: number,
    entry: number,
    entryDist: number,
    ef: number,
    layer: number,
    filter: ((id: VectorId) => boolean) | undefined,
  ): void {
    const candidates = this.candidates;
    const results = this.results;
    candidates.clear();
    results.clear();
    const epoch = this.visited.next(this.slots.count);
    const tags = this.visited.tags;
    const checking = filter !== undefined || this.slots.live < this.slots.count;
    const links0 = this.links0;
    const stride0 = this.stride0;
    const upperBase = (layer - 1) * this.strideUp;
    // The float32 l2 case (every build, and most searches) calls its kernel directly.
    const directL2 = !this.useCodes && this.metric === 'l2';
    // With the rows in wasm memory, l2 and cos distances (cos is half the l2 of unit rows) come from
    // `l2Batch`, one call per expanded node.
    const wasm = this.useCodes || this.metric === 'ip' ? undefined : this.slots.wasm;
    const scale = this.metric === 'cos' ? 0.5 : 1;
    if (wasm !== undefined) this.wasmViews(wasm);
    const out = this.wasmOut;
    const data = this.slots.data;
    const dim = this.slots.dim;
    const spans = this.slots.spans;
    const querySpan = this.querySpan;
    const pendingSlots = wasm === undefined ? this.pending : this.wasmPending;
    let touched = 0;
    tags[entry] = epoch;
    candidates.push(-entryDist, entry);
    if (!checking || this.accepts(entry, filter)) results.push(entryDist, entry);
    while (candidates.size > 0) {
      const nearest = -candidates.topKey;
      if (results.size >= ef && nearest > results.topKey) break;
      const c = candidates.topValue;
      candidates.pop();
      const list = layer === 0 ? links0 : this.upper[c]!;
      const base = layer === 0 ? c * stride0 : upperBase;
      const n = list[base]!;
      // Two passes over the neighbours. The first marks the unvisited ones and loads the first cache
      // lines of their rows, so the memory system fetches all of them at once instead of stalling on
      // each in turn (hnswlib issues _mm_prefetch for the same reason; JavaScript has only loads, whose
      // sum is kept in `touched` so they are not optimised away; with rows in wasm memory `l2Batch`
      // does these loads itself, with fewer instructions in between). The second computes the distances.
      let pending = 0;
      let span = querySpan;
      for (let j = 1; j <= n; j++) {
        const v = list[base + j]!;
        if (tags[v] === epoch) continue;
        tags[v] = epoch;
        pendingSlots[pending++] = v;
        if (wasm === undefined) touched += this.touch(v);
        if (wasm !== undefined && span < dim && spans[v]! > span) span = spans[v]!;
      }
      if (wasm !== undefined && pending > 0) {
        // One bound for the whole batch, the one in force before it: the bound only tightens as
        // results come in, and a distance past the old bound is past the new one too, so every
        // decision below is the one the per-distance loop makes. Reading the widest span of the
        // batch for every row adds only terms that are 0 in both rows: the same floats.
        const bound = results.size >= ef ? results.topKey / scale : Infinity;
        wasm.l2Batch(wasm.rowsByte, dim * 4, this.queryByte, this.pendingByte, pending, (span - (span & 7)) * 4, span * 4, bound, this.outByte, Math.min(WASM_TOUCH_BYTES, span * 4));
      }
      for (let t = 0; t < pending; t++) {
        const v = pendingSlots[t]!;
        const full = results.size >= ef;
        const bound = full ? results.topKey : Infinity;
        let dv: number;
        if (wasm !== undefined) {
          dv = scale * out[t]!;
        } else if (directL2) {
          // A full-length query reads every value whatever the row's span: no load of `spans[v]`.
          const span = querySpan === dim ? dim : spans[v]!;
          dv = l2SquaredBounded(data, v * dim, q, qOff, span > querySpan ? span : querySpan, bound);
        } else {
          dv = this.distance(q, qOff, v, bound);
        }
        if (!full || dv < results.topKey) {
          candidates.push(-dv, v);
          if (!checking || this.accepts(v, filter)) {
            results.push(dv, v);
            if (results.size > ef) results.pop();
          }
        }
      }
    }
    this.touched = touched;
  }

  /** Loads the first cache lines (up to 4 x 64 bytes) of `slot`'s row or codes; see `searchLayer`. */
  private touch(slot: number): number {
    if (this.useCodes) return this.codes!.touch(slot);
    const data = this.slots.data;
    const off = slot * this.slots.dim;
    let sum = 0;
    for (let i = 0; i < this.touchSpan; i += 16) sum += data[off + i]!;
    return sum;
  }

  private accepts(slot: number, filter: ((id: VectorId) => boolean) | undefined): boolean {
    return this.slots.deleted[slot] === 0 && (filter === undefined || filter(this.slots.ids[slot]!));
  }

  /** SEARCH-LAYER with ef = 1 on an upper layer: moves to a closer neighbour while there is one. */
  private greedy(q: Float32Array, qOff: number, ep: number, epDist: number, layer: number): number {
    const base = (layer - 1) * this.strideUp;
    // As in `searchLayer`: with the rows in wasm memory, one `l2Batch` per node, bounded by the
    // distance to beat when it starts (which only falls).
    const wasm = this.useCodes || this.metric === 'ip' ? undefined : this.slots.wasm;
    const scale = this.metric === 'cos' ? 0.5 : 1;
    if (wasm !== undefined) this.wasmViews(wasm);
    const dim = this.slots.dim;
    const spans = this.slots.spans;
    let changed = true;
    while (changed) {
      changed = false;
      const list = this.upper[ep]!;
      const n = list[base]!;
      if (wasm !== undefined) {
        const pending = this.wasmPending;
        let span = this.querySpan;
        for (let j = 0; j < n; j++) {
          const v = list[base + 1 + j]!;
          pending[j] = v;
          if (span < dim && spans[v]! > span) span = spans[v]!;
        }
        wasm.l2Batch(wasm.rowsByte, dim * 4, this.queryByte, this.pendingByte, n, (span - (span & 7)) * 4, span * 4, epDist / scale, this.outByte, 0);
        const out = this.wasmOut;
        for (let j = 0; j < n; j++) {
          const dv = scale * out[j]!;
          if (dv < epDist) {
            epDist = dv;
            ep = pending[j]!;
            changed = true;
          }
        }
        continue;
      }
      for (let j = 1; j <= n; j++) {
        const v = list[base + j]!;
        const dv = this.distance(q, qOff, v, epDist);
        if (dv < epDist) {
          epDist = dv;
          ep = v;
          changed = true;
        }
      }
    }
    this.greedyDistance = epDist;
    return ep;
  }

  /** Moves `results` into the pool, closest first; returns how many. */
  private drainResultsToPool(): number {
    if (this.poolSlots.length < this.results.size) {
      this.poolSlots = new Int32Array(this.results.size * 2);
      this.poolDists = new Float64Array(this.results.size * 2);
    }
    return this.results.drainAscending(this.poolSlots, this.poolDists);
  }

  /**
   * Algorithm 4 (SELECT-NEIGHBORS-HEURISTIC, without extending or keeping pruned candidates, as hnswlib
   * does): walking the pool from the closest, a candidate is kept only when it is closer to `base` than
   * to every neighbour kept so far, so links spread in different directions instead of clustering.
   * Reads the first `n` pool entries (sorted ascending), writes the kept slots to `chosen`, returns how many.
   */
  private selectNeighbours(base: number, n: number, mMax: number): number {
    const pool = this.poolSlots;
    if (n <= mMax) {
      for (let i = 0; i < n; i++) {
        this.chosen[i] = pool[i]!;
        this.chosenDists[i] = this.poolDists[i]!;
      }
      return n;
    }
    const data = this.slots.data;
    const dim = this.slots.dim;
    const spans = this.slots.spans;
    // With the rows in wasm memory, the distances from a candidate to the kept ones come from one
    // `l2Batch` call (over `wasmPending`, which mirrors `chosen`), after the killer check below.
    const wasm = this.metric === 'ip' ? undefined : this.slots.wasm;
    const scale = this.metric === 'cos' ? 0.5 : 1;
    if (wasm !== undefined) this.wasmViews(wasm);
    const keptSlots = this.wasmPending;
    const out = this.wasmOut;
    // Checking first the kept neighbour that rejected the previous candidate rejects most candidates
    // with one distance (neighbouring candidates tend to be shadowed by the same node); the kept set is
    // the same in any order.
    let kept = 0;
    let killer = -1;
    for (let i = 0; i < n && kept < mMax; i++) {
      const c = pool[i]!;
      const dc = this.poolDists[i]!;
      const cSpan = spans[c]!;
      // A full-length row needs no look-up of the other row's span.
      const cFull = cSpan === dim;
      let good = c !== base;
      if (good && killer >= 0) {
        const r = this.chosen[killer]!;
        const n = cFull ? dim : Math.max(cSpan, spans[r]!);
        if (rowDistanceBounded(this.metric, data, c * dim, data, r * dim, n, dc) < dc) good = false;
      }
      if (good && wasm !== undefined && kept > 0) {
        // Every kept row at once, over the widest span among them and the candidate (the extra
        // terms are 0 in both rows): the first one closer to the candidate than `base` is the killer,
        // as in the loop below.
        let span = cSpan;
        for (let j = 0; j < kept && span < dim; j++) if (spans[this.chosen[j]!]! > span) span = spans[this.chosen[j]!]!;
        wasm.l2Batch(wasm.rowsByte, dim * 4, wasm.rowsByte + c * dim * 4, this.pendingByte, kept, (span - (span & 7)) * 4, span * 4, dc / scale, this.outByte, 0);
        for (let j = 0; j < kept; j++) {
          if (j !== killer && scale * out[j]! < dc) {
            good = false;
            killer = j;
            break;
          }
        }
      } else {
        for (let j = 0; j < kept && good; j++) {
          if (j === killer) continue;
          const r = this.chosen[j]!;
          const n = cFull ? dim : Math.max(cSpan, spans[r]!);
          if (rowDistanceBounded(this.metric, data, c * dim, data, r * dim, n, dc) < dc) {
            good = false;
            killer = j;
          }
        }
      }
      if (good) {
        this.chosenDists[kept] = dc;
        if (wasm !== undefined) keptSlots[kept] = c;
        this.chosen[kept++] = c;
      }
    }
    return kept;
  }

  /**
   * Adds the link `from → to` on `layer` (`dist`: their distance), shrinking `from`'s list with the
   * heuristic when it is full. The list's stored distances spare recomputing the others (hnswlib
   * recomputes them: 2M distances to rows scattered in memory, per overflow).
   */
  private connect(from: number, to: number, layer: number, dist: number): void {
    const mMax = layer === 0 ? this.M0 : this.M;
    const { list, base } = this.row(from, layer);
    const dists = this.rowDists(from, layer);
    const count = list[base]!;
    if (count < mMax) {
      list[base + 1 + count] = to;
      dists[base + 1 + count] = dist;
      list[base] = count + 1;
      return;
    }
    const pool = this.poolSlots;
    const poolDists = this.poolDists;
    for (let j = 0; j < count; j++) pool[j] = list[base + 1 + j]!;
    if (dists[base] === 1) for (let j = 0; j < count; j++) poolDists[j] = dists[base + 1 + j]!;
    else this.scorePool(from, 0, count);
    pool[count] = to;
    poolDists[count] = dist;
    this.rewrite(from, layer, count + 1);
  }

  /** Sets `poolDists[from .. to)` to the distances from `node` to the slots in `poolSlots`. */
  private scorePool(node: number, from: number, to: number): void {
    const data = this.slots.data;
    const dim = this.slots.dim;
    const spans = this.slots.spans;
    for (let i = from; i < to; i++) {
      const s = this.poolSlots[i]!;
      this.poolDists[i] = rowDistance(this.metric, data, node * dim, data, s * dim, Math.max(spans[node]!, spans[s]!));
    }
  }

  /** Sorts the first `n` pool entries (scored from `node`) and replaces `node`'s list on `layer` with the heuristic's pick. */
  private rewrite(node: number, layer: number, n: number): void {
    const pool = this.poolSlots;
    const dists = this.poolDists;
    // Insertion sort: n <= 2 * M0 + 1 entries.
    for (let i = 1; i < n; i++) {
      const d = dists[i]!;
      const s = pool[i]!;
      let j = i - 1;
      for (; j >= 0 && dists[j]! > d; j--) {
        dists[j + 1] = dists[j]!;
        pool[j + 1] = pool[j]!;
      }
      dists[j + 1] = d;
      pool[j + 1] = s;
    }
    this.writeChosen(node, layer, this.selectNeighbours(node, n, layer === 0 ? this.M0 : this.M));
  }

  /** Writes the first `kept` of `chosen` (and their distances, now known) as `node`'s list on `layer`. */
  private writeChosen(node: number, layer: number, kept: number): void {
    const { list, base } = this.row(node, layer);
    const dists = this.rowDists(node, layer);
    list[base] = kept;
    dists[base] = 1;
    for (let j = 0; j < kept; j++) {
      list[base + 1 + j] = this.chosen[j]!;
      dists[base + 1 + j] = this.chosenDists[j]!;
    }
  }

  /**
   * The distances parallel to `row(slot, layer)` (same offsets), allocated on first use with `known`
   * 0, and the array's own length for `links0`'s rows.
   */
  private rowDists(slot: number, layer: number): Float64Array {
    if (layer === 0) {
      if (this.dists0 === undefined || this.dists0.length < this.links0.length) {
        const grown = new Float64Array(this.links0.length);
        if (this.dists0 !== undefined) grown.set(this.dists0);
        this.dists0 = grown;
      }
      return this.dists0;
    }
    let dists = this.upperDists[slot];
    if (dists === undefined) {
      dists = new Float64Array(this.upper[slot]!.length);
      this.upperDists[slot] = dists;
    }
    return dists;
  }

  /**
   * Unlinks a slot already tombstoned in `slots`: every node that linked to it, on every layer, gets its
   * list rebuilt by the heuristic from its other neighbours plus the removed node's neighbours (so the
   * paths that went through the removed node survive). Finding those in-neighbours scans every list:
   * O(count * M) per removal. The removed node's own lists are cleared and a new entry point chosen
   * when needed, so no search reaches a tombstone again.
   */
  unlink(x: number): void {
    const count = this.slots.count;
    const deleted = this.slots.deleted;
    for (let layer = 0; layer <= this.levels[x]!; layer++) {
      for (let u = 0; u < count; u++) {
        if (u === x || deleted[u] === 1 || this.levels[u]! < layer) continue;
        if (this.links(u, layer, x)) this.repair(u, x, layer);
      }
    }
    for (let layer = 0; layer <= this.levels[x]!; layer++) {
      const { list, base } = this.row(x, layer);
      list[base] = 0;
    }
    if (this.entryPoint === x) this.chooseEntryPoint();
  }

  private links(u: number, layer: number, x: number): boolean {
    const { list, base } = this.row(u, layer);
    const n = list[base]!;
    for (let j = 1; j <= n; j++) if (list[base + j] === x) return true;
    return false;
  }

  private repair(u: number, x: number, layer: number): void {
    const epoch = this.visited.next(this.slots.count);
    const tags = this.visited.tags;
    tags[u] = epoch;
    tags[x] = epoch;
    let n = 0;
    for (const node of [u, x]) {
      const { list, base } = this.row(node, layer);
      const count = list[base]!;
      for (let j = 1; j <= count; j++) {
        const v = list[base + j]!;
        if (tags[v] === epoch || this.slots.deleted[v] === 1) continue;
        tags[v] = epoch;
        this.poolSlots[n++] = v;
      }
    }
    this.scorePool(u, 0, n);
    this.rewrite(u, layer, n);
  }

  private chooseEntryPoint(): void {
    this.entryPoint = -1;
    this.maxLevel = -1;
    for (let slot = 0; slot < this.slots.count; slot++) {
      if (this.slots.deleted[slot] === 0 && this.levels[slot]! > this.maxLevel) {
        this.entryPoint = slot;
        this.maxLevel = this.levels[slot]!;
      }
    }
  }

  private row(slot: number, layer: number): { list: Int32Array; base: number } {
    if (layer === 0) return { list: this.links0, base: slot * this.stride0 };
    const list = this.upper[slot];
    invariant(list !== undefined, `slot ${slot} has layer ${layer}`);
    return { list, base: (layer - 1) * this.strideUp };
  }

  private ensureCapacity(capacity: number): void {
    if (this.levels.length >= capacity) return;
    const levels = new Uint8Array(capacity);
    levels.set(this.levels);
    const links0 = new Int32Array(capacity * this.stride0);
    links0.set(this.links0);
    this.levels = levels;
    this.links0 = links0;
  }

  /** Advances the level rng past `count` draws: a restored graph then grows as one never saved would. */
  skipLevelDraws(count: number): void {
    for (let i = 0; i < count; i++) this.levelRng.next();
    this.levelDraws += count;
  }

  /**
   * Renumbers the nodes after `slots.renumber(order)`: node `order[i]` becomes node i; links to nodes
   * left out (tombstones, which no live list links to) are dropped. Room is kept for `capacity` nodes.
   * The link distances move with their links when `keepDistances` is set; otherwise they are dropped
   * (a finished build holds no more than it searches with) and a list's distances are computed again
   * the next time it overflows.
   */
  renumber(order: Int32Array, options: { capacity?: number; keepDistances?: boolean } = {}): void {
    const newOf = new Int32Array(this.levels.length).fill(-1);
    order.forEach((old, i) => (newOf[old] = i));
    const capacity = Math.max(1, order.length, options.capacity ?? 0);
    const levels = new Uint8Array(capacity);
    const links0 = new Int32Array(capacity * this.stride0);
    const upper: (Int32Array | undefined)[] = [];
    const fromDists0 = options.keepDistances === true ? this.dists0 : undefined;
    const dists0 = fromDists0 === undefined ? undefined : new Float64Array(links0.length);
    const upperDists: (Float64Array | undefined)[] = [];
    const remap = (from: Int32Array, fromBase: number, to: Int32Array, toBase: number, fromDists?: Float64Array, toDists?: Float64Array): void => {
      let kept = 0;
      for (let j = 1; j <= from[fromBase]!; j++) {
        const v = newOf[from[fromBase + j]!]!;
        if (v < 0) continue;
        if (toDists !== undefined) toDists[toBase + 1 + kept] = fromDists![fromBase + j]!;
        to[toBase + 1 + kept++] = v;
      }
      to[toBase] = kept;
      if (toDists !== undefined) toDists[toBase] = fromDists![fromBase]!;
    };
    for (let i = 0; i < order.length; i++) {
      const old = order[i]!;
      levels[i] = this.levels[old]!;
      remap(this.links0, old * this.stride0, links0, i * this.stride0, fromDists0, dists0);
      const rows = this.upper[old];
      if (rows === undefined) continue;
      const renumbered = new Int32Array(rows.length);
      const fromDists = options.keepDistances === true ? this.upperDists[old] : undefined;
      const toDists = fromDists === undefined ? undefined : new Float64Array(rows.length);
      for (let base = 0; base < rows.length; base += this.strideUp) remap(rows, base, renumbered, base, fromDists, toDists);
      upper[i] = renumbered;
      upperDists[i] = toDists;
    }
    this.levels = levels;
    this.links0 = links0;
    this.upper = upper;
    this.dists0 = dists0;
    this.upperDists = upperDists;
    // `slots.renumber` may have moved the rows to a new, smaller memory: let go of the old one.
    this.wasmBuffer = undefined;
    this.wasmQuery = new Float32Array(0);
    this.wasmPending = new Int32Array(0);
    this.wasmOut = new Float64Array(0);
    this.entryPoint = this.entryPoint < 0 ? -1 : newOf[this.entryPoint]!;
  }

  /**
   * The live nodes in breadth-first order of layer 0 from the entry point (then any live node the
   * walk did not reach, in slot order): numbering nodes this way puts neighbours near each other in
   * memory (Coleman et al. 2022, "Graph reordering for cache-efficient near neighbor search").
   */
  breadthFirstOrder(): Int32Array {
    const { count, deleted } = this.slots;
    const order = new Int32Array(this.slots.live);
    const epoch = this.visited.next(count);
    const tags = this.visited.tags;
    let head = 0;
    let tail = 0;
    if (this.entryPoint >= 0) {
      order[tail++] = this.entryPoint;
      tags[this.entryPoint] = epoch;
    }
    while (head < tail) {
      const c = order[head++]!;
      const base = c * this.stride0;
      for (let j = 1; j <= this.links0[base]!; j++) {
        const v = this.links0[base + j]!;
        if (tags[v] === epoch || deleted[v] === 1) continue;
        tags[v] = epoch;
        order[tail++] = v;
      }
    }
    for (let slot = 0; slot < count && tail < order.length; slot++) {
      if (tags[slot] !== epoch && deleted[slot] === 0) order[tail++] = slot;
    }
    return order;
  }
}
