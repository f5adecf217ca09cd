// `quarry eval suggest` on tiny query logs: the report, JSON output and exit codes.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventSchema, type EventInput } from '../../core/index.js';
import type { SuggestEvalReport } from '../../eval/index.js';
import { SqliteStore } from '../../store/index.js';
import type { StoreReport } from './eval-suggest.js';
import { EXIT } from '../index.js';
import { runQuarry } from '../testing.js';

let dir: string;
let tsv: string;
let json: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'quarry-eval-suggest-'));
  tsv = join(dir, 'queries.tsv');
  const issues: [string, number][] = [['华为手机', 30], ['华为手机壳', 10], ['手机', 20], ['iphone 15', 25], ['ipad', 15], ['苹果手机', 10], ['华为平板', 5]];
  let qid = 0;
  await writeFile(tsv, issues.flatMap(([query, times]) => Array.from({ length: times }, () => `${++qid}\t${query}`)).join('\n'));
  json = join(dir, 'suggestions.json');
  await writeFile(json, JSON.stringify([{ query: 'macbook', popularity: 40 }, { query: 'macbook air', popularity: 20 }, { query: 'mouse', popularity: 10 }, { query: 'monitor', popularity: 0 }]));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const run = runQuarry;

describe('quarry eval suggest', () => {
  it('reports MRR@10 per input and prefix length, with the baseline measured on the same split', async () => {
    const result = await run('eval', 'suggest', '--log', tsv, '--split', '0.7', '--json');
    expect(result.code).toBe(EXIT.ok);
    expect(result.stderr).toContain('tsv, 7 distinct queries, 115 issues');
    const report = JSON.parse(result.stdout) as SuggestEvalReport;
    expect(report.issues).toBe(115);
    expect(report.held_out).toBeGreaterThan(0);
    // Every query is frequent enough to appear in training: all held-out issues can be completed.
    expect(report.coverage).toBe(1);
    // Typed by characters, both complete by popularity: no worse than the baseline at any length.
    for (const row of report.by_prefix_length) expect(row.mrr_at_10).toBeGreaterThanOrEqual(row.baseline_mrr_at_10);
    // Typed in pinyin, the baseline finds nothing; Quarry finds the query at full length.
    const pinyin = report.by_input.pinyin;
    expect(pinyin.baseline_mrr_at_10).toBe(0);
    expect(pinyin.by_prefix_length.at(-1)?.mrr_at_10).toBeGreaterThan(0.5);
    expect(report.by_input.typo.mrr_at_10).toBeGreaterThan(report.by_input.typo.baseline_mrr_at_10);
  });

  it('reads Algolia-style JSON records with popularity, and prints a table without --json', async () => {
    const result = await run('eval', 'suggest', '--log', json, '--split', '0.8', '--candidates', 'all');
    expect(result.code).toBe(EXIT.ok);
    expect(result.stdout).toMatch(/candidates all: 4 offered/);
    expect(result.stdout).toMatch(/^input\s+len\s+n\s+mrr@10\s+baseline/m);
    expect(result.stdout).toMatch(/^chars\s+1\s/m);
  });

  it('is deterministic for a seed', async () => {
    const a = await run('eval', 'suggest', '--log', tsv, '--json', '--seed', 's1');
    const b = await run('eval', 'suggest', '--log', tsv, '--json', '--seed', 's1');
    const strip = (out: string) => ({ ...(JSON.parse(out) as SuggestEvalReport), build_s: 0, baseline_build_s: 0 });
    expect(strip(a.stdout)).toEqual(strip(b.stdout));
  });

  it.each([
    [['--log', 'missing.tsv'], EXIT.failure, /no such file: missing\.tsv/],
    [['--split', '1.5'], EXIT.usage, /between 0 and 1.*"1\.5"/],
    [['--candidates', 'some'], EXIT.usage, /must be one of train, all, got "some"/],
  ])('fails clearly: %s', async (extra, code, message) => {
    const argv = extra[0] === '--log' ? extra : ['--log', tsv, ...extra];
    const result = await run('eval', 'suggest', ...argv);
    expect(result.code).toBe(code);
    expect(result.stderr).toMatch(message);
  });

  it('names the line of a malformed log', async () => {
    const bad = join(dir, 'bad.tsv');
    await writeFile(bad, '1\tok\nno tab here\n');
    const result = await run('eval', 'suggest', '--log', bad);
    expect(result.code).toBe(EXIT.failure);
    expect(result.stderr).toMatch(/bad\.tsv:2: expected "qid<TAB>query", found no tab/);
  });

  it('reads an event store: searches split by time, their origins, related and click-back hit@5', async () => {
    const db = join(dir, 'events.db');
    const store = await SqliteStore.open({ path: db });
    const events: EventInput[] = [];
    for (let s = 0; s < 20; s++) {
      const who = { userId: `u${s}`, sessionId: `s${s}` };
      const t = s * 3_600_000;
      events.push({ ...who, eventId: `${s}a`, type: 'query', requestId: `${s}a`, query: '手机', source: s % 2 === 0 ? 'typed' : 'guess', time: t });
      events.push({ ...who, eventId: `${s}b`, type: 'query', requestId: `${s}b`, query: '华为手机', source: 'related', time: t + 60_000 });
      events.push({ ...who, eventId: `${s}p`, type: 'purchase', requestId: `${s}b`, itemId: 'mate', time: t + 120_000 });
    }
    await store.appendEvents(events.map((e) => EventSchema.parse(e)));
    await store.close();
    const result = await run('eval', 'suggest', '--store', db, '--split', '0.5', '--json');
    expect(result.code).toBe(EXIT.ok);
    const report = JSON.parse(result.stdout) as SuggestEvalReport & { store: StoreReport };
    expect(report.issues).toBe(40);
    expect(report.held_out).toBe(20); // the later half of the searches
    expect(report.store.origins.by_source.related).toMatchObject({ searches: 20, purchases: 20, purchases_per_search: 1 });
    expect(report.store.origins.by_source.guess.share).toBe(0.25);
    expect(report.store.related).toMatchObject({ pairs: 10, hit_at_5: 1 });
    const text = await run('eval', 'suggest', '--store', db, '--split', '0.5');
    expect(text.stdout).toMatch(/related\s+20\s+0\.5000/);
  });

  it('needs exactly one of --log and --store', async () => {
    const neither = await run('eval', 'suggest');
    expect(neither.code).toBe(EXIT.usage);
    expect(neither.stderr).toMatch(/either --log FILE or --store DB/);
    const both = await run('eval', 'suggest', '--log', tsv, '--store', tsv);
    expect(both.code).toBe(EXIT.usage);
  });
});
