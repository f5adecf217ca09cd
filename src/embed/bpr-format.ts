import { readFile } from 'node:fs/promises';
import { IncompatibleFormatError, NotFoundError } from '../core/index.js';
import { BprModel } from './bpr-model.js';
import { writeFileAtomic } from '../core/index.js';

/**
 * The BPR model file, little-endian:
 *
 *   bytes 0..3    magic "QBPR"
 *   u32           format version (BPR_FORMAT_VERSION)
 *   u32           header length H in bytes
 *   H bytes       header, UTF-8 JSON: { dim, nUsers, nItems, userIds: string[], itemIds: string[], meta }
 *   0..3 bytes    zero padding to a multiple of 4
 *   f32 [nUsers, dim]  user factors, row-major
 *   f32 [nItems, dim]  item factors, row-major
 *   f32 [nItems]       item biases
 *
 * The same bytes go into the store's model registry (`putModel` with this format version).
 */
export const BPR_FORMAT_VERSION = 1;
const MAGIC = 'QBPR';

interface BprHeader {
  dim: number;
  nUsers: number;
  nItems: number;
  userIds: string[];
  itemIds: string[];
  meta: Record<string, unknown>;
}

/** The model (and optional facts about its training, kept in the header) as the bytes of the format. */
export function encodeBprModel(model: BprModel, meta: Record<string, unknown> = {}): Uint8Array {
  const header: BprHeader = {
    dim: model.dim,
    nUsers: model.nUsers,
    nItems: model.nItems,
    userIds: [...model.userIds.toArray()],
    itemIds: [...model.itemIds.toArray()],
    meta,
  };
  const headerBytes = new TextEncoder().encode(JSON.stringify(header));
  const floatsAt = align4(12 + headerBytes.length);
  const floats = model.userFactors.length + model.itemFactors.length + model.itemBias.length;
  const bytes = new Uint8Array(floatsAt + 4 * floats);
  const view = new DataView(bytes.buffer);
  bytes.set(new TextEncoder().encode(MAGIC), 0);
  view.setUint32(4, BPR_FORMAT_VERSION, true);
  view.setUint32(8, headerBytes.length, true);
  bytes.set(headerBytes, 12);
  let at = floatsAt;
  for (const table of [model.userFactors, model.itemFactors, model.itemBias]) {
    for (let n = 0; n < table.length; n++, at += 4) view.setFloat32(at, table[n] as number, true);
  }
  return bytes;
}

/**
 * A model from the bytes of the format, with the training facts its header kept.
 * @throws IncompatibleFormatError when the magic, the version or the sizes are wrong.
 */
export function decodeBprModel(bytes: Uint8Array, source = 'BPR model'): { model: BprModel; meta: Record<string, unknown> } {
  if (bytes.length < 12 || new TextDecoder().decode(bytes.subarray(0, 4)) !== MAGIC) {
    throw new IncompatibleFormatError(`${source} is not a Quarry BPR model (no "${MAGIC}" magic number)`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(4, true);
  if (version !== BPR_FORMAT_VERSION) {
    throw new IncompatibleFormatError(`${source} has BPR format version ${version}; this Quarry reads version ${BPR_FORMAT_VERSION}`);
  }
  const headerLength = view.getUint32(8, true);
  const header = parseHeader(bytes.subarray(12, 12 + headerLength), source);
  const { dim, nUsers, nItems } = header;
  const floatsAt = align4(12 + headerLength);
  const expected = floatsAt + 4 * (nUsers * dim + nItems * dim + nItems);
  if (bytes.length !== expected) throw new IncompatibleFormatError(`${source} holds ${bytes.length} bytes; its header (${nUsers} users, ${nItems} items, dim ${dim}) needs ${expected}`);
  let at = floatsAt;
  const readTable = (length: number): Float32Array => {
    const table = new Float32Array(length);
    for (let n = 0; n < length; n++, at += 4) table[n] = view.getFloat32(at, true);
    return table;
  };
  const userFactors = readTable(nUsers * dim);
  const itemFactors = readTable(nItems * dim);
  const itemBias = readTable(nItems);
  const model = new BprModel({ dim, userFactors, itemFactors, itemBias }, { userIds: header.userIds, itemIds: header.itemIds });
  return { model, meta: header.meta };
}

function parseHeader(bytes: Uint8Array, source: string): BprHeader {
  let header: Partial<BprHeader>;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)) as Partial<BprHeader>;
  } catch (error) {
    throw new IncompatibleFormatError(`${source} has an unreadable header: ${(error as Error).message}`, { cause: error });
  }
  const { dim, nUsers, nItems, userIds, itemIds } = header;
  const count = (n: unknown): n is number => Number.isInteger(n) && (n as number) >= 0;
  if (!count(dim) || dim === 0 || !count(nUsers) || !count(nItems) || !isStrings(userIds, nUsers) || !isStrings(itemIds, nItems)) {
    throw new IncompatibleFormatError(`${source} has a header without a valid dim, user and item counts and ids`);
  }
  const meta = typeof header.meta === 'object' && header.meta !== null ? header.meta : {};
  return { dim, nUsers, nItems, userIds, itemIds, meta };
}

function isStrings(value: unknown, length: number): value is string[] {
  return Array.isArray(value) && value.length === length && value.every((v) => typeof v === 'string');
}

function align4(n: number): number {
  return (n + 3) & ~3;
}

/**
 * Writes the model to `path` atomically: a temporary file in the same folder, fsync, rename, so a
 * crash leaves the old file or the new one, never half of one.
 */
export async function saveBprModel(path: string, model: BprModel, meta: Record<string, unknown> = {}): Promise<void> {
  await writeFileAtomic(path, encodeBprModel(model, meta));
}


/**
 * Reads a model written by `saveBprModel`.
 * @throws NotFoundError when there is no such file; IncompatibleFormatError when it is not one.
 */
export async function loadBprModel(path: string): Promise<{ model: BprModel; meta: Record<string, unknown> }> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new NotFoundError(`no BPR model file at ${path}`, { cause: error });
    throw error;
  }
  return decodeBprModel(bytes, path);
}
