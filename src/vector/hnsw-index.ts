import { closeSync, openSync, readFile as readFileCallback } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { z } from 'zod';
import { FailedPreconditionError, IncompatibleFormatError, InvalidArgumentError, type Seed } from '../core/index.js';
import { rowDistance, type Metric } from './distance.js';
import { drainHits, exactSearch } from './exact-search.js';
import { checkShape } from './brute-force-index.js';
import { HnswGraph } from './hnsw-graph.js';
import { graphSections, restoreGraph } from './hnsw-snapshot.js';
import { MaxHeap } from './max-heap.js';
import { RowFile } from './row-file.js';
import { decodeSnapshot, encodeSnapshot, writeFileAtomic, type DecodedSnapshot } from './snapshot.js';
import { QUANTIZATIONS, createCodes, type Quantization, type VectorCodes } from './vector-codes.js';
import { checkId, checkSearch, type SearchHit, type SearchOptions, type VectorId, type VectorIndex, type VectorLike } from './vector-index.js';
import { VectorSlots } from './vector-slots.js';

/** Every knob of the HNSW index; docs/vector.md explains each. */
export interface HnswOptions {
  dim: number;
  metric: Metric;
  /** Links per node on upper layers; layer 0 keeps 2M. */
  M: number;
  /** Candidate list size while inserting: higher builds a better graph, slower. */
  efConstruction: number;
  /** Default candidate list size while searching (raised to k; a search's `ef` overrides it). */
  ef: number;
  /** Seeds the level draws: same seed and insertion order → same graph. */
  seed: Seed;
  /** Search on compressed codes (then re-rank with float32), or on float32 only. */
  quantization: Quantization;
  /** fp8: dimensions per scale block. */
  fp8BlockSize: number;
  /** Compressed search: re-rank the best `rerankFactor * k` candidates with float32 (a search's `rerank` overrides it). */
  rerankFactor: number;
  /** Filtered search: how many items are sampled to estimate the filter's selectivity. */
  filterSampleSize: number;
  /**
   * Filtered search: below this estimated selectivity (fraction of items passing), scan exactly
   * instead of walking the graph. Undefined (the default): derived per search from the cost model of
   * `exactScanBelow`.
   */
  bruteForceSelectivity: number | undefined;
  /** Vectors stored before the dimensions are reordered by variance, for faster early exits (0: never; see `VectorSlots`). */
  reorderAfter: number;
  /** Slots allocated up front (the arrays double when full). */
  initialCapacity: number;
}

/** The knobs that only affect searching, which `configure` can change on a built index. */
export type HnswSearchKnobs = Pick<HnswOptions, 'ef' | 'rerankFactor' | 'filterSampleSize' | 'bruteForceSelectivity'>;

export const DEFAULT_HNSW_OPTIONS: Omit<HnswOptions, 'dim'> = {
  metric: 'l2',
  M: 16,
  efConstruction: 200,
  ef: 64,
  seed: 'quarry',
  quantization: 'none',
  fp8BlockSize: 32,
  rerankFactor: 4,
  filterSampleSize: 256,
  bruteForceSelectivity: undefined,
  reorderAfter: 1024,
  initialCapacity: 1024,
};

/**
 * The distance kernel an index computes float32 l2/cos distances with: `auto`, the WebAssembly SIMD
 * kernel (`wasm-l2.ts`) with the rows in its memory where the runtime has WebAssembly SIMD, else
 * TypeScript; `typescript`, always the TypeScript kernel over a plain `Float32Array` (the same
 * distances to the bit, so the same graph; slower to build). Not saved: a loaded index uses `auto`.
 */
export type HnswKernel = 'auto' | 'typescript';

/** Where `HnswIndex.load` keeps the float32 rows. */
export interface HnswLoadOptions {
  /**
   * `'memory'` (the default): everything in memory. `'file'`: only for a compressed index (int8 or
   * fp8): the codes and the graph are held in memory, the float32 rows stay in the snapshot file and
   * re-ranking reads the rows of its candidates with positional reads. Such an index is read-only
   * (add, remove and compact fail) and holds the file open until `close()`.
   */
  vectors?: 'memory' | 'file';
}

