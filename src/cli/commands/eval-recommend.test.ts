// `quarry eval recommend` on a tiny generated RecBole folder: the report, JSON output and exit codes.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../core/index.js';
import { EXIT } from '../index.js';
import type { EvalRecommendReport } from './eval-recommend.js';
import { runQuarry } from '../testing.js';

let dir: string;
let data: string;

/** 60 users in 3 taste groups over 45 items, 12 ratings each, as a RecBole atomic folder. */
async function tinyDataset(folder: string): Promise<void> {
  await mkdir(folder);
  const rng = new Rng('tiny');
  const lines = ['user_id:token\titem_id:token\trating:float\ttimestamp:float'];
  for (let u = 0; u < 60; u++) {
    const own = Array.from({ length: 15 }, (_, n) => (u % 3) + 3 * n);
    for (const item of rng.sample(own, 12)) lines.push(`${u + 1}\t${item + 100}\t${rng.intBetween(1, 5)}\t${880000000 + rng.int(1000)}`);
  }
  await writeFile(join(folder, 'tiny.inter'), `${lines.join('\n')}\n`);
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'quarry-eval-recommend-'));
  data = join(dir, 'tiny');
  await tinyDataset(data);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const run = runQuarry;

describe('quarry eval recommend', () => {
  it('prints both models\' test metrics, BPR ahead of the popularity baseline on grouped tastes', async () => {
    const result = await run('eval', 'recommend', '--data', data, '--dim', '8', '--epochs', '100', '--patience', '20', '--seed', '7');
    expect(result.code).toBe(EXIT.ok);
    expect(result.stdout).toMatch(/model\s+recall@10\s+mrr@10\s+ndcg@10\s+hit@10\s+precision@10\s+train_s\s+epochs/);
    expect(result.stdout).toMatch(/^popular\s/m);
    expect(result.stdout).toMatch(/^bpr\s/m);
    expect(result.stderr).toContain('720 interactions, 60 users, 45 items');
  });

  it('prints one JSON report with --json: the split sizes, the options used and each model\'s metrics', async () => {
    const result = await run('eval', 'recommend', '--data', data, '--dim', '8', '--epochs', '100', '--patience', '20', '--k', '5', '--json');
    expect(result.code).toBe(EXIT.ok);
    const report = JSON.parse(result.stdout) as EvalRecommendReport;
    expect(report.split).toMatchObject({ train: 600, valid: 60, test: 60, seed: '2020' }); // 12 each: 10 / 1 / 1
    expect(report.bpr).toMatchObject({ dim: 8, epochs: 100, patience: 20 });
    const [popular, bpr] = report.results;
    expect([popular?.model, bpr?.model, bpr?.test.k]).toEqual(['popular', 'bpr', 5]);
    expect(bpr!.test.ndcg).toBeGreaterThan(popular!.test.ndcg);
  });

  it('measures only the baseline with --model popular', async () => {
    const result = await run('eval', 'recommend', '--data', data, '--model', 'popular', '--json');
    expect((JSON.parse(result.stdout) as EvalRecommendReport).results.map((r) => r.model)).toEqual(['popular']);
  });

  it('exits 1 naming a data folder that does not exist, and 2 on a bad option value', async () => {
    const missing = await run('eval', 'recommend', '--data', join(dir, 'nope'));
    expect(missing.code).toBe(EXIT.failure);
    expect(missing.stderr).toMatch(/no such file or folder: .*nope/);
    const bad = await run('eval', 'recommend', '--data', data, '--lr', 'fast');
    expect(bad.code).toBe(EXIT.usage);
    expect(bad.stderr).toMatch(/must be a number > 0, got "fast"/);
    const model = await run('eval', 'recommend', '--data', data, '--model', 'svd');
    expect(model.code).toBe(EXIT.usage);
    expect(model.stderr).toMatch(/must be one of bpr, popular, got "svd"/);
  });
});
