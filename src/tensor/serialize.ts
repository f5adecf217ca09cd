/**
 * Training state on disk: named parameters and, optionally, the optimizer's state, in one binary.
 *
 *   bytes 0..3    magic "QTNS"
 *   bytes 4..7    format version, uint32 little-endian (STATE_FORMAT_VERSION)
 *   bytes 8..11   header length H in bytes, uint32 little-endian
 *   bytes 12..    header: UTF-8 JSON (schema below), then zero padding to a multiple of 4
 *   then          payload: float32 little-endian; the header gives each buffer's offset and length in floats
 *
 * Header: { tensors: [{ name, shape, offset }], optimizer: null | { kind, step, hyperparameters,
 * slots: [{ param, slot, offset, length }] }, metadata: { key: string | number } }.
 * Files are written atomically (temporary file in the same directory, fsync, rename, fsync the directory).
 */

import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { IncompatibleFormatError } from '../core/errors.js';
import type { NamedParameters, Optimizer, OptimizerState } from './optimizers.js';
import { formatShape, sameShape, sizeOf } from './shape.js';
import { writeFileAtomic } from '../core/index.js';

export const STATE_MAGIC = 'QTNS';
export const STATE_FORMAT_VERSION = 1;

const HeaderSchema = z.object({
  tensors: z.array(z.object({ name: z.string(), shape: z.array(z.number().int().nonnegative()), offset: z.number().int().nonnegative() })),
  optimizer: z
    .object({
      kind: z.string(),
      step: z.number().int().nonnegative(),
      hyperparameters: z.record(z.string(), z.number()),
      slots: z.array(z.object({ param: z.string(), slot: z.string(), offset: z.number().int().nonnegative(), length: z.number().int().nonnegative() })),
    })
    .nullable(),
  metadata: z.record(z.string(), z.union([z.string(), z.number()])),
});

type Header = z.infer<typeof HeaderSchema>;

export interface SavedState {
  tensors: Map<string, { shape: number[]; data: Float32Array }>;
  optimizer: OptimizerState | null;
  metadata: Record<string, string | number>;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Encodes parameters (and optimizer state) in the QTNS format. */
export function encodeState(params: NamedParameters, options: { optimizer?: Optimizer; metadata?: Record<string, string | number> } = {}): Uint8Array {
  const buffers: Float32Array[] = [];
  let floats = 0;
  const place = (data: Float32Array): number => {
    buffers.push(data);
    floats += data.length;
    return floats - data.length;
  };
  const tensors = params.map(([name, t]) => ({ name, shape: [...t.shape], offset: place(t.data) }));
  const opt = options.optimizer?.exportState();
  const optimizer: Header['optimizer'] =
    opt === undefined
      ? null
      : {
          kind: opt.kind,
          step: opt.step,
          hyperparameters: opt.hyperparameters,
          slots: Object.entries(opt.slots).flatMap(([param, slots]) => Object.entries(slots).map(([slot, data]) => ({ param, slot, offset: place(data), length: data.length }))),
        };
  const header = new TextEncoder().encode(JSON.stringify({ tensors, optimizer, metadata: options.metadata ?? {} } satisfies Header));
  const payloadStart = 12 + Math.ceil(header.length / 4) * 4;
  const bytes = new Uint8Array(payloadStart + floats * 4);
  const view = new DataView(bytes.buffer);
  bytes.set(new TextEncoder().encode(STATE_MAGIC), 0);
  view.setUint32(4, STATE_FORMAT_VERSION, true);
  view.setUint32(8, header.length, true);
  bytes.set(header, 12);
  let at = payloadStart;
  for (const b of buffers) {
    if (LITTLE_ENDIAN) bytes.set(new Uint8Array(b.buffer, b.byteOffset, b.byteLength), at);
    else for (let i = 0; i < b.length; i++) view.setFloat32(at + 4 * i, b[i] as number, true);
    at += b.byteLength;
  }
  return bytes;
}

function readFloats(bytes: Uint8Array, start: number, length: number): Float32Array {
  const out = new Float32Array(length);
  if (LITTLE_ENDIAN) new Uint8Array(out.buffer).set(bytes.subarray(start, start + 4 * length));
  else {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let i = 0; i < length; i++) out[i] = view.getFloat32(start + 4 * i, true);
  }
  return out;
}