/** Bytes per stored vector, by part. */
export interface IndexMemory {
  /** float32 rows held in memory: 4 * dim, or 0 when they are read from the snapshot file. */
  vectorBytes: number;
  /** float32 rows left in the snapshot file and read for re-ranking: 4 * dim, or 0. */
  fileBytes: number;
  /** Compressed codes with their scales and norms (0 without quantisation). */
  codeBytes: number;
  /** Graph links, levels and upper-layer rows, averaged over nodes. */
  graphBytes: number;
  /**
   * The distance of every link, kept while building so a full list is re-pruned without recomputing
   * them (8 bytes per link slot); 0 after `compact()` or a load.
   */
  buildBytes: number;
  /** What a search walks over: the codes when compressed, the float32 rows otherwise. */
  searchedBytes: number;
  /** Everything held in memory per vector (rows, codes, graph, link distances). */
  totalBytes: number;
}

const HeaderSchema = z.object({
  kind: z.literal('hnsw'),
  dim: z.number().int().positive(),
  metric: z.enum(['l2', 'ip', 'cos']),
  M: z.number().int().min(2),
  efConstruction: z.number().int().positive(),
  ef: z.number().int().positive(),
  seed: z.union([z.string(), z.number()]),
  quantization: z.enum(['none', 'int8', 'fp8']),
  fp8BlockSize: z.number().int().positive(),
  rerankFactor: z.number().positive(),
  filterSampleSize: z.number().int().positive(),
  bruteForceSelectivity: z.number().min(0).max(1).optional(),
  reorderAfter: z.number().int().min(0),
  initialCapacity: z.number().int().positive(),
  entryPoint: z.number().int(),
  maxLevel: z.number().int(),
  levelDraws: z.number().int().min(0).optional(),
});

/**
 * `add` lays the index out in graph order (as `compact` does) when the slot count reaches 4,096 and
 * then each time it has grown by a quarter (see `compactionDue`).
 */
const FIRST_COMPACTION = 4096;
const COMPACTION_GROWTH = 1.25;

/**
 * Whether `count` insertions is one of the sizes at which `add` compacts: 4,096, then each 25% larger
 * (rounded up). `add` passes the number of insertions ever made (`levelDraws`: saved, never lower
 * after a removal or a compaction), so an index saved and loaded compacts at the same points as one
 * never saved, and an update (a removal and an insertion) cannot land on the same size again.
 */
export function compactionDue(count: number): boolean {
  let at = FIRST_COMPACTION;
  while (at < count) at = Math.ceil(at * COMPACTION_GROWTH);
  return at === count;
}

/** The golden ratio's fractional part: i * φ mod 1 spreads samples evenly without an rng (Weyl sequence). */
const GOLDEN = 0.6180339887498949;

/**
 * Approximate nearest neighbours on an HNSW graph (see `hnsw-graph.ts`), with tombstone deletes and
 * neighbour repair, filtered search, optional int8/fp8 compressed search with float32 re-ranking, and
 * snapshots.
 */
export class HnswIndex implements VectorIndex {
  private settings: HnswOptions;
  private slots: VectorSlots;
  private graph: HnswGraph;
  private codes: VectorCodes | undefined;
  private readonly scratch: Float32Array;
  private readonly heap = new MaxHeap(64);
  /** The code distances of a compressed exact scan, before re-ranking. */
  private readonly scanHeap = new MaxHeap(64);
  /** Set when the float32 rows are read from the snapshot file (`load(path, { vectors: 'file' })`). */
  private rows: RowFile | undefined;
  private rerankSlots = new Int32Array(64);
  private rerankDists = new Float64Array(64);

  /** @throws InvalidArgumentError naming the first bad option. */
  constructor(options: Partial<HnswOptions> & { dim: number; kernel?: HnswKernel }) {
    const { kernel = 'auto', ...settings } = options;
    const resolved: HnswOptions = { ...DEFAULT_HNSW_OPTIONS, ...settings };
    checkOptions(resolved);
    if (kernel !== 'auto' && kernel !== 'typescript') throw new InvalidArgumentError(`HNSW kernel must be auto or typescript, got ${String(kernel)}`);
    this.settings = resolved;
    this.slots = new VectorSlots(resolved.dim, resolved.metric, {
      capacity: resolved.initialCapacity,
      reorderAfter: resolved.reorderAfter,
      // No kernel computes inner products in wasm: `ip` rows stay in a plain array.
      ...(kernel === 'auto' && resolved.metric !== 'ip' ? { headBytes: HnswGraph.headBytes(resolved.dim, resolved.M) } : {}),
    });
    this.graph = new HnswGraph(this.slots, resolved);
    this.codes = createCodes(resolved.quantization, { ...resolved, capacity: resolved.initialCapacity });
    this.graph.codes = this.codes;
    this.scratch = new Float32Array(resolved.dim);
  }

