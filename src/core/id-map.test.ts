import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, NotFoundError } from './errors.js';
import { IdMap } from './id-map.js';

describe('IdMap', () => {
  it('gives dense ids in first-seen order and the same id on repeat', () => {
    const map = new IdMap();
    expect(map.intern('b')).toBe(0);
    expect(map.intern('a')).toBe(1);
    expect(map.intern('b')).toBe(0);
    expect(map.size).toBe(2);
    expect(map.external(1)).toBe('a');
    expect(map.get('zzz')).toBeUndefined();
  });

  it('round-trips through its array form', () => {
    const map = new IdMap();
    for (const id of ['x', 'y', 'z']) map.intern(id);
    const copy = IdMap.fromArray(map.toArray());
    expect(copy.get('z')).toBe(2);
    expect(copy.toArray()).toEqual(['x', 'y', 'z']);
  });

  it('refuses unknown dense ids and duplicate external ids', () => {
    expect(() => new IdMap().external(0)).toThrow(NotFoundError);
    expect(() => IdMap.fromArray(['a', 'a'])).toThrow(InvalidArgumentError);
    expect(() => IdMap.fromArray(['a', 'a'])).toThrow(/duplicate external id "a"/);
  });
});