function parseHeader(bytes: Uint8Array): { header: Header; payloadStart: number } {
  const fail = (why: string, cause?: unknown): IncompatibleFormatError => new IncompatibleFormatError(`tensor state: ${why}`, { cause });
  if (bytes.length < 12 || new TextDecoder().decode(bytes.subarray(0, 4)) !== STATE_MAGIC) throw fail(`not a ${STATE_MAGIC} file`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(4, true);
  if (version !== STATE_FORMAT_VERSION) throw fail(`format version ${version}, this build reads version ${STATE_FORMAT_VERSION}`);
  const headerLength = view.getUint32(8, true);
  if (12 + headerLength > bytes.length) throw fail(`header of ${headerLength} bytes runs past the end of the ${bytes.length}-byte file`);
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + headerLength)));
  } catch (error) {
    throw fail('header is not JSON', error);
  }
  const parsed = HeaderSchema.safeParse(json);
  if (!parsed.success) throw fail(`header does not match the schema: ${parsed.error.message}`, parsed.error);
  return { header: parsed.data, payloadStart: 12 + Math.ceil(headerLength / 4) * 4 };
}

/**
 * Decodes a QTNS buffer.
 * @throws IncompatibleFormatError for a wrong magic, an unknown version, a bad header or a short payload.
 */
export function decodeState(bytes: Uint8Array): SavedState {
  const { header, payloadStart } = parseHeader(bytes);
  const floatsAvailable = Math.floor((bytes.length - payloadStart) / 4);
  const slice = (offset: number, length: number, what: string): Float32Array => {
    if (offset + length > floatsAvailable) throw new IncompatibleFormatError(`tensor state: ${what} runs past the end of the payload`);
    return readFloats(bytes, payloadStart + 4 * offset, length);
  };
  const tensors = new Map(header.tensors.map((t) => [t.name, { shape: t.shape, data: slice(t.offset, sizeOf(t.shape), `tensor '${t.name}'`) }]));
  let optimizer: OptimizerState | null = null;
  if (header.optimizer !== null) {
    const slots: OptimizerState['slots'] = {};
    for (const s of header.optimizer.slots) (slots[s.param] ??= {})[s.slot] = slice(s.offset, s.length, `slot ${s.param}.${s.slot}`);
    optimizer = { kind: header.optimizer.kind, step: header.optimizer.step, hyperparameters: header.optimizer.hyperparameters, slots };
  }
  return { tensors, optimizer, metadata: header.metadata };
}

/**
 * Copies saved values into `params` (matched by name) and restores the optimizer's state.
 * @throws IncompatibleFormatError naming the parameter (and both shapes) that is missing or differs.
 */
export function restoreState(state: SavedState, params: NamedParameters, optimizer?: Optimizer): void {
  for (const [name, t] of params) {
    const saved = state.tensors.get(name);
    if (saved === undefined) throw new IncompatibleFormatError(`tensor state has no parameter '${name}'`);
    if (!sameShape(saved.shape, t.shape)) {
      throw new IncompatibleFormatError(`parameter '${name}' was saved with shape ${formatShape(saved.shape)}, the model has ${formatShape(t.shape)}`);
    }
    t.data.set(saved.data);
  }
  if (optimizer !== undefined) {
    if (state.optimizer === null) throw new IncompatibleFormatError('tensor state holds no optimizer state');
    optimizer.importState(state.optimizer);
  }
}

/** Writes `bytes` to `path` atomically (see `writeFileAtomic`). */
export async function writeStateFile(path: string, bytes: Uint8Array): Promise<void> {
  await writeFileAtomic(path, bytes);
}

/** Reads and decodes a state file. @throws IncompatibleFormatError as decodeState. */
export async function readStateFile(path: string): Promise<SavedState> {
  return decodeState(new Uint8Array(await readFile(path)));
}
