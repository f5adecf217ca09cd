import { InvalidArgumentError, NotFoundError } from './errors.js';

/**
 * External string ids ↔ dense integer ids (0, 1, 2, ...), so indexes can use typed arrays.
 *
 * A dense id, once given, is never reused for another external id: an index that keeps postings or
 * vectors by dense id stays valid when items are deleted (the owner marks the dense id dead instead).
 */
export class IdMap {
  private readonly denseByExternal = new Map<string, number>();
  private readonly externalByDense: string[] = [];

  /** How many external ids have been given a dense id (deleted ones included). */
  get size(): number {
    return this.externalByDense.length;
  }

  /** The dense id of `externalId`, giving it the next free one if it has none. */
  intern(externalId: string): number {
    const known = this.denseByExternal.get(externalId);
    if (known !== undefined) return known;
    const dense = this.externalByDense.length;
    this.denseByExternal.set(externalId, dense);
    this.externalByDense.push(externalId);
    return dense;
  }

  /** The dense id of `externalId`, or undefined if it was never interned. */
  get(externalId: string): number | undefined {
    return this.denseByExternal.get(externalId);
  }

  has(externalId: string): boolean {
    return this.denseByExternal.has(externalId);
  }

  /**
   * The external id of a dense id.
   * @throws NotFoundError when the dense id was never given.
   */
  external(denseId: number): string {
    const id = this.externalByDense[denseId];
    if (id === undefined) throw new NotFoundError(`dense id ${denseId} is not in the id map (size ${this.size})`);
    return id;
  }

  /** The external ids in dense order: `toArray()[d]` is the external id of `d`. */
  toArray(): readonly string[] {
    return this.externalByDense;
  }

  /**
   * Rebuilds a map from its dense-ordered external ids (as written by `toArray`).
   * @throws InvalidArgumentError when an external id appears twice.
   */
  static fromArray(externalIds: readonly string[]): IdMap {
    const map = new IdMap();
    for (const id of externalIds) {
      if (map.has(id)) throw new InvalidArgumentError(`duplicate external id "${id}" in id map`);
      map.intern(id);
    }
    return map;
  }
}
