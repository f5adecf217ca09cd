import { gunzipSync } from 'node:zlib';
import { malformed, type VectorSet } from './vector-set.js';

/**
 * The IDX format of MNIST (yann.lecun.com/exdb/mnist): big-endian; two zero bytes, a type byte
 * (0x08 uint8, 0x09 int8, 0x0B int16, 0x0C int32, 0x0D float32, 0x0E float64), the number of
 * dimensions, then one uint32 size per dimension and the data. The first dimension counts the
 * vectors; the others are flattened (a 28 x 28 image is a 784-dim vector). Gzipped files (`.gz`, magic
 * 1f 8b) are inflated first.
 */
const TYPES: Record<number, { bytes: number; read: (view: DataView, offset: number) => number }> = {
  0x08: { bytes: 1, read: (v, o) => v.getUint8(o) },
  0x09: { bytes: 1, read: (v, o) => v.getInt8(o) },
  0x0b: { bytes: 2, read: (v, o) => v.getInt16(o, false) },
  0x0c: { bytes: 4, read: (v, o) => v.getInt32(o, false) },
  0x0d: { bytes: 4, read: (v, o) => v.getFloat32(o, false) },
  0x0e: { bytes: 8, read: (v, o) => v.getFloat64(o, false) },
};

/** Parses IDX bytes (gzipped or not). @throws IncompatibleFormatError naming the file and the problem. */
export function parseIdx(input: Uint8Array, source = 'idx'): VectorSet {
  let bytes = input;
  if (input[0] === 0x1f && input[1] === 0x8b) {
    try {
      bytes = gunzipSync(input);
    } catch (error) {
      throw malformed(source, 'gzip stream', `cannot inflate: ${(error as Error).message}`);
    }
  }
  if (bytes.length < 4 || bytes[0] !== 0 || bytes[1] !== 0) throw malformed(source, 'byte 0', 'no IDX magic (two zero bytes, type, dimensions)');
  const type = TYPES[bytes[2]!];
  if (type === undefined) throw malformed(source, 'byte 2', `unknown IDX element type 0x${bytes[2]!.toString(16)}`);
  const dims = bytes[3]!;
  if (dims < 1 || bytes.length < 4 + 4 * dims) throw malformed(source, 'byte 3', `${dims} dimensions do not fit the header`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const sizes = Array.from({ length: dims }, (_, i) => view.getUint32(4 + 4 * i, false));
  const count = sizes[0]!;
  const dim = sizes.slice(1).reduce((a, b) => a * b, 1);
  const start = 4 + 4 * dims;
  const expected = count * dim * type.bytes;
  if (bytes.length - start !== expected) {
    throw malformed(source, `byte ${start}`, `sizes ${sizes.join(' x ')} need ${expected} data bytes, the file has ${bytes.length - start}`);
  }
  const data = new Float32Array(count * dim);
  if (type.bytes === 1 && bytes[2] === 0x08) data.set(bytes.subarray(start));
  else for (let i = 0; i < data.length; i++) data[i] = type.read(view, start + i * type.bytes);
  return { count, dim, data };
}
