// Snapshots: a round trip keeps every answer, damaged or foreign files are refused, and the committed
// fixture of the current format version keeps loading.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IncompatibleFormatError } from '../core/index.js';
import { InvertedIndex, loadIndex, readIndex, saveIndex, SNAPSHOT_FORMAT_VERSION, writeIndex } from './index.js';
import { letterAnalyzer } from './testing.js';

const analyzer = letterAnalyzer();
const FIXTURE = new URL(`./fixtures/tiny-v${SNAPSHOT_FORMAT_VERSION}.qidx`, import.meta.url);

/** The fixture's content: two text fields, keyword and numeric fields, a synonym, a deleted and an updated doc. */
function fixtureIndex(): InvertedIndex {
  const index = new InvertedIndex({
    fields: [
      { name: 'title', analyzer, weight: 2 },
      { name: 'body', analyzer, b: 0.5 },
    ],
    keywords: [{ name: 'brand' }, { name: 'category', hierarchical: '>' }],
    numbers: [{ name: 'price' }],
    synonyms: [{ equivalents: ['phone', 'mobile'] }],
  });
  const words = ['phone', 'case', 'leather', 'charger', 'cable', 'screen', 'glass', 'wireless'];
  for (let i = 0; i < 300; i++) {
    const title = `${words[i % 8]} ${words[(i * 3) % 8]} ${i % 7 === 0 ? 'mobile' : ''}`;
    const body = Array.from({ length: 1 + (i % 5) }, (_, j) => words[(i + j * 5) % 8]).join(' ');
    index.add({ title, body, brand: ['acme', 'bolt', 'core'][i % 3], category: i % 2 ? '数码>配件' : '数码>手机', price: (i * 37) % 500 });
  }
  index.delete(7);
  index.update(8, { title: 'leather phone case', body: 'hand made', brand: 'dune', category: '数码>配件', price: 99 });
  return index;
}

const QUERIES = ['phone case', '"leather phone"', 'leathr -glass', 'mobile', 'title:cable brand:bolt'];

function answers(index: InvertedIndex) {
  return QUERIES.map((q) => index.search(q, { k: 20, facets: [{ name: 'brand', field: 'brand' }, { name: 'price', field: 'price', ranges: [{ to: 100 }, { from: 100 }] }] }));
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'quarry-index-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('snapshot round trip', () => {
  it('answers every query exactly as before, and keeps accepting writes', async () => {
    const index = fixtureIndex();
    const path = join(dir, 'index.qidx');
    await saveIndex(index, path);
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    const loaded = await loadIndex(path, { analyzers: [analyzer] });
    expect(answers(loaded)).toEqual(answers(index));
    expect(loaded.stats()).toEqual(index.stats());
    loaded.add({ title: 'wireless phone', brand: 'acme', price: 1 }, 500);
    index.add({ title: 'wireless phone', brand: 'acme', price: 1 }, 500);
    expect(answers(loaded)).toEqual(answers(index));
  });

  it('refuses a foreign file, another version, a damaged byte and a missing analyzer', () => {
    const bytes = writeIndex(fixtureIndex());
    const refuse = (b: Uint8Array, message: RegExp) => {
      expect(() => readIndex(b, { analyzers: [analyzer] })).toThrow(IncompatibleFormatError);
      expect(() => readIndex(b, { analyzers: [analyzer] })).toThrow(message);
    };
    refuse(new TextEncoder().encode('{"not":"an index"}'), /not an index snapshot/);
    const otherVersion = bytes.slice();
    otherVersion[4] = 99;
    refuse(otherVersion, /format version 99/);
    const damaged = bytes.slice();
    damaged[bytes.length - 100] = (damaged[bytes.length - 100] as number) ^ 1;
    refuse(damaged, /checksum/);
    refuse(bytes.subarray(0, bytes.length - 9), /checksum/);
    expect(() => readIndex(bytes, { analyzers: [] })).toThrow(/analyzer "index-test:letters:v1"/);
  });
});

describe(`the committed fixture (format version ${SNAPSHOT_FORMAT_VERSION})`, () => {
  it('loads and answers as the index it was written from', () => {
    // Regenerate only when the format version changes: QUARRY_WRITE_FIXTURES=1 npx vitest run src/index/snapshot.test.ts
    if (process.env.QUARRY_WRITE_FIXTURES === '1') writeFileSync(FIXTURE, writeIndex(fixtureIndex()));
    expect(existsSync(FIXTURE), `missing fixture ${FIXTURE.pathname}`).toBe(true);
    const loaded = readIndex(readFileSync(FIXTURE), { analyzers: [analyzer] });
    expect(answers(loaded)).toEqual(answers(fixtureIndex()));
    // Only the updated doc 8 says "made"; the deleted doc 7 stays deleted.
    expect(loaded.search('made').hits.map((h) => h.docId)).toEqual([8]);
    expect(loaded.has(7)).toBe(false);
  });
});
