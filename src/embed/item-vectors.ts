import { IncompatibleFormatError, InvalidArgumentError } from '../core/index.js';
import type { ModelInfo, Store } from '../store/index.js';
import type { Metric } from '../vector/index.js';

/**
 * Item vectors a user brings (from a text or image model, say), imported with `quarry vectors import`
 * and served by the vector recall channels when `recall.vector.source` is `imported:<name>`.
 * `data` is [count, dim] row-major; row r is the vector of `ids[r]`. `metric` is how they compare.
 */
export interface ItemVectorSet {
  dim: number;
  metric: Metric;
  ids: readonly string[];
  data: Float32Array;
}

/**
 * The stored bytes, little-endian:
 *
 *   bytes 0..3    magic "QIVS"
 *   u32           format version (ITEM_VECTORS_FORMAT_VERSION)
 *   u32           header length H in bytes
 *   H bytes       header, UTF-8 JSON: { dim, count, metric, ids: string[], meta }
 *   0..3 bytes    zero padding to a multiple of 4
 *   f32 [count, dim]  the vectors, row-major
 *
 * The same bytes go into the store's model registry under `item-vectors/<name>` with this format version.
 */
export const ITEM_VECTORS_FORMAT_VERSION = 1;
const MAGIC = 'QIVS';
const METRIC_NAMES: readonly Metric[] = ['l2', 'ip', 'cos'];

/** A set name: letters, digits, `.`, `_`, `-`; at most 64 characters, starting with a letter or digit. */
export const ITEM_VECTORS_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/**
 * The model-registry name of the vector set `name`.
 * @throws InvalidArgumentError when `name` does not match `ITEM_VECTORS_NAME_PATTERN`.
 */
export function itemVectorsModelName(name: string): string {
  if (!ITEM_VECTORS_NAME_PATTERN.test(name)) {
    throw new InvalidArgumentError(`vector set name "${name}" must be 1 to 64 letters, digits, ".", "_" or "-", starting with a letter or digit`);
  }
  return `item-vectors/${name}`;
}

interface Header {
  dim: number;
  count: number;
  metric: Metric;
  ids: string[];
  meta: Record<string, unknown>;
}

/** The set (and facts about its import, kept in the header) as the bytes of the format. */
export function encodeItemVectors(set: ItemVectorSet, meta: Record<string, unknown> = {}): Uint8Array {
  const count = set.ids.length;
  if (set.data.length !== count * set.dim) throw new InvalidArgumentError(`${count} ids of ${set.dim}-dim vectors need ${count * set.dim} values, got ${set.data.length}`);
  const header: Header = { dim: set.dim, count, metric: set.metric, ids: [...set.ids], meta };
  const headerBytes = new TextEncoder().encode(JSON.stringify(header));
  const floatsAt = align4(12 + headerBytes.length);
  const bytes = new Uint8Array(floatsAt + 4 * set.data.length);
  const view = new DataView(bytes.buffer);
  bytes.set(new TextEncoder().encode(MAGIC), 0);
  view.setUint32(4, ITEM_VECTORS_FORMAT_VERSION, true);
  view.setUint32(8, headerBytes.length, true);
  bytes.set(headerBytes, 12);
  for (let n = 0, at = floatsAt; n < set.data.length; n++, at += 4) view.setFloat32(at, set.data[n]!, true);
  return bytes;
}

/**
 * A set from the bytes of the format.
 * @throws IncompatibleFormatError when the magic, the version, the header or the size is wrong.
 */
