import { malformed, type IntVectorSet, type VectorSet, checkFinite } from './vector-set.js';

/**
 * The TEXMEX formats of the ANN benchmarks (corpus-texmex.irisa.fr): each vector is a little-endian
 * int32 dimension followed by that many values, float32 (`.fvecs`), int32 (`.ivecs`, e.g. ground
 * truth) or uint8 (`.bvecs`). Every record must have the same dimension.
 */
type Element = 'f32' | 'i32' | 'u8';

function records(bytes: Uint8Array, element: Element, source: string): { count: number; dim: number; at: (record: number) => number } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length === 0) throw malformed(source, 'byte 0', 'the file is empty');
  if (bytes.length < 4) throw malformed(source, 'byte 0', `${bytes.length} bytes cannot hold a dimension`);
  const dim = view.getInt32(0, true);
  const width = element === 'u8' ? 1 : 4;
  if (dim <= 0 || dim > 1 << 20) throw malformed(source, 'byte 0', `dimension ${dim} is not between 1 and 2^20 (is this a ${element === 'u8' ? 'bvecs' : 'fvecs/ivecs'} file?)`);
  const recordBytes = 4 + dim * width;
  if (bytes.length % recordBytes !== 0) {
    throw malformed(source, `byte ${bytes.length}`, `size ${bytes.length} is not a multiple of the ${recordBytes}-byte record of a ${dim}-dim vector (truncated?)`);
  }
  const count = bytes.length / recordBytes;
  for (let r = 0; r < count; r++) {
    const d = view.getInt32(r * recordBytes, true);
    if (d !== dim) throw malformed(source, `vector ${r}`, `dimension ${d}, the first vector has ${dim}`);
  }
  return { count, dim, at: (r) => r * recordBytes + 4 };
}

/** Parses `.fvecs` bytes. @throws IncompatibleFormatError naming the file and the record. */
export function parseFvecs(bytes: Uint8Array, source = 'fvecs'): VectorSet {
  const { count, dim, at } = records(bytes, 'f32', source);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const data = new Float32Array(count * dim);
  for (let r = 0; r < count; r++) {
    const offset = at(r);
    for (let i = 0; i < dim; i++) data[r * dim + i] = view.getFloat32(offset + 4 * i, true);
  }
  return checkFinite({ count, dim, data }, source);
}

/** Parses `.bvecs` bytes (uint8 values, read as float32). @throws IncompatibleFormatError. */
export function parseBvecs(bytes: Uint8Array, source = 'bvecs'): VectorSet {
  const { count, dim, at } = records(bytes, 'u8', source);
  const data = new Float32Array(count * dim);
  for (let r = 0; r < count; r++) data.set(bytes.subarray(at(r), at(r) + dim), r * dim);
  return { count, dim, data };
}

/** Parses `.ivecs` bytes. @throws IncompatibleFormatError naming the file and the record. */
export function parseIvecs(bytes: Uint8Array, source = 'ivecs'): IntVectorSet {
  const { count, dim, at } = records(bytes, 'i32', source);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const data = new Int32Array(count * dim);
  for (let r = 0; r < count; r++) {
    const offset = at(r);
    for (let i = 0; i < dim; i++) data[r * dim + i] = view.getInt32(offset + 4 * i, true);
  }
  return { count, dim, data };
}

/** Writes vectors as `.fvecs` (or integer rows as `.ivecs`) bytes. */
export function encodeVecs(set: { count: number; dim: number; data: Float32Array | Int32Array }): Uint8Array {
  const { count, dim, data } = set;
  const out = new Uint8Array(count * (4 + 4 * dim));
  const view = new DataView(out.buffer);
  const isFloat = data instanceof Float32Array;
  for (let r = 0; r < count; r++) {
    const offset = r * (4 + 4 * dim);
    view.setInt32(offset, dim, true);
    for (let i = 0; i < dim; i++) {
      if (isFloat) view.setFloat32(offset + 4 + 4 * i, data[r * dim + i]!, true);
      else view.setInt32(offset + 4 + 4 * i, data[r * dim + i]!, true);
    }
  }
  return out;
}
