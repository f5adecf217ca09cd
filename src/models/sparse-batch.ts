/**
 * Sparse samples for CTR models: each sample is a label and a list of (field, feature, value) triples,
 * the libffm view of a row (libsvm rows have every feature in field 0).
 *
 * A batch stores its rows in CSR form, so a training loop walks flat typed arrays and allocates
 * nothing per sample:
 *
 *   offsets  Int32Array   [size + 1]  row r holds entries offsets[r] .. offsets[r + 1] - 1
 *   indices  Int32Array   [nnz]       feature id of each entry, 0 .. nFeatures - 1
 *   fields   Int32Array   [nnz]       field id of each entry, 0 .. nFields - 1
 *   values   Float32Array [nnz]       feature value of each entry
 *   labels   Float32Array [size]      0 or 1
 */

import { InvalidArgumentError, invariant, Rng, type Seed } from '../core/index.js';

export interface SparseBatch {
  /** Number of rows. */
  readonly size: number;
  readonly offsets: Int32Array;
  readonly indices: Int32Array;
  readonly fields: Int32Array;
  readonly values: Float32Array;
  readonly labels: Float32Array;
  /** Every feature id is below this. */
  readonly nFeatures: number;
  /** Every field id is below this. */
  readonly nFields: number;
}

/** One sample given as parallel arrays (a row before it goes into a batch). */
export interface SparseSample {
  label: number;
  fields: ArrayLike<number>;
  indices: ArrayLike<number>;
  values: ArrayLike<number>;
}

/**
 * Builds a batch row by row in growable typed arrays (doubling), then hands out exact-size views.
 * `nFeatures` and `nFields` grow to cover what was pushed unless given larger at `build`.
 */
export class SparseBatchBuilder {
  private offsets = new Int32Array(1024);
  private indices = new Int32Array(4096);
  private fields = new Int32Array(4096);
  private values = new Float32Array(4096);
  private labels = new Float32Array(1024);
  private rows = 0;
  private nnz = 0;
  private maxFeature = -1;
  private maxField = -1;

  get size(): number {
    return this.rows;
  }

  /**
   * Appends one row.
   * @throws InvalidArgumentError when the arrays differ in length or an id is negative.
   */
  push(sample: SparseSample): void {
    const n = sample.indices.length;
    if (sample.fields.length !== n || sample.values.length !== n) {
      throw new InvalidArgumentError(
        `sample has ${n} indices, ${sample.fields.length} fields and ${sample.values.length} values; they must match`,
      );
    }
    this.reserve(n);
    for (let i = 0; i < n; i++) {
      const feature = sample.indices[i] as number;
      const field = sample.fields[i] as number;
      if (!(feature >= 0) || !(field >= 0)) throw new InvalidArgumentError(`sample entry ${i} has feature ${feature}, field ${field}; both must be >= 0`);
      if (feature > this.maxFeature) this.maxFeature = feature;
      if (field > this.maxField) this.maxField = field;
      this.indices[this.nnz] = feature;
      this.fields[this.nnz] = field;
      this.values[this.nnz] = sample.values[i] as number;
      this.nnz++;
    }
    this.labels[this.rows] = sample.label;
    this.rows++;
    this.offsets[this.rows] = this.nnz;
  }

  /** The batch so far (copies, so the builder may keep growing). */
  build(dims: { nFeatures?: number; nFields?: number } = {}): SparseBatch {
    return {
      size: this.rows,
      offsets: this.offsets.slice(0, this.rows + 1),
      indices: this.indices.slice(0, this.nnz),
      fields: this.fields.slice(0, this.nnz),
      values: this.values.slice(0, this.nnz),
      labels: this.labels.slice(0, this.rows),
      nFeatures: Math.max(dims.nFeatures ?? 0, this.maxFeature + 1),
      nFields: Math.max(dims.nFields ?? 0, this.maxField + 1),
    };
  }

  private reserve(entries: number): void {
    if (this.rows + 2 > this.labels.length) {
      this.labels = grow(this.labels, this.labels.length * 2);
      this.offsets = grow(this.offsets, this.offsets.length * 2);
    }
    const need = this.nnz + entries;
    if (need > this.indices.length) {
      const capacity = Math.max(need, this.indices.length * 2);
      this.indices = grow(this.indices, capacity);
      this.fields = grow(this.fields, capacity);
      this.values = grow(this.values, capacity);
    }
  }
}

function grow<T extends Int32Array | Float32Array>(array: T, capacity: number): T {
  const next = new (array.constructor as new (n: number) => T)(capacity);
  next.set(array);
  return next;
}

/** A batch of the given rows, in the given order (for splits, shuffles and candidate sets). */
export function selectRows(batch: SparseBatch, rows: ArrayLike<number>): SparseBatch {
  let nnz = 0;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i] as number;
    if (!(r >= 0 && r < batch.size)) invariant(false, `row ${r} outside a batch of ${batch.size}`);
    nnz += (batch.offsets[r + 1] as number) - (batch.offsets[r] as number);
  }
  return selectRowsInto(batch, rows, emptyBatch(rows.length, nnz, batch));
}