  /** The index's settings (a copy). */
  get options(): Readonly<HnswOptions> {
    return { ...this.settings };
  }

  /**
   * Changes search-time knobs of a built (or loaded) index; the graph is unchanged.
   * @throws InvalidArgumentError naming a bad value.
   */
  configure(knobs: Partial<HnswSearchKnobs>): void {
    const next = { ...this.settings, ...knobs };
    checkOptions(next);
    this.settings = next;
  }

  get dim(): number {
    return this.settings.dim;
  }

  get metric(): Metric {
    return this.settings.metric;
  }

  get size(): number {
    return this.slots.live;
  }

  add(id: VectorId, vector: VectorLike): void {
    this.requireRowsInMemory('add vectors');
    checkId(id);
    this.slots.prepare(vector, this.scratch, `vector ${String(id)}`);
    const previous = this.slots.slotOf(id);
    if (previous !== undefined) this.removeSlot(previous);
    const slot = this.slots.append(id, this.scratch);
    if (this.slots.reorderIfDue()) this.encodeAll();
    else this.codes?.encode(slot, this.slots.data, slot * this.dim);
    this.graph.insert(slot);
    if (compactionDue(this.graph.levelDraws)) this.layOutInGraphOrder({ capacity: this.slots.capacity, keepDistances: true });
  }

  /** Tombstones the vector and repairs the links that went through it (O(n * M): see `HnswGraph.unlink`). */
  remove(id: VectorId): void {
    this.requireRowsInMemory('remove vectors');
    this.removeSlot(this.slots.requireSlot(id));
  }

  has(id: VectorId): boolean {
    return this.slots.slotOf(id) !== undefined;
  }

  get(id: VectorId): Float32Array {
    const slot = this.slots.requireSlot(id);
    return this.rows === undefined ? this.slots.row(slot) : this.slots.toCallerOrder(this.rows.read(slot));
  }

  /** Where the float32 rows are: in memory, or read from this snapshot file. */
  get vectorsOnFile(): string | undefined {
    return this.rows?.path;
  }

  /** Releases the snapshot file of an index loaded with `vectors: 'file'` (searches then fail); a no-op otherwise. */
  close(): void {
    this.rows?.close();
  }

  /**
   * The k nearest live vectors. With a filter, the filter's selectivity is estimated on
   * `filterSampleSize` items; below the threshold of `exactScanBelow` the index scans exactly (few
   * items pass, so few distances are computed), above it the graph is walked through every item but
   * only passing ones are collected. Either way, when the walk returns fewer than k hits while more items exist,
   * the exact scan answers, so a filtered search never misses passing items for lack of reach.
   * A compressed index scans its codes instead and re-ranks the best `rerank` with float32, as its walk does.
   */
  search(query: VectorLike, k: number, options: SearchOptions = {}): SearchHit[] {
    if (this.rows?.closed === true) throw new FailedPreconditionError(`the index reading its vectors from ${this.rows.path} was closed`);
    checkSearch(k, this.size, options);
    const q = this.slots.prepare(query, this.scratch, 'query');
    const filter = options.filter;
    if (filter !== undefined) {
      const ef = Math.max(options.ef ?? this.settings.ef, k, this.codes === undefined ? 0 : this.rerankCount(k, options));
      if (this.estimateSelectivity(filter) < this.exactScanBelow(ef)) return this.exactScan(q, k, options);
    }
    const hits = this.codes === undefined ? this.searchFloat(q, k, options) : this.searchCodes(q, k, options, this.codes);
    if (hits.length < k && hits.length < this.size) return this.exactScan(q, k, options);
    return hits;
  }

