import { IncompatibleFormatError } from '../../core/index.js';
import type { VectorId } from '../vector-index.js';

/** Vectors read from a file: `data` is [count, dim] row-major. `ids` when the file names them (JSONL). */
export interface VectorSet {
  count: number;
  dim: number;
  data: Float32Array;
  ids?: VectorId[];
}

/** Integer rows (ground-truth neighbour lists): `data` is [count, dim] row-major. */
export interface IntVectorSet {
  count: number;
  dim: number;
  data: Int32Array;
}

/** The error every reader throws: the file, where in it, and what was wrong. */
export function malformed(source: string, where: string, why: string): IncompatibleFormatError {
  return new IncompatibleFormatError(`${source}: ${where}: ${why}`);
}

/** Checks that every value is finite (NaN or infinity in input data is refused, never indexed). */
export function checkFinite(set: VectorSet, source: string): VectorSet {
  const { data, dim } = set;
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i]!)) throw malformed(source, `vector ${Math.floor(i / dim)}, dim ${i % dim}`, `value is ${data[i]}`);
  }
  return set;
}