export function decodeItemVectors(bytes: Uint8Array, source = 'item vectors'): { set: ItemVectorSet; meta: Record<string, unknown> } {
  if (bytes.length < 12 || new TextDecoder().decode(bytes.subarray(0, 4)) !== MAGIC) {
    throw new IncompatibleFormatError(`${source} is not a Quarry item vector set (no "${MAGIC}" magic number)`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(4, true);
  if (version !== ITEM_VECTORS_FORMAT_VERSION) {
    throw new IncompatibleFormatError(`${source} has item vector format version ${version}; this Quarry reads version ${ITEM_VECTORS_FORMAT_VERSION}`);
  }
  const headerLength = view.getUint32(8, true);
  const header = parseHeader(bytes.subarray(12, 12 + headerLength), source);
  const floatsAt = align4(12 + headerLength);
  const values = header.count * header.dim;
  const expected = floatsAt + 4 * values;
  if (bytes.length !== expected) throw new IncompatibleFormatError(`${source} holds ${bytes.length} bytes; its header (${header.count} vectors of dim ${header.dim}) needs ${expected}`);
  const data = new Float32Array(values);
  for (let n = 0, at = floatsAt; n < values; n++, at += 4) data[n] = view.getFloat32(at, true);
  return { set: { dim: header.dim, metric: header.metric, ids: header.ids, data }, meta: header.meta };
}

function parseHeader(bytes: Uint8Array, source: string): Header {
  let header: Partial<Header>;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)) as Partial<Header>;
  } catch (error) {
    throw new IncompatibleFormatError(`${source} has an unreadable header: ${(error as Error).message}`, { cause: error });
  }
  const { dim, count, metric, ids } = header;
  const isCount = (n: unknown): n is number => Number.isInteger(n) && (n as number) >= 0;
  const idsOk = Array.isArray(ids) && ids.length === count && ids.every((id) => typeof id === 'string');
  if (!isCount(dim) || dim === 0 || !isCount(count) || !METRIC_NAMES.includes(metric as Metric) || !idsOk) {
    throw new IncompatibleFormatError(`${source} has a header without a valid dim, count, metric and ids`);
  }
  const meta = typeof header.meta === 'object' && header.meta !== null ? header.meta : {};
  return { dim, count, metric: metric as Metric, ids, meta };
}

function align4(n: number): number {
  return (n + 3) & ~3;
}

/**
 * Stores the set as the next version of `item-vectors/<name>` in one transaction, then deletes the
 * older versions of that name: a set is replaced only once its successor is stored whole (a crash in
 * between leaves both, and the newer one serves).
 * @throws InvalidArgumentError for a bad name.
 */
export async function putItemVectors(store: Store, name: string, set: ItemVectorSet, meta: Record<string, unknown> = {}): Promise<{ info: ModelInfo; replaced: number[] }> {
  const modelName = itemVectorsModelName(name);
  const full = { count: set.ids.length, dim: set.dim, metric: set.metric, ...meta };
  const info = await store.putModel({ name: modelName, formatVersion: ITEM_VECTORS_FORMAT_VERSION, meta: full, data: encodeItemVectors(set, full) });
  const replaced: number[] = [];
  for (const older of await store.listModels(modelName)) {
    if (older.version < info.version && (await store.deleteModel(modelName, older.version))) replaced.push(older.version);
  }
  return { info, replaced };
}

/**
 * The stored set `name` (its latest version), or undefined when there is none.
 * @throws IncompatibleFormatError when the stored blob is of another format version or unreadable.
 */
export async function getItemVectors(store: Store, name: string): Promise<{ set: ItemVectorSet; info: ModelInfo } | undefined> {
  const modelName = itemVectorsModelName(name);
  const record = await store.getModel(modelName);
  if (record === undefined) return undefined;
  const what = `vector set "${name}" v${record.version}`;
  if (record.formatVersion !== ITEM_VECTORS_FORMAT_VERSION) {
    throw new IncompatibleFormatError(`${what} has item vector format version ${record.formatVersion}; this Quarry reads ${ITEM_VECTORS_FORMAT_VERSION}`);
  }
  const { data, ...info } = record;
  return { set: decodeItemVectors(data, what).set, info: { ...info, bytes: data.length } };
}

/** The stored vector sets: name (without the `item-vectors/` prefix) and registry facts, by name. */
export async function listItemVectors(store: Store): Promise<(ModelInfo & { setName: string })[]> {
  const prefix = 'item-vectors/';
  const all = await store.listModels();
  return all.filter((m) => m.name.startsWith(prefix)).map((m) => ({ ...m, setName: m.name.slice(prefix.length) }));
}
