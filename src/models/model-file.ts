/**
 * The CTR model file: a model's arrays with everything needed to serve it the same way it was
 * evaluated (the feature map that turns tokens into ids, the calibration).
 *
 *   bytes 0..3    magic "QCTR"
 *   bytes 4..7    format version, uint32 little-endian (CTR_MODEL_FORMAT_VERSION)
 *   bytes 8..11   header length H in bytes, uint32 little-endian
 *   bytes 12..    header: UTF-8 JSON { model, arrays: [{ name, length }], featureMap?, calibration?, metadata? }
 *   then zero padding to a multiple of 4, then each array's float32 values, little-endian, in the
 *   header's order.
 *
 * Files are written atomically: to a temporary file in the same directory, fsynced, then renamed.
 */

import { readFile } from 'node:fs/promises';
import { endianness } from 'node:os';
import { z } from 'zod';
import { IncompatibleFormatError, InvalidArgumentError, QuarryError } from '../core/index.js';
import type { Calibration } from './calibration.js';
import { createCtrModel } from './create-ctr-model.js';
import type { CtrModel } from './ctr-model.js';
import { featureMapFromJSON, type FeatureMap } from './feature-map.js';
import { writeFileAtomic } from '../core/index.js';

export const CTR_MODEL_MAGIC = 'QCTR';
export const CTR_MODEL_FORMAT_VERSION = 1;

/** Typed arrays use the platform's byte order; the file is little-endian, so copy bytes when they agree. */
const LITTLE_ENDIAN = endianness() === 'LE';

/** A model with what it needs at serving time. */
export interface CtrModelBundle {
  model: CtrModel;
  featureMap?: FeatureMap;
  calibration?: Calibration;
  /** Free-form facts about the training run (data files, metrics), kept as is. */
  metadata?: Record<string, string | number>;
}

const ConfigSchema = z.record(z.string(), z.union([z.number(), z.string(), z.boolean()]));
const HeaderSchema = z.object({
  model: z.object({
    kind: z.enum(['lr', 'fm', 'ffm']),
    nFeatures: z.number().int().nonnegative(),
    nFields: z.number().int().nonnegative(),
    config: ConfigSchema,
  }),
  arrays: z.array(z.object({ name: z.string(), length: z.number().int().nonnegative() })),
  featureMap: z
    .discriminatedUnion('kind', [
      z.object({ kind: z.literal('dictionary'), tokens: z.array(z.string()), nFields: z.number().int().nonnegative(), frozen: z.boolean() }),
      z.object({ kind: z.literal('hash'), bits: z.number().int(), nFields: z.number().int().nonnegative(), frozen: z.boolean() }),
    ])
    .optional(),
  calibration: z
    .array(
      z.discriminatedUnion('kind', [
        z.object({ kind: z.literal('downsampling'), negativeRate: z.number() }),
        z.object({ kind: z.literal('platt'), a: z.number(), b: z.number() }),
        z.object({ kind: z.literal('isotonic'), thresholds: z.array(z.number()), values: z.array(z.number()) }),
      ]),
    )
    .optional(),
  metadata: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
});

/**
 * The model file's bytes.
 * @throws InvalidArgumentError when a metadata value is a number that is not finite (JSON has no NaN).
 */
export function encodeCtrModel(bundle: CtrModelBundle): Uint8Array {
  for (const [key, value] of Object.entries(bundle.metadata ?? {})) {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new InvalidArgumentError(`model metadata ${key} is ${value}; numbers must be finite`);
  }
  const arrays = Object.entries(bundle.model.parameters);
  const header = {
    model: bundle.model.header(),
    arrays: arrays.map(([name, array]) => ({ name, length: array.length })),
    ...(bundle.featureMap ? { featureMap: bundle.featureMap.toJSON() } : {}),
    ...(bundle.calibration ? { calibration: bundle.calibration } : {}),
    ...(bundle.metadata ? { metadata: bundle.metadata } : {}),
  };
  const headerBytes = new TextEncoder().encode(JSON.stringify(header));
  const dataStart = align4(12 + headerBytes.length);
  const total = dataStart + arrays.reduce((sum, [, array]) => sum + array.length * 4, 0);
  const bytes = new Uint8Array(total);
  const view = new DataView(bytes.buffer);
  bytes.set(new TextEncoder().encode(CTR_MODEL_MAGIC), 0);
  view.setUint32(4, CTR_MODEL_FORMAT_VERSION, true);
  view.setUint32(8, headerBytes.length, true);
  bytes.set(headerBytes, 12);
  let at = dataStart;
  for (const [, array] of arrays) {
    if (LITTLE_ENDIAN) bytes.set(new Uint8Array(array.buffer, array.byteOffset, array.byteLength), at);
    else for (let i = 0; i < array.length; i++) view.setFloat32(at + i * 4, array[i] as number, true);
    at += array.length * 4;
  }
  return bytes;
}

