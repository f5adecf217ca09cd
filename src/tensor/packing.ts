/**
 * Packing without padding ("rmpad", as in FlashAttention's varlen interface): variable-length
 * sequences laid end to end in one [total, ...] buffer, with cumulative offsets
 * cuSeqlens = [0, len0, len0 + len1, ..., total] (Int32Array of batch + 1 entries). Position-wise
 * layers (Linear, norms, MLP) run on the packed rows directly; attention uses `packedAttention`,
 * which keeps each sequence to itself. No padding row is ever computed.
 *
 *   packSequences(padded [B, T, ...], cuSeqlens) → [total, ...]      (gradient: scatter back)
 *   unpackSequences(packed [total, ...], cuSeqlens, T) → [B, T, ...]  (zeros at padding; gradient: gather)
 */

import { InvalidArgumentError } from '../core/errors.js';
import { gatherRows, scatterAdd } from './gather.js';
import { reshape } from './layout.js';
import { formatShape } from './shape.js';
import type { Tensor } from './tensor.js';
import { zeros } from './tensor.js';

/**
 * [0, l0, l0 + l1, ..., total] from sequence lengths.
 * @throws InvalidArgumentError for a negative or fractional length.
 */
export function cuSeqlensFromLengths(lengths: ArrayLike<number>): Int32Array {
  const cu = new Int32Array(lengths.length + 1);
  for (let i = 0; i < lengths.length; i++) {
    const len = lengths[i] as number;
    if (!Number.isInteger(len) || len < 0) throw new InvalidArgumentError(`cuSeqlens: length ${i} is ${len}; lengths must be non-negative integers`);
    cu[i + 1] = (cu[i] as number) + len;
  }
  return cu;
}

/** The padded row (b · maxLen + t) of every packed token, in packed order. */
export function paddedPositions(cuSeqlens: Int32Array, maxLen: number): Int32Array {
  const total = cuSeqlens[cuSeqlens.length - 1] ?? 0;
  const positions = new Int32Array(total);
  for (let b = 0; b + 1 < cuSeqlens.length; b++) {
    const start = cuSeqlens[b] as number;
    const len = (cuSeqlens[b + 1] as number) - start;
    if (len > maxLen) throw new InvalidArgumentError(`packing: sequence ${b} has ${len} tokens, more than the padded length ${maxLen}`);
    for (let t = 0; t < len; t++) positions[start + t] = b * maxLen + t;
  }
  return positions;
}

/** The key mask of a padded batch: [B, maxLen], 1 on real tokens, 0 on padding. */
export function keyMaskFromCuSeqlens(cuSeqlens: Int32Array, maxLen: number): Uint8Array {
  const mask = new Uint8Array((cuSeqlens.length - 1) * maxLen);
  for (const p of paddedPositions(cuSeqlens, maxLen)) mask[p] = 1;
  return mask;
}

/**
 * Packs the real tokens of a padded batch [B, T, ...rest] into [total, ...rest].
 * @throws InvalidArgumentError when the batch size differs from cuSeqlens or a sequence exceeds T.
 */
export function packSequences(padded: Tensor, cuSeqlens: Int32Array): Tensor {
  const [batch, maxLen] = padded.shape as [number, number];
  if (padded.rank < 2 || batch !== cuSeqlens.length - 1) {
    throw new InvalidArgumentError(`packSequences: padded shape ${formatShape(padded.shape)} does not fit ${cuSeqlens.length - 1} sequences`);
  }
  const rows = reshape(padded, [batch * maxLen, ...padded.shape.slice(2)]);
  return gatherRows(rows, paddedPositions(cuSeqlens, maxLen));
}

/**
 * Unpacks [total, ...rest] into a padded batch [B, maxLen, ...rest] with zeros at padding.
 * @throws InvalidArgumentError when total differs from cuSeqlens' last entry or a sequence exceeds maxLen.
 */
export function unpackSequences(packed: Tensor, cuSeqlens: Int32Array, maxLen: number): Tensor {
  const total = cuSeqlens[cuSeqlens.length - 1] ?? 0;
  if (packed.rank < 1 || packed.shape[0] !== total) {
    throw new InvalidArgumentError(`unpackSequences: packed shape ${formatShape(packed.shape)} does not hold the ${total} tokens of cuSeqlens`);
  }
  const batch = cuSeqlens.length - 1;
  const rest = packed.shape.slice(1);
  const padded = scatterAdd(zeros([batch * maxLen, ...rest]), paddedPositions(cuSeqlens, maxLen), packed);
  return reshape(padded, [batch, maxLen, ...rest]);
}

/** Token ids of several sequences laid end to end, with their cuSeqlens. */
export function packIds(sequences: readonly ArrayLike<number>[]): { ids: Int32Array; cuSeqlens: Int32Array } {
  const cuSeqlens = cuSeqlensFromLengths(sequences.map((s) => s.length));
  const ids = new Int32Array(cuSeqlens[cuSeqlens.length - 1] ?? 0);
  sequences.forEach((s, b) => ids.set(Array.from(s), cuSeqlens[b]));
  return { ids, cuSeqlens };
}
