import { crc32 } from 'node:zlib';
import { IncompatibleFormatError } from '../core/index.js';

/**
 * The snapshot file format shared by the vector indexes (little-endian):
 *
 *   offset 0   4 bytes  magic "QVIX"
 *   offset 4   u32      format version (SNAPSHOT_VERSION)
 *   offset 8   u32      header length in bytes (UTF-8 JSON)
 *   offset 12  u32      CRC-32 of every byte from offset 16 to the end
 *   offset 16  header   JSON: the index's settings and `sections: [{name, type, length}]`
 *   then each section's bytes in that order, each starting on an 8-byte boundary (zero padding),
 *   `length` counting elements of `type` (f32 | i32 | u8).
 *
 * A new layout gets a new version; readers of older versions stay, with a committed fixture each
 * (`fixtures/`), so a snapshot written today keeps loading.
 */

export const SNAPSHOT_MAGIC = 'QVIX';
export const SNAPSHOT_VERSION = 1;
const PREAMBLE = 16;

export type SectionArray = Float32Array | Int32Array | Uint8Array;
type SectionType = 'f32' | 'i32' | 'u8';

interface SectionEntry {
  name: string;
  type: SectionType;
  length: number;
}

export interface DecodedSnapshot {
  /** The index's settings, unchecked: each index validates its own with a schema. */
  header: Record<string, unknown>;
  sections: Map<string, SectionArray>;
  /** The byte offset of each section in the snapshot (for positional reads of a section left on file). */
  offsets: Map<string, number>;
}

const align8 = (n: number): number => (n + 7) & ~7;

function typeOf(array: SectionArray): SectionType {
  return array instanceof Float32Array ? 'f32' : array instanceof Int32Array ? 'i32' : 'u8';
}

/** Serialises `header` and the named typed arrays into one snapshot. */
export function encodeSnapshot(header: Record<string, unknown>, sections: Record<string, SectionArray>): Uint8Array {
  const entries: SectionEntry[] = Object.entries(sections).map(([name, array]) => ({ name, type: typeOf(array), length: array.length }));
  const headerBytes = new TextEncoder().encode(JSON.stringify({ ...header, sections: entries }));
  let size = align8(PREAMBLE + headerBytes.length);
  for (const array of Object.values(sections)) size = align8(size + array.byteLength);
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  out.set(new TextEncoder().encode(SNAPSHOT_MAGIC), 0);
  view.setUint32(4, SNAPSHOT_VERSION, true);
  view.setUint32(8, headerBytes.length, true);
  out.set(headerBytes, PREAMBLE);
  let offset = align8(PREAMBLE + headerBytes.length);
  for (const array of Object.values(sections)) {
    out.set(new Uint8Array(array.buffer, array.byteOffset, array.byteLength), offset);
    offset = align8(offset + array.byteLength);
  }
  view.setUint32(12, crc32(out.subarray(PREAMBLE)), true);
  return out;
}

/**
 * Reads a snapshot back. Sections are copied into fresh arrays (aligned, independent of `bytes`).
 * @throws IncompatibleFormatError on a wrong magic number, an unknown version, a checksum mismatch or
 *   a truncated file, naming `source`.
 */
export function decodeSnapshot(bytes: Uint8Array, source = 'snapshot'): DecodedSnapshot {
  const fail = (why: string): never => {
    throw new IncompatibleFormatError(`${source} is not a readable vector index snapshot: ${why}`);
  };
  if (bytes.length < PREAMBLE) fail(`${bytes.length} bytes is shorter than the ${PREAMBLE}-byte preamble`);
  const magic = new TextDecoder().decode(bytes.subarray(0, 4));
  if (magic !== SNAPSHOT_MAGIC) fail(`magic number is ${JSON.stringify(magic)}, expected "${SNAPSHOT_MAGIC}"`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(4, true);
  if (version !== SNAPSHOT_VERSION) fail(`format version ${version}, this build reads version ${SNAPSHOT_VERSION}`);
  const expectedCrc = view.getUint32(12, true);
  const actualCrc = crc32(bytes.subarray(PREAMBLE));
  if (actualCrc !== expectedCrc) fail(`checksum ${actualCrc} does not match the stored ${expectedCrc} (corrupt or truncated)`);
  const headerLength = view.getUint32(8, true);
  if (PREAMBLE + headerLength > bytes.length) fail(`header of ${headerLength} bytes runs past the end`);
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(PREAMBLE, PREAMBLE + headerLength))) as Record<string, unknown>;
  } catch (error) {
    throw new IncompatibleFormatError(`${source}: the snapshot header is not valid JSON`, { cause: error });
  }
  const sections = new Map<string, SectionArray>();
  const offsets = new Map<string, number>();
  let offset = align8(PREAMBLE + headerLength);
  for (const entry of sectionEntries(header, fail)) {
    const array = entry.type === 'f32' ? new Float32Array(entry.length) : entry.type === 'i32' ? new Int32Array(entry.length) : new Uint8Array(entry.length);
    if (offset + array.byteLength > bytes.length) fail(`section "${entry.name}" runs past the end`);
    new Uint8Array(array.buffer).set(bytes.subarray(offset, offset + array.byteLength));
    sections.set(entry.name, array);
    offsets.set(entry.name, offset);
    offset = align8(offset + array.byteLength);
  }
  return { header, sections, offsets };
}

function sectionEntries(header: Record<string, unknown>, fail: (why: string) => never): SectionEntry[] {
  const list = header.sections;
  if (!Array.isArray(list)) return fail('the header lists no sections');
  return list.map((raw: unknown, i) => {
    const entry = raw as Partial<SectionEntry>;
    const typeOk = entry.type === 'f32' || entry.type === 'i32' || entry.type === 'u8';
    if (typeof entry.name !== 'string' || !typeOk || !Number.isSafeInteger(entry.length) || (entry.length as number) < 0) {
      return fail(`section ${i} is malformed: ${JSON.stringify(raw)}`);
    }
    return entry as SectionEntry;
  });
}

/** The named section, of the expected type and length. */
export function requireSection<T extends SectionArray>(
  snapshot: DecodedSnapshot,
  name: string,
  type: new (length: number) => T,
  length: number,
): T {
  const array = snapshot.sections.get(name);
  if (!(array instanceof type) || array.length !== length) {
    throw new IncompatibleFormatError(
      `snapshot section "${name}" should hold ${length} ${type.name} elements, found ${array === undefined ? 'none' : `${array.length} ${array.constructor.name}`}`,
    );
  }
  return array;
}

export { writeFileAtomic } from '../core/index.js';
