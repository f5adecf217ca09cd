/**
 * The distance kernels every index shares. Smaller is closer for every metric, so the graph code never
 * branches on the metric's direction:
 *
 * - `l2`: the squared Euclidean distance sum((a_i - b_i)^2) (no square root: it keeps the order and
 *   costs nothing; hnswlib and usearch report the same squared value).
 * - `ip`: 1 - dot(a, b), hnswlib's convention, so an inner product of 1 is distance 0. It can be
 *   negative when vectors are longer than 1.
 * - `cos`: vectors are normalised to unit length when they are added and when a query arrives, and then
 *   the distance is 1 - cos(a, b), in [0, 2], computed as |a - b|^2 / 2 (equal for unit vectors), so
 *   cos searches can stop a distance early like l2 (`l2SquaredBounded`).
 *
 * The kernels read two rows of flat `Float32Array`s at offsets (no subarray views, no allocation),
 * walk both rows with running indexes, and are unrolled by eight into four accumulators: V8 keeps the
 * accumulators in registers and the loop overhead drops (CPU time per 784-dim l2 distance on this
 * machine: 0.80 us unrolled by eight, 0.93 us by four).
 */

export type Metric = 'l2' | 'ip' | 'cos';

export const METRICS: readonly Metric[] = ['l2', 'ip', 'cos'];

/**
 * sum((a[aOff + i] - b[bOff + i])^2) for i in [0, dim): `l2SquaredBounded` without a bound, so every
 * path (graph walk, exact scan, re-ranking) adds in the same order and reports the same float.
 */
export function l2Squared(a: Float32Array, aOff: number, b: Float32Array, bOff: number, dim: number): number {
  return l2SquaredBounded(a, aOff, b, bOff, dim, Infinity);
}

/** Dimensions summed between two checks of the bound in `l2SquaredBounded`. */
const BOUND_BLOCK = 32;

/**
 * `l2Squared`, but it may stop as soon as the partial sum exceeds `bound` and return that partial sum
 * (a value > bound, smaller than the true distance). The sum only grows, so a caller that only keeps
 * distances below `bound` gets the same answers; a search mostly computes distances it then rejects,
 * and this skips most of their dimensions (in `bench/ann.ts` on MNIST's 784 dims, most rejected
 * candidates stop within the first quarter).
 */
export function l2SquaredBounded(a: Float32Array, aOff: number, b: Float32Array, bOff: number, dim: number, bound: number): number {
  let s = 0;
  let i = aOff;
  let j = bOff;
  const stop = aOff + dim;
  const end = stop - (dim & 7);
  while (i < end) {
    const blockEnd = Math.min(end, i + BOUND_BLOCK);
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (; i < blockEnd; i += 8, j += 8) {
      const d0 = a[i]! - b[j]!;
      const d1 = a[i + 1]! - b[j + 1]!;
      const d2 = a[i + 2]! - b[j + 2]!;
      const d3 = a[i + 3]! - b[j + 3]!;
      const d4 = a[i + 4]! - b[j + 4]!;
      const d5 = a[i + 5]! - b[j + 5]!;
      const d6 = a[i + 6]! - b[j + 6]!;
      const d7 = a[i + 7]! - b[j + 7]!;
      s0 += d0 * d0 + d4 * d4;
      s1 += d1 * d1 + d5 * d5;
      s2 += d2 * d2 + d6 * d6;
      s3 += d3 * d3 + d7 * d7;
    }
    s += s0 + s1 + s2 + s3;
    if (s > bound) return s;
  }
  for (; i < stop; i++, j++) {
    const d = a[i]! - b[j]!;
    s += d * d;
  }
  return s;
}

/**
 * How many leading values of `row[off .. off + dim)` a kernel must read: up to the last non-zero value,
 * rounded up to a multiple of 8 (or `dim` when that would reach into the last `dim % 8` values). A
 * kernel given `max(span(a), span(b))` instead of `dim` skips only terms that are exactly 0, in whole
 * unrolled steps, so it returns the same float, bit for bit. Rows with many zeros at the end (in the
 * stored order, where dimensions are sorted by decreasing variance: MNIST's border pixels) cost less.
 */
export function rowSpan(row: Float32Array, off: number, dim: number): number {
  let last = dim;
  while (last > 0 && row[off + last - 1] === 0) last--;
  const padded = (last + 7) & ~7;
  return padded > dim - (dim & 7) ? dim : padded;
}

/** sum(a[aOff + i] * b[bOff + i]) for i in [0, dim). */
export function dot(a: Float32Array, aOff: number, b: Float32Array, bOff: number, dim: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let i = aOff;
  let j = bOff;
  const stop = aOff + dim;
  const end = stop - (dim & 7);
  for (; i < end; i += 8, j += 8) {
    s0 += a[i]! * b[j]! + a[i + 4]! * b[j + 4]!;
    s1 += a[i + 1]! * b[j + 1]! + a[i + 5]! * b[j + 5]!;
    s2 += a[i + 2]! * b[j + 2]! + a[i + 6]! * b[j + 6]!;
    s3 += a[i + 3]! * b[j + 3]! + a[i + 7]! * b[j + 7]!;
  }
  for (; i < stop; i++, j++) s0 += a[i]! * b[j]!;
  return s0 + s1 + s2 + s3;
}

/** The distance between two rows under `metric` (for `cos`, both rows must already be unit length). */
export function rowDistance(metric: Metric, a: Float32Array, aOff: number, b: Float32Array, bOff: number, dim: number): number {
  if (metric === 'l2') return l2Squared(a, aOff, b, bOff, dim);
  return metric === 'cos' ? 0.5 * l2Squared(a, aOff, b, bOff, dim) : 1 - dot(a, aOff, b, bOff, dim);
}

/**
 * `rowDistance` that may stop early once the distance is known to exceed `bound` (then it returns a
 * value > bound): l2 and cos (|a - b|^2 / 2 on unit vectors) sum non-negative terms; ip cannot stop.
 */
export function rowDistanceBounded(metric: Metric, a: Float32Array, aOff: number, b: Float32Array, bOff: number, dim: number, bound: number): number {
  if (metric === 'l2') return l2SquaredBounded(a, aOff, b, bOff, dim, bound);
  return metric === 'cos' ? 0.5 * l2SquaredBounded(a, aOff, b, bOff, dim, 2 * bound) : 1 - dot(a, aOff, b, bOff, dim);
}

/**
 * Scales `v[off .. off + dim)` to unit length in place; returns the original length (0 leaves the row
 * untouched, and the caller decides whether that is an error).
 */
export function normalizeRow(v: Float32Array, off: number, dim: number): number {
  const norm = Math.sqrt(dot(v, off, v, off, dim));
  if (norm > 0) {
    const inv = 1 / norm;
    for (let i = 0; i < dim; i++) v[off + i] = v[off + i]! * inv;
  }
  return norm;
}
