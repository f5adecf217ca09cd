// `quarry eval search` on tiny TREC and JSONL files: the metrics, the run file and exit codes.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../index.js';
import { runQuarry } from '../testing.js';

let dir: string;
const file = (name: string) => join(dir, name);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'quarry-eval-search-'));
  await writeFile(
    file('docs.trec'),
    [
      '<DOC>\n<DOCNO>d1</DOCNO>\nmicrowave measurement of dielectric constants\n</DOC>',
      '<DOC>\n<DOCNO>d2</DOCNO>\n<TEXT>transistor amplifier circuits</TEXT>\n</DOC>',
      '<DOC>\n<DOCNO>d3</DOCNO>\ndielectric liquids at microwave frequencies\n</DOC>',
      '<DOC>\n<DOCNO>d4</DOCNO>\nbinary computer arithmetic\n</DOC>',
    ].join('\n'),
  );
  await writeFile(file('docs.jsonl'), '{"id":"d1","title":"microwave","text":"dielectric constants"}\n{"id":"d2","text":"amplifier circuits"}\n');
  await writeFile(file('topics.trec'), '<top>\n<num>1</num><title>\nDIELECTRIC CONSTANT OF LIQUIDS\n</title>\n</top>\n<top>\n<num>2</num><title>transistor circuits</title>\n</top>\n');
  await writeFile(file('topics.tsv'), '1\tdielectric liquids\n2\ttransistor circuits\n');
  await writeFile(file('qrels'), '1 0 d3 1\n1 0 d1 1\n2 0 d2 2\n2 0 d4 0\n');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const run = runQuarry;

describe('quarry eval search', () => {
  it('prints the metrics as JSON and writes a TREC run', async () => {
    const out = file('run.txt');
    const result = await run('eval', 'search', '--docs', file('docs.trec'), '--topics', file('topics.trec'), '--qrels', file('qrels'), '--run', out, '--no-feedback', '--json');
    expect(result.code).toBe(EXIT.ok);
    const summary = JSON.parse(result.stdout) as { map: number; topics: number; docs: number; recall_at_1000: number };
    // Topic 1: d1 (dielectric constants) and d3 (dielectric liquids) each hold two of the three words
    // and are the two relevant docs: AP 1. Topic 2: d2 holds both words and is the relevant one: AP 1.
    expect(summary).toMatchObject({ docs: 4, topics: 2, map: 1, recall_at_1000: 1 });
    const lines = (await readFile(out, 'utf8')).trim().split('\n');
    expect(lines[0]).toMatch(/^1 Q0 d[13] 1 [\d.]+ quarry-bm25f$/);
    expect(lines.map((l) => l.split(' ').slice(0, 3).join(' ')).sort()).toEqual(['1 Q0 d1', '1 Q0 d3', '2 Q0 d2']);
  });

  it('reads JSONL documents with titles and qid<TAB>query topics, with feedback on by default', async () => {
    const result = await run('eval', 'search', '--docs', file('docs.jsonl'), '--topics', file('topics.tsv'), '--qrels', file('qrels'));
    expect(result.code).toBe(EXIT.ok);
    expect(result.stdout).toMatch(/RM3 feedback/);
    expect(result.stdout).toMatch(/^map +\d\.\d{4}$/m);
  });

  it.each([
    [['--k1', '0'], /--k1.*from 0.001 to 100, got "0"/],
    [['--b', '1.5'], /--b.*from 0 to 1, got "1.5"/],
  ])('bad %j exits 2', async (extra, message) => {
    const result = await run('eval', 'search', '--docs', file('docs.trec'), '--topics', file('topics.tsv'), '--qrels', file('qrels'), ...extra);
    expect(result.code).toBe(EXIT.usage);
    expect(result.stderr).toMatch(message);
  });

  it('a missing file fails with exit 1 naming it', async () => {
    const result = await run('eval', 'search', '--docs', file('nope.trec'), '--topics', file('topics.tsv'), '--qrels', file('qrels'));
    expect(result.code).toBe(EXIT.failure);
    expect(result.stderr).toMatch(/no such file: .*nope\.trec/);
  });
});