  /**
   * The fraction of sampled live items whose id passes `filter`: up to `filterSampleSize` slots picked
   * along a Weyl sequence (deterministic, evenly spread, not aligned with any stride of ids). Small
   * indexes are scanned whole.
   */
  estimateSelectivity(filter: (id: VectorId) => boolean): number {
    const { count, deleted, ids } = this.slots;
    const wanted = Math.min(this.settings.filterSampleSize, this.size);
    if (this.size <= this.settings.filterSampleSize) return 0;
    let tested = 0;
    let passed = 0;
    let x = 0.5;
    for (let attempt = 0; attempt < 4 * wanted && tested < wanted; attempt++) {
      x = (x + GOLDEN) % 1;
      const slot = Math.floor(x * count);
      if (deleted[slot] === 1) continue;
      tested++;
      if (filter(ids[slot]!)) passed++;
    }
    return tested === 0 ? 0 : passed / tested;
  }

  /**
   * The selectivity below which a filtered search scans exactly: `bruteForceSelectivity` when set,
   * else the p where two cost estimates meet, counted in distance computations (fitted on 20,000 and
   * 100,000 clustered 64-dim vectors, docs/vector.md): the exact scan costs n * p + n / 64 (a filter
   * call costs about 1/64 of a distance), the filtered walk about ef * 2M / (4p) (ef passing items
   * need about ef / p expansions of up to 2M links, a quarter of them new). Solving
   * n p^2 + (n / 64) p - ef * M / 2 = 0 gives about 6% at n = 100,000 and 15% at 20,000 (ef 64, M 16).
   */
  exactScanBelow(ef: number): number {
    const fixed = this.settings.bruteForceSelectivity;
    if (fixed !== undefined) return fixed;
    const n = Math.max(1, this.size);
    const linear = n / 64;
    return (-linear + Math.sqrt(linear * linear + 2 * n * ef * this.settings.M)) / (2 * n);
  }

  /**
   * Renumbers the vectors in breadth-first order of the graph and drops the rows of removed ones.
   * Neighbours then sit near each other in memory, so a search waits less on it: 30 to 40% more
   * queries/s on 100,000 x 64 vectors (`bench/ann.ts` calls it after building, inside the build
   * time). Results are unchanged except for ties; O(n * M). `add` does the same by itself at the
   * sizes of `compactionDue` (so the insertions of a long build walk a graph laid out this way),
   * keeping its spare room and the link distances; `compact()` also drops those, for a finished
   * build. Call it after a bulk build or after many removals; later insertions are placed as usual.
   */
  compact(): void {
    this.requireRowsInMemory('compact');
    this.layOutInGraphOrder({});
  }

  /** `compact`, keeping room for `capacity` slots and, with `keepDistances`, the graph's link distances. */
  private layOutInGraphOrder(options: { capacity?: number; keepDistances?: boolean }): void {
    const order = this.graph.breadthFirstOrder();
    this.slots.renumber(order, options.capacity);
    this.graph.renumber(order, options);
    this.encodeAll();
  }

  /** Bytes held per vector, by part. */
  memory(): IndexMemory {
    const rowBytes = 4 * this.dim;
    const vectorBytes = this.rows === undefined ? rowBytes : 0;
    const codeBytes = this.codes?.bytesPerVector ?? 0;
    const graphBytes = this.graph.bytesPerNode();
    const buildBytes = this.graph.distanceBytesPerNode();
    return {
      vectorBytes,
      fileBytes: rowBytes - vectorBytes,
      codeBytes,
      graphBytes,
      buildBytes,
      searchedBytes: codeBytes || vectorBytes,
      totalBytes: vectorBytes + codeBytes + graphBytes + buildBytes,
    };
  }

  serialize(): Uint8Array {
    const { dim, ...rest } = this.settings;
    const { entryPoint, maxLevel, levelDraws } = this.graph;
    const header = { kind: 'hnsw', dim, ...rest, seed: rest.seed, entryPoint, maxLevel, levelDraws };
    const sections = this.slots.sections();
    if (this.rows !== undefined) sections.vectors = this.rows.readAll(this.slots.count);
    return encodeSnapshot(header, { ...sections, ...graphSections(this.graph, this.slots.count) });
  }

  async save(path: string): Promise<void> {
    await writeFileAtomic(path, this.serialize());
  }

