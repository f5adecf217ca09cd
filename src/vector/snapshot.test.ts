import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeSnapshot, encodeSnapshot, writeFileAtomic } from './snapshot.js';
import { expectQuarryError } from './vector-index-suite.js';

const sample = () => encodeSnapshot({ kind: 'test', n: 3 }, { a: Float32Array.from([1.5, -2]), b: Int32Array.from([7]), c: Uint8Array.from([1, 2, 3]) });

describe('snapshot format', () => {
  it('round-trips the header and typed sections, each aligned so it can be viewed in place', () => {
    const { header, sections } = decodeSnapshot(sample());
    expect(header).toMatchObject({ kind: 'test', n: 3 });
    expect(Array.from(sections.get('a') as Float32Array)).toEqual([1.5, -2]);
    expect(sections.get('b')).toBeInstanceOf(Int32Array);
    expect(Array.from(sections.get('c') as Uint8Array)).toEqual([1, 2, 3]);
  });

  it('starts with the magic number "QVIX" and format version 1', () => {
    const bytes = sample();
    expect(new TextDecoder().decode(bytes.subarray(0, 4))).toBe('QVIX');
    expect(new DataView(bytes.buffer).getUint32(4, true)).toBe(1);
  });

  it.each([
    ['a wrong magic number', (b: Uint8Array) => b.set([0x51, 0x56, 0x49, 0x58].reverse(), 0), /magic number is "XIVQ", expected "QVIX"/],
    ['a newer format version', (b: Uint8Array) => new DataView(b.buffer).setUint32(4, 2, true), /format version 2, this build reads version 1/],
    ['a flipped byte in a section', (b: Uint8Array) => (b[b.length - 9] = b[b.length - 9]! ^ 0xff), /checksum .* does not match/],
  ])('refuses %s (INCOMPATIBLE_FORMAT, naming the source)', (_, damage, message) => {
    const bytes = sample();
    damage(bytes);
    expectQuarryError(() => decodeSnapshot(bytes, 'my.qvix'), 'INCOMPATIBLE_FORMAT', message);
    expectQuarryError(() => decodeSnapshot(bytes, 'my.qvix'), 'INCOMPATIBLE_FORMAT', /^my\.qvix/);
  });

  it('refuses a truncated file', () => {
    expectQuarryError(() => decodeSnapshot(sample().subarray(0, 10)), 'INCOMPATIBLE_FORMAT', /shorter than the 16-byte preamble/);
    expectQuarryError(() => decodeSnapshot(sample().subarray(0, 40)), 'INCOMPATIBLE_FORMAT', /checksum/);
  });
});

describe('writeFileAtomic', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'quarry-snapshot-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('replaces the file whole and leaves no temporary file', async () => {
    const path = join(dir, 'x.bin');
    await writeFileAtomic(path, Uint8Array.from([1, 2, 3]));
    await writeFileAtomic(path, Uint8Array.from([4, 5]));
    expect(Array.from(await readFile(path))).toEqual([4, 5]);
    expect(await readdir(dir)).toEqual(['x.bin']);
  });

  it('fails on a missing directory without leaving anything behind', async () => {
    await expect(writeFileAtomic(join(dir, 'missing', 'x.bin'), Uint8Array.from([1]))).rejects.toThrow(/ENOENT/);
    expect(await readdir(dir)).toEqual(['x.bin']);
  });
});
