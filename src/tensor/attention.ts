/**
 * Scaled dot-product attention (Vaswani et al. 2017, eq. 1): O = softmax(Q Kᵀ · scale + M) V, with
 * M = -∞ where a key is masked out (key mask) or lies in the future (causal).
 *
 *   scaledDotProductAttention(q, k, v)   q [B, ..., Tq, dh], k and v [B, ..., Tk, dh] → [B, ..., Tq, dh]
 *                                        keyMask [B, Tk] (1 = attend), shared by the middle (head) axes
 *   packedAttention(q, k, v, cuSeqlens)  q, k, v [H, total, dh] → [H, total, dh]; token t of sequence s
 *                                        attends only to keys of s (rows cuSeqlens[s] .. cuSeqlens[s+1])
 *
 * Both run one fused kernel over "segments": a block of query rows against a block of key rows.
 * Causal masking lets query i see keys j <= i + (Tk - Tq). A query that sees no key outputs zeros
 * (not NaN). The probabilities P of every segment are saved for backward:
 *   dV = Pᵀ dO,  dP = dO Vᵀ,  dS = P ⊙ (dP - rowsum(dP ⊙ P)),  dQ = dS K · scale,  dK = dSᵀ Q · scale
 */

import { InvalidArgumentError } from '../core/errors.js';
import { gradOf, record } from './autograd.js';
import { gemm } from './gemm.js';
import { formatShape, sameShape, sizeOf } from './shape.js';
import { Tensor } from './tensor.js';

interface Segment {
  /** First query row (rows of dh values). */
  q: number;
  /** First key/value row. */
  k: number;
  tq: number;
  tk: number;
  /** Offset of this segment's keys in the key mask, or -1 without a mask. */
  mask: number;
}

export interface AttentionOptions {
  /** Hide future keys. Default false. */
  causal?: boolean;
  /** Multiplier of Q Kᵀ, positive. Default 1/√dh. */
  scale?: number;
}

/** Keys a query row sees: all of them, or those up to its own position when causal. */
const visibleKeys = (row: number, seg: Segment, causal: boolean): number => (causal ? Math.min(seg.tk, row + seg.tk - seg.tq + 1) : seg.tk);

/**
 * softmax(S · scale) of one segment in place, masking as configured; rows seeing no key become zeros.
 * Hidden future keys are never exponentiated (half the work of a causal segment).
 */
function maskedSoftmax(s: Float32Array, seg: Segment, options: { keyMask: Uint8Array | undefined; causal: boolean; scale: number }): void {
  const { tq, tk } = seg;
  const { keyMask, scale } = options;
  for (let i = 0; i < tq; i++) {
    const row = i * tk;
    const visible = visibleKeys(i, seg, options.causal);
    let m = Number.NEGATIVE_INFINITY;
    for (let j = 0; j < visible; j++) {
      if (keyMask !== undefined && keyMask[seg.mask + j] === 0) s[row + j] = Number.NEGATIVE_INFINITY;
      else if ((s[row + j] as number) > m) m = s[row + j] as number;
    }
    s.fill(0, row + Math.max(visible, 0), row + tk);
    if (m === Number.NEGATIVE_INFINITY) {
      s.fill(0, row, row + tk);
      continue;
    }
    let total = 0;
    for (let j = 0; j < visible; j++) {
      const e = Math.exp(((s[row + j] as number) - m) * scale);
      s[row + j] = e;
      total += e;
    }
    const inv = 1 / total;
    for (let j = 0; j < visible; j++) s[row + j] = (s[row + j] as number) * inv;
  }
}

/** dS = P ⊙ (dP - rowsum(dP ⊙ P)) · scale, in place over dP; hidden keys have P = 0 and stay 0. */
function softmaxBackward(dP: Float32Array, p: Float32Array, seg: Segment, causal: boolean, scale: number): void {
  const tk = seg.tk;
  for (let r = 0; r < seg.tq; r++) {
    const row = r * tk;
    const visible = visibleKeys(r, seg, causal);
    let dot = 0;
    for (let j = 0; j < visible; j++) dot += (dP[row + j] as number) * (p[row + j] as number);
    for (let j = 0; j < visible; j++) dP[row + j] = (p[row + j] as number) * ((dP[row + j] as number) - dot) * scale;
    dP.fill(0, row + Math.max(visible, 0), row + tk);
  }
}