  /**
   * Restores an index from `serialize()` bytes; compressed codes are recomputed from the float32 rows.
   * @throws IncompatibleFormatError when the bytes are not an HNSW snapshot of a known version.
   */
  static deserialize(bytes: Uint8Array, source = 'snapshot'): HnswIndex {
    return HnswIndex.fromSnapshot(decodeSnapshot(bytes, source), source);
  }

  private static fromSnapshot(snapshot: DecodedSnapshot, source: string): HnswIndex {
    const parsed = HeaderSchema.safeParse(snapshot.header);
    if (!parsed.success) throw new IncompatibleFormatError(`${source} is not an HNSW index snapshot: ${parsed.error.message}`);
    const { kind: _kind, entryPoint, maxLevel, levelDraws, ...options } = parsed.data;
    const index = new HnswIndex(options);
    index.slots = VectorSlots.restore(snapshot, { ...options, ...(options.metric === 'ip' ? {} : { headBytes: HnswGraph.headBytes(options.dim, options.M) }) });
    index.graph = new HnswGraph(index.slots, options);
    // Version-1 snapshots written before `compact` existed have one draw per slot.
    restoreGraph(index.graph, index.slots, snapshot, { entryPoint, maxLevel, levelDraws: levelDraws ?? index.slots.count });
    index.encodeAll();
    return index;
  }

  /**
   * Reads a snapshot file written by `save`. With `vectors: 'file'` (compressed indexes only) the
   * float32 rows are read once to compute the codes, then dropped: re-ranking reads them from the
   * file, through the file descriptor the snapshot was read from (so a later `save` over the same path
   * does not change what this index reads). Call `close()` when done.
   * @throws IncompatibleFormatError (see `deserialize`); InvalidArgumentError for `vectors: 'file'` on
   *   an uncompressed snapshot or an unknown `vectors` value.
   */
  static async load(path: string, options: HnswLoadOptions = {}): Promise<HnswIndex> {
    const vectors = options.vectors ?? 'memory';
    if (vectors === 'memory') return HnswIndex.deserialize(await readFile(path), path);
    if (vectors !== 'file') throw new InvalidArgumentError(`load option vectors must be 'memory' or 'file', got ${String(vectors)}`);
    const fd = openSync(path, 'r');
    try {
      const snapshot = decodeSnapshot(await readFd(fd), path);
      const index = HnswIndex.fromSnapshot(snapshot, path);
      if (index.codes === undefined) {
        throw new InvalidArgumentError(`${path} holds an uncompressed index (quantization none): vectors 'file' needs int8 or fp8 codes to search in memory`);
      }
      index.rows = new RowFile(fd, path, snapshot.offsets.get('vectors')!, index.dim);
      index.slots.releaseRows();
      return index;
    } catch (error) {
      closeSync(fd);
      throw error;
    }
  }

  /** (Re)computes every slot's codes from the float32 rows: after a load or a reordering of dimensions. */
  private encodeAll(): void {
    this.codes = createCodes(this.settings.quantization, { ...this.options, capacity: Math.max(1, this.slots.count) });
    for (let slot = 0; slot < this.slots.count; slot++) this.codes?.encode(slot, this.slots.data, slot * this.dim);
    this.graph.codes = this.codes;
  }

  /** @throws FailedPreconditionError when the rows are on file (the graph cannot be built from codes). */
  private requireRowsInMemory(what: string): void {
    if (this.rows !== undefined) {
      throw new FailedPreconditionError(`cannot ${what}: the index was loaded with its vectors on file (${this.rows.path}) and is read-only; load it with vectors 'memory' to change it`);
    }
  }

  private removeSlot(slot: number): void {
    this.slots.tombstone(slot);
    this.graph.unlink(slot);
  }

  private searchFloat(q: Float32Array, k: number, options: SearchOptions): SearchHit[] {
    this.graph.search(q, Math.max(options.ef ?? this.settings.ef, k), options.filter);
    const results = this.graph.results;
    while (results.size > k) results.pop();
    return drainHits(results, this.slots.ids);
  }

  private rerankCount(k: number, options: SearchOptions): number {
    return Math.max(k, options.rerank ?? Math.ceil(this.settings.rerankFactor * k));
  }

