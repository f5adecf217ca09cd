// `quarry eval ann` on tiny generated fvecs files: the report, a given ground truth, and exit codes.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeVecs, exactNeighbours, generateClustered } from '../../vector/index.js';
import { EXIT } from '../index.js';
import type { EvalAnnReport } from './eval-ann.js';
import { runQuarry } from '../testing.js';

let dir: string;
const file = (name: string) => join(dir, name);
const base = generateClustered({ count: 400, dim: 8, seed: 'cli-ann/base' });
const queries = generateClustered({ count: 30, dim: 8, seed: 'cli-ann/queries' });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'quarry-eval-ann-'));
  await writeFile(file('base.fvecs'), encodeVecs(base));
  await writeFile(file('queries.fvecs'), encodeVecs(queries));
  await writeFile(file('gt.ivecs'), encodeVecs(exactNeighbours(base, queries, 10)));
  await writeFile(file('ragged.txt'), '1 2 3\n4 5\n');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const run = runQuarry;

describe('quarry eval ann', () => {
  it('prints recall@k, queries/s, build time and memory per ef as JSON, with exact ground truth computed', async () => {
    const result = await run('eval', 'ann', '--base', file('base.fvecs'), '--queries', file('queries.fvecs'), '--ef', '10,64', '--json');
    expect(result.code).toBe(EXIT.ok);
    const report = JSON.parse(result.stdout) as EvalAnnReport;
    expect(report).toMatchObject({ base: { count: 400, dim: 8 }, queries: { count: 30 }, k: 10, metric: 'l2', quant: 'none', M: 16, ground_truth: 'exact' });
    expect(report.results.map((r) => r.ef)).toEqual([10, 64]);
    // 400 vectors: ef 64 with efConstruction 200 walks most of the graph, so recall is (near) perfect.
    expect(report.results[1]!.recall_at_k).toBeGreaterThanOrEqual(0.99);
    expect(report.results.every((r) => r.qps > 0)).toBe(true);
    expect(report.bytes_per_vector).toBeGreaterThan(8 * 4);
  });

  it('reads a given .ivecs ground truth and searches fp8 codes, printing a table', async () => {
    const result = await run('eval', 'ann', '--base', file('base.fvecs'), '--queries', file('queries.fvecs'), '--gt', file('gt.ivecs'), '--quant', 'fp8', '--ef', '32', '--k', '5');
    expect(result.code).toBe(EXIT.ok);
    expect(result.stdout).toMatch(/quant fp8; M 16, efConstruction 200; truth: file/);
    expect(result.stdout).toMatch(/^32 +[01]\.\d{4}/m);
  });

  it.each([
    [['--ef', '16,zero'], EXIT.usage, /--ef <list>.*comma-separated list of whole numbers/],
    [['--metric', 'hamming'], EXIT.usage, /--metric.*Allowed choices are l2, ip, cos/],
    [['--k', '0'], EXIT.usage, /--k <n>.*whole number from 1 to 10000, got "0"/],
    [['--k', '500'], EXIT.failure, /--k 500 is more than the 400 base vectors/],
  ])('quarry eval ann %s exits %i naming the problem', async (extra, code, message) => {
    const result = await run('eval', 'ann', '--base', file('base.fvecs'), '--queries', file('queries.fvecs'), ...extra);
    expect(result.code).toBe(code);
    expect(result.stderr).toMatch(message);
  });

  it('exits 1 naming a missing or malformed file', async () => {
    const missing = await run('eval', 'ann', '--base', file('nope.fvecs'), '--queries', file('queries.fvecs'));
    expect(missing.code).toBe(EXIT.failure);
    expect(missing.stderr).toMatch(/no such file: .*nope\.fvecs/);
    const ragged = await run('eval', 'ann', '--base', file('ragged.txt'), '--queries', file('queries.fvecs'));
    expect(ragged.code).toBe(EXIT.failure);
    expect(ragged.stderr).toMatch(/ragged\.txt: line 2: 2 values, the first vector has 3/);
  });
});
