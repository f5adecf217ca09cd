/**
 * Feature tokens (the strings a libffm/libsvm file or a data set uses for a feature) → dense feature
 * ids for the models' weight tables. Two ways:
 *
 * - `FeatureDictionary`: each distinct token gets the next id, in first-seen order. Fitted on the
 *   training data, then frozen: a token first seen in validation or test data has no trained weight,
 *   so it is dropped from the row (counted in `unknownTokens`), which is what a weight of zero means.
 * - `FeatureHasher`: the hashing trick (Weinberger et al. 2009): id = murmur3(token) mod 2^bits. Fixed
 *   size, nothing to store, collisions share a weight.
 *
 * Fields are small integers already (libffm numbers them); the map records how many there are so a
 * frozen map can refuse a field the model has no weights for.
 */

import { IncompatibleFormatError, InvalidArgumentError } from '../core/index.js';

export type FeatureMapState =
  | { kind: 'dictionary'; tokens: string[]; nFields: number; frozen: boolean }
  | { kind: 'hash'; bits: number; nFields: number; frozen: boolean };

export interface FeatureMap {
  readonly kind: FeatureMapState['kind'];
  /** Every id given is below this. */
  readonly nFeatures: number;
  /** Every accepted field is below this. */
  readonly nFields: number;
  readonly frozen: boolean;
  /** Tokens dropped because the map was frozen and did not know them. */
  readonly unknownTokens: number;
  /** The id of a token, or -1 when the map is frozen and does not know it. */
  id(token: string): number;
  /** Whether a field can be used: always while fitting (the count grows); below `nFields` once frozen. */
  acceptField(field: number): boolean;
  /** Stops learning tokens and fields (after the training data). */
  freeze(): void;
  toJSON(): FeatureMapState;
}

abstract class FieldCounter {
  nFields: number;
  frozen: boolean;
  unknownTokens = 0;

  constructor(nFields: number, frozen: boolean) {
    this.nFields = nFields;
    this.frozen = frozen;
  }

  acceptField(field: number): boolean {
    if (field < this.nFields) return true;
    if (this.frozen) return false;
    this.nFields = field + 1;
    return true;
  }

  freeze(): void {
    this.frozen = true;
  }
}

/** Tokens → ids 0, 1, 2, ... in first-seen order. */
export class FeatureDictionary extends FieldCounter implements FeatureMap {
  readonly kind = 'dictionary';
  private readonly ids = new Map<string, number>();
  private readonly tokens: string[] = [];

  constructor(state: { tokens?: readonly string[]; nFields?: number; frozen?: boolean } = {}) {
    super(state.nFields ?? 0, state.frozen ?? false);
    for (const token of state.tokens ?? []) {
      if (this.ids.has(token)) throw new IncompatibleFormatError(`feature dictionary lists the token "${token}" twice`);
      this.ids.set(token, this.tokens.length);
      this.tokens.push(token);
    }
  }

  get nFeatures(): number {
    return this.tokens.length;
  }

  id(token: string): number {
    const known = this.ids.get(token);
    if (known !== undefined) return known;
    if (this.frozen) {
      this.unknownTokens++;
      return -1;
    }
    const id = this.tokens.length;
    this.ids.set(token, id);
    this.tokens.push(token);
    return id;
  }

  /** The token of an id (explanations, debugging). */
  token(id: number): string | undefined {
    return this.tokens[id];
  }

  toJSON(): FeatureMapState {
    return { kind: 'dictionary', tokens: [...this.tokens], nFields: this.nFields, frozen: this.frozen };
  }
}

/** Tokens → murmur3_32(token) mod 2^bits. */
export class FeatureHasher extends FieldCounter implements FeatureMap {
  readonly kind = 'hash';
  readonly bits: number;
  private readonly mask: number;

  /** @throws InvalidArgumentError when bits is not an integer from 1 to 30. */
  constructor(state: { bits: number; nFields?: number; frozen?: boolean }) {
    super(state.nFields ?? 0, state.frozen ?? false);
    if (!Number.isInteger(state.bits) || state.bits < 1 || state.bits > 30) {
      throw new InvalidArgumentError(`hash bits must be an integer from 1 to 30, got ${state.bits}`);
    }
    this.bits = state.bits;
    this.mask = 2 ** state.bits - 1;
  }

  get nFeatures(): number {
    return this.mask + 1;
  }

  id(token: string): number {
    return murmur3(token) & this.mask;
  }

  toJSON(): FeatureMapState {
    return { kind: 'hash', bits: this.bits, nFields: this.nFields, frozen: this.frozen };
  }
}

/** Rebuilds a map saved with `toJSON`. */
export function featureMapFromJSON(state: FeatureMapState): FeatureMap {
  return state.kind === 'dictionary' ? new FeatureDictionary(state) : new FeatureHasher(state);
}

/**
 * MurmurHash3 x86_32 (Appleby) over the string's UTF-16 code units, seed 0. Unsigned 32-bit result.
 * Code units rather than UTF-8 bytes: the ids only need to be stable within Quarry, not match another
 * tool's hashes.
 */
export function murmur3(text: string, seed = 0): number {
  let h = seed >>> 0;
  const n = text.length;
  let i = 0;
  for (; i + 1 < n; i += 2) {
    let k = text.charCodeAt(i) | (text.charCodeAt(i + 1) << 16);
    k = Math.imul(k, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  if (i < n) {
    let k = text.charCodeAt(i);
    k = Math.imul(k, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    h ^= k;
  }
  h ^= n * 2;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