  /** Walks the graph on code distances, then re-ranks the best `rerank` candidates with float32 rows. */
  private searchCodes(q: Float32Array, k: number, options: SearchOptions, codes: VectorCodes): SearchHit[] {
    const rerank = this.rerankCount(k, options);
    codes.setQuery(q);
    this.graph.useCodes = true;
    try {
      this.graph.search(q, Math.max(options.ef ?? this.settings.ef, rerank), options.filter);
    } finally {
      this.graph.useCodes = false;
    }
    return this.rerank(this.graph.results, rerank, q, k);
  }

  /**
   * The exact scan of a search: over float32 rows, or for a compressed index over every passing
   * item's codes, whose best `rerank` are re-ranked with float32 like the walk's (so an index whose
   * rows are on file reads only those rows, and answers as the same index in memory does).
   */
  private exactScan(q: Float32Array, k: number, options: SearchOptions): SearchHit[] {
    const codes = this.codes;
    if (codes === undefined) return exactSearch(this.slots, q, k, options.filter, this.heap);
    const rerank = this.rerankCount(k, options);
    const { count, deleted, ids } = this.slots;
    const filter = options.filter;
    const heap = this.scanHeap;
    heap.clear();
    codes.setQuery(q);
    for (let slot = 0; slot < count; slot++) {
      if (deleted[slot] === 1 || (filter !== undefined && !filter(ids[slot]!))) continue;
      const full = heap.size >= rerank;
      const d = codes.distance(slot, full ? heap.topKey : Infinity);
      if (!full) heap.push(d, slot);
      else if (d < heap.topKey) {
        heap.pop();
        heap.push(d, slot);
      }
    }
    return this.rerank(heap, rerank, q, k);
  }

  /** Keeps the best `rerank` of `results` (code distances) and returns the best k by float32 distance, from memory or the file. */
  private rerank(results: MaxHeap, rerank: number, q: Float32Array, k: number): SearchHit[] {
    while (results.size > rerank) results.pop();
    if (this.rerankSlots.length < results.size) {
      this.rerankSlots = new Int32Array(results.size * 2);
      this.rerankDists = new Float64Array(results.size * 2);
    }
    const n = results.drainAscending(this.rerankSlots, this.rerankDists);
    const heap = this.heap;
    heap.clear();
    const { data, dim } = this.slots;
    const rows = this.rows;
    for (let i = 0; i < n; i++) {
      const slot = this.rerankSlots[i]!;
      const d = rows === undefined ? rowDistance(this.metric, data, slot * dim, q, 0, dim) : rowDistance(this.metric, rows.read(slot), 0, q, 0, dim);
      if (heap.size < k) heap.push(d, slot);
      else if (d < heap.topKey) {
        heap.pop();
        heap.push(d, slot);
      }
    }
    return drainHits(heap, this.slots.ids);
  }
}

const readFdAsync = promisify(readFileCallback);

/** The whole file behind an open descriptor (read from its start). */
async function readFd(fd: number): Promise<Uint8Array> {
  return readFdAsync(fd);
}

function checkOptions(options: HnswOptions): void {
  checkShape(options.dim, options.metric);
  const positiveInt = (name: keyof HnswOptions, min = 1): void => {
    const value = options[name];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
      throw new InvalidArgumentError(`HNSW option ${name} must be an integer >= ${min}, got ${String(value)}`);
    }
  };
  positiveInt('M', 2);
  positiveInt('efConstruction');
  positiveInt('ef');
  positiveInt('fp8BlockSize');
  positiveInt('filterSampleSize');
  positiveInt('initialCapacity');
  positiveInt('reorderAfter', 0);
  if (!(options.rerankFactor >= 1)) throw new InvalidArgumentError(`HNSW option rerankFactor must be >= 1, got ${options.rerankFactor}`);
  const fixed = options.bruteForceSelectivity;
  if (fixed !== undefined && !(fixed >= 0 && fixed <= 1)) {
    throw new InvalidArgumentError(`HNSW option bruteForceSelectivity must be in [0, 1], got ${options.bruteForceSelectivity}`);
  }
  if (!QUANTIZATIONS.includes(options.quantization)) {
    throw new InvalidArgumentError(`HNSW option quantization must be one of ${QUANTIZATIONS.join(', ')}, got ${String(options.quantization)}`);
  }
}