/** The fused kernel: forward over all segments, saving P, and the backward rule. */
function attend(q: Tensor, k: Tensor, v: Tensor, segments: readonly Segment[], options: AttentionOptions & { keyMask?: Uint8Array; op: string }): Tensor {
  const dh = q.shape[q.rank - 1] as number;
  const scale = options.scale ?? 1 / Math.sqrt(dh);
  if (!(scale > 0)) throw new InvalidArgumentError(`attention: scale must be positive, got ${scale}`);
  const causal = options.causal === true;
  const probs = segments.map((seg) => new Float32Array(seg.tq * seg.tk));
  const out = new Float32Array(q.size);
  segments.forEach((seg, i) => {
    const p = probs[i] as Float32Array;
    gemm(q.data.subarray(seg.q * dh), k.data.subarray(seg.k * dh), p, { m: seg.tq, n: seg.tk, k: dh, transB: true });
    maskedSoftmax(p, seg, { keyMask: options.keyMask, causal, scale });
    gemm(p, v.data.subarray(seg.k * dh), out.subarray(seg.q * dh), { m: seg.tq, n: dh, k: seg.tk });
  });
  const savedBytes = probs.reduce((s, p) => s + p.byteLength, 0);
  return record(new Tensor(out, q.shape), options.op, [q, k, v], (g) => {
    const gq = q.requiresGrad ? gradOf(q) : null;
    const gk = k.requiresGrad ? gradOf(k) : null;
    const gv = v.requiresGrad ? gradOf(v) : null;
    segments.forEach((seg, i) => {
      const p = probs[i] as Float32Array;
      const gO = g.subarray(seg.q * dh);
      if (gv !== null) gemm(p, gO, gv.subarray(seg.k * dh), { m: seg.tk, n: dh, k: seg.tq, transA: true, accumulate: true });
      const dS = new Float32Array(seg.tq * seg.tk);
      gemm(gO, v.data.subarray(seg.k * dh), dS, { m: seg.tq, n: seg.tk, k: dh, transB: true });
      softmaxBackward(dS, p, seg, causal, scale);
      if (gq !== null) gemm(dS, k.data.subarray(seg.k * dh), gq.subarray(seg.q * dh), { m: seg.tq, n: dh, k: seg.tk, accumulate: true });
      if (gk !== null) gemm(dS, q.data.subarray(seg.q * dh), gk.subarray(seg.k * dh), { m: seg.tk, n: dh, k: seg.tq, transA: true, accumulate: true });
    });
  }, savedBytes);
}

/**
 * Attention over padded batches; see the file comment for shapes.
 * @throws InvalidArgumentError naming the shapes when q, k, v or the key mask do not fit together.
 */
export function scaledDotProductAttention(q: Tensor, k: Tensor, v: Tensor, options: AttentionOptions & { keyMask?: Uint8Array } = {}): Tensor {
  const mismatch = (why: string): InvalidArgumentError =>
    new InvalidArgumentError(`attention: q ${formatShape(q.shape)}, k ${formatShape(k.shape)}, v ${formatShape(v.shape)}: ${why}`);
  if (q.rank < 3) throw mismatch('q needs at least [B, T, dh]');
  if (!sameShape(k.shape, v.shape)) throw mismatch('k and v must have the same shape');
  if (k.rank !== q.rank || !sameShape(k.shape.slice(0, -2), q.shape.slice(0, -2)) || k.shape[k.rank - 1] !== q.shape[q.rank - 1]) {
    throw mismatch('k must match q except in its length');
  }
  const [tq, tk] = [q.shape[q.rank - 2] as number, k.shape[k.rank - 2] as number];
  const batch = q.shape[0] as number;
  const groups = sizeOf(q.shape.slice(0, -2));
  const perBatch = groups / Math.max(1, batch);
  if (options.keyMask !== undefined && options.keyMask.length !== batch * tk) {
    throw mismatch(`key mask has ${options.keyMask.length} entries, [${batch}, ${tk}] needs ${batch * tk}`);
  }
  const segments: Segment[] = [];
  for (let gi = 0; gi < groups; gi++) {
    const mask = options.keyMask === undefined ? -1 : Math.floor(gi / perBatch) * tk;
    segments.push({ q: gi * tq, k: gi * tk, tq, tk, mask });
  }
  return attend(q, k, v, segments, { ...options, op: 'attention' });
}

/**
 * Attention over packed sequences (rmpad): no padding token is computed; see the file comment.
 * @throws InvalidArgumentError when the shapes differ or cuSeqlens does not end at `total`.
 */
export function packedAttention(q: Tensor, k: Tensor, v: Tensor, cuSeqlens: Int32Array, options: AttentionOptions = {}): Tensor {
  if (q.rank !== 3 || !sameShape(q.shape, k.shape) || !sameShape(q.shape, v.shape)) {
    throw new InvalidArgumentError(`packedAttention: q ${formatShape(q.shape)}, k ${formatShape(k.shape)}, v ${formatShape(v.shape)} must all be [H, total, dh]`);
  }
  const [heads, total] = q.shape as [number, number, number];
  if (cuSeqlens[0] !== 0 || cuSeqlens[cuSeqlens.length - 1] !== total) {
    throw new InvalidArgumentError(`packedAttention: cuSeqlens must run from 0 to total = ${total}, got ${cuSeqlens[0]} .. ${cuSeqlens[cuSeqlens.length - 1]}`);
  }
  const segments: Segment[] = [];
  for (let h = 0; h < heads; h++) {
    for (let s = 0; s + 1 < cuSeqlens.length; s++) {
      const start = cuSeqlens[s] as number;
      const len = (cuSeqlens[s + 1] as number) - start;
      if (len > 0) segments.push({ q: h * total + start, k: h * total + start, tq: len, tk: len, mask: -1 });
    }
  }
  return attend(q, k, v, segments, { ...options, op: 'packedAttention' });
}
