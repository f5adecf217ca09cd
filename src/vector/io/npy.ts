import { checkFinite, malformed, type VectorSet } from './vector-set.js';

/**
 * NumPy's `.npy` format (numpy.lib.format, versions 1.0 to 3.0): magic "\x93NUMPY", a version, a header
 * length, then a Python dict literal `{'descr': '<f4', 'fortran_order': False, 'shape': (n, d), }`
 * and the raw array. Read here: 2-d (or 1-d, one vector) C-order arrays of float32, float64, int32,
 * int64, uint8 or int8, little-endian; everything becomes float32.
 */
const ELEMENTS: Record<string, { bytes: number; read: (view: DataView, offset: number) => number }> = {
  '<f4': { bytes: 4, read: (v, o) => v.getFloat32(o, true) },
  '<f8': { bytes: 8, read: (v, o) => v.getFloat64(o, true) },
  '<i4': { bytes: 4, read: (v, o) => v.getInt32(o, true) },
  '<i8': { bytes: 8, read: (v, o) => Number(v.getBigInt64(o, true)) },
  '|u1': { bytes: 1, read: (v, o) => v.getUint8(o) },
  '|i1': { bytes: 1, read: (v, o) => v.getInt8(o) },
};

/** Parses `.npy` bytes. @throws IncompatibleFormatError naming the file and what is unsupported. */
export function parseNpy(bytes: Uint8Array, source = 'npy'): VectorSet {
  const magic = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];
  if (bytes.length < 10 || magic.some((b, i) => bytes[i] !== b)) throw malformed(source, 'byte 0', 'no "\\x93NUMPY" magic: not a .npy file');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const major = bytes[6]!;
  if (major < 1 || major > 3) throw malformed(source, 'byte 6', `.npy version ${major}.${bytes[7]} is not 1, 2 or 3`);
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const headerStart = major === 1 ? 10 : 12;
  const header = new TextDecoder().decode(bytes.subarray(headerStart, headerStart + headerLength));
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) throw malformed(source, 'header', `cannot read the header ${JSON.stringify(header.trim())}`);
  const element = ELEMENTS[descr];
  if (element === undefined) throw malformed(source, 'header', `dtype ${descr} is not supported (use ${Object.keys(ELEMENTS).join(', ')})`);
  if (fortran === 'True') throw malformed(source, 'header', 'Fortran-order arrays are not supported: save with np.ascontiguousarray');
  const shape = shapeText.split(',').map((s) => s.trim()).filter((s) => s !== '').map(Number);
  if (shape.length < 1 || shape.length > 2 || shape.some((n) => !Number.isInteger(n) || n < 0)) {
    throw malformed(source, 'header', `shape (${shapeText}) is not a 1-d or 2-d array`);
  }
  const [count, dim] = shape.length === 2 ? [shape[0]!, shape[1]!] : [1, shape[0]!];
  const dataStart = headerStart + headerLength;
  const expected = count * dim * element.bytes;
  if (bytes.length - dataStart !== expected) {
    throw malformed(source, `byte ${dataStart}`, `shape (${count}, ${dim}) of ${descr} needs ${expected} bytes, the file has ${bytes.length - dataStart}`);
  }
  const data = new Float32Array(count * dim);
  for (let i = 0; i < data.length; i++) data[i] = element.read(view, dataStart + i * element.bytes);
  return checkFinite({ count, dim, data }, source);
}