/**
 * Copies the given rows, in order, into `target`'s arrays (which must have room: as many rows and
 * entries) and returns a new batch object over them, so one set of arrays can serve many selections.
 * Batches returned earlier over the same target share its arrays: they see the new rows.
 */
export function selectRowsInto(batch: SparseBatch, rows: ArrayLike<number>, target: SparseBatch): SparseBatch {
  invariant(target.size === rows.length, `target has ${target.size} rows for ${rows.length} selected`);
  const { offsets, indices, fields, values, labels } = batch;
  let at = 0;
  target.offsets[0] = 0;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i] as number;
    const from = offsets[r] as number;
    const to = offsets[r + 1] as number;
    if (at + to - from > target.indices.length) invariant(false, `target has room for ${target.indices.length} entries, rows need more`);
    for (let p = from; p < to; p++, at++) {
      target.indices[at] = indices[p] as number;
      target.fields[at] = fields[p] as number;
      target.values[at] = values[p] as number;
    }
    target.labels[i] = labels[r] as number;
    target.offsets[i + 1] = at;
  }
  return { ...target, nFeatures: batch.nFeatures, nFields: batch.nFields };
}

/** The batch repeated until it has `size` rows (benchmarks: a small data set made long). */
export function repeatRows(batch: SparseBatch, size: number): SparseBatch {
  if (batch.size === 0) throw new InvalidArgumentError('cannot repeat an empty batch');
  const rows = new Int32Array(size);
  for (let i = 0; i < size; i++) rows[i] = i % batch.size;
  return selectRows(batch, rows);
}

/**
 * Negative down-sampling: every positive row and each negative row with probability `negativeRate`
 * (seeded), in their original order. A model trained on the result over-predicts; undo it with the
 * `downsampling` calibration step (odds times `negativeRate`, i.e. logit + ln(negativeRate)).
 * @throws InvalidArgumentError unless 0 < negativeRate <= 1.
 */
export function downsampleNegatives(batch: SparseBatch, negativeRate: number, seed: Seed = 'quarry'): SparseBatch {
  if (!(negativeRate > 0 && negativeRate <= 1)) throw new InvalidArgumentError(`negative sampling rate must be in (0, 1], got ${negativeRate}`);
  const rng = new Rng(seed).fork('negative-downsampling');
  const kept: number[] = [];
  for (let r = 0; r < batch.size; r++) if ((batch.labels[r] as number) > 0.5 || rng.next() < negativeRate) kept.push(r);
  return selectRows(batch, kept);
}

function emptyBatch(size: number, nnz: number, like: SparseBatch): SparseBatch {
  return {
    size,
    offsets: new Int32Array(size + 1),
    indices: new Int32Array(nnz),
    fields: new Int32Array(nnz),
    values: new Float32Array(nnz),
    labels: new Float32Array(size),
    nFeatures: like.nFeatures,
    nFields: like.nFields,
  };
}

const scalesCache = new WeakMap<SparseBatch, Float32Array>();

/**
 * Per-row instance-normalisation factors `1 / ||x_r||^2` (`[size]`), computed once per batch and cached.
 * Multiplying a pairwise term x_a x_b by it equals scaling the row to unit L2 norm first (libffm's `r`,
 * Juan et al. 2016 section 3.1). See `rowScale` for empty rows.
 */
export function instanceScales(batch: SparseBatch): Float32Array {
  const cached = scalesCache.get(batch);
  if (cached !== undefined) return cached;
  const scales = new Float32Array(batch.size);
  for (let r = 0; r < batch.size; r++) scales[r] = rowScale(batch, r);
  scalesCache.set(batch, scales);
  return scales;
}

/**
 * One row's instance-normalisation factor, as `instanceScales` stores it (float32). A row whose squared
 * norm is below MIN_NORM (empty, or only near-zero values) gets 1: its pairwise products are below
 * MIN_NORM too, and 1 / norm would overflow float32 to Infinity (then 0 * Infinity = NaN).
 */
export function rowScale(batch: SparseBatch, row: number): number {
  let norm = 0;
  for (let p = batch.offsets[row] as number; p < (batch.offsets[row + 1] as number); p++) {
    const x = batch.values[p] as number;
    norm += x * x;
  }
  return norm > MIN_NORM ? Math.fround(1 / norm) : 1;
}

const MIN_NORM = 1e-30;

/** Positive rate and size, for summaries. */
export function describeBatch(batch: SparseBatch): { rows: number; positives: number; nnz: number } {
  let positives = 0;
  for (let r = 0; r < batch.size; r++) if ((batch.labels[r] as number) > 0.5) positives++;
  return { rows: batch.size, positives, nnz: batch.offsets[batch.size] as number };
}