/**
 * Reads a model file's bytes.
 * @throws IncompatibleFormatError when the magic, the version, the header or the array sizes are not
 *   what this code writes.
 */
export function decodeCtrModel(bytes: Uint8Array): CtrModelBundle {
  if (bytes.length < 12 || new TextDecoder().decode(bytes.subarray(0, 4)) !== CTR_MODEL_MAGIC) {
    throw new IncompatibleFormatError(`not a Quarry CTR model file (expected the magic "${CTR_MODEL_MAGIC}")`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(4, true);
  if (version !== CTR_MODEL_FORMAT_VERSION) {
    throw new IncompatibleFormatError(`CTR model file has format version ${version}; this Quarry reads version ${CTR_MODEL_FORMAT_VERSION}`);
  }
  const header = parseHeader(bytes, view.getUint32(8, true));
  let at = align4(12 + view.getUint32(8, true));
  const state: Record<string, Float32Array> = {};
  for (const { name, length } of header.arrays) {
    if (at + length * 4 > bytes.length) throw new IncompatibleFormatError(`CTR model file is truncated in array ${name} (${bytes.length} bytes)`);
    const array = new Float32Array(length);
    if (LITTLE_ENDIAN) new Uint8Array(array.buffer).set(bytes.subarray(at, at + length * 4));
    else for (let i = 0; i < length; i++) array[i] = view.getFloat32(at + i * 4, true);
    at += length * 4;
    state[name] = array;
  }
  const { kind, nFeatures, nFields } = header.model;
  // Files written before FFM had the `adagrad` choice hold libffm's per-coordinate accumulators.
  const config = kind === 'ffm' && header.model.config.adagrad === undefined ? { ...header.model.config, adagrad: 'coordinate' } : header.model.config;
  let model: CtrModel;
  try {
    // The hyperparameters are checked by the model constructors (a bad one is an IncompatibleFormatError here).
    model = createCtrModel({ kind, config }, { nFeatures, nFields, state });
  } catch (error) {
    throw new IncompatibleFormatError(`CTR model file holds a ${kind} model that cannot be rebuilt: ${(error as Error).message}`, { cause: error });
  }
  for (const name of Object.keys(model.parameters)) {
    if (state[name] === undefined) throw new IncompatibleFormatError(`CTR model file has no array ${name} for its ${kind} model`);
  }
  return {
    model,
    ...(header.featureMap ? { featureMap: featureMapFromJSON(header.featureMap) } : {}),
    ...(header.calibration ? { calibration: header.calibration } : {}),
    ...(header.metadata ? { metadata: header.metadata } : {}),
  };
}

function parseHeader(bytes: Uint8Array, length: number): z.infer<typeof HeaderSchema> {
  if (12 + length > bytes.length) throw new IncompatibleFormatError(`CTR model file is truncated in its header (${bytes.length} bytes)`);
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + length)));
  } catch (error) {
    throw new IncompatibleFormatError(`CTR model file header is not JSON: ${(error as Error).message}`, { cause: error });
  }
  const parsed = HeaderSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new IncompatibleFormatError(`CTR model file header: ${issue?.path.join('.') ?? ''} ${issue?.message ?? 'invalid'}`, { cause: parsed.error });
  }
  return parsed.data;
}

/**
 * Writes a model file atomically (temporary file in the same directory, fsync, rename).
 * @throws QuarryError when the file cannot be written (the temporary file is removed).
 */
export async function saveCtrModel(path: string, bundle: CtrModelBundle): Promise<void> {
  const bytes = encodeCtrModel(bundle);
  try {
    await writeFileAtomic(path, bytes);
  } catch (error) {
    throw new QuarryError('INTERNAL', `cannot write the model file ${path}: ${(error as Error).message}`, { cause: error });
  }
}

/**
 * Reads a model file.
 * @throws QuarryError (NOT_FOUND) when the file cannot be read; IncompatibleFormatError as `decodeCtrModel`.
 */
export async function loadCtrModel(path: string): Promise<CtrModelBundle> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new QuarryError('NOT_FOUND', `cannot read the model file ${path}: ${(error as Error).message}`, { cause: error });
  }
  return decodeCtrModel(bytes);
}

function align4(n: number): number {
  return (n + 3) & ~3;
}
