// `quarry eval rerank` on tiny simulated shops: the table, JSON output, the chart and exit codes.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../index.js';
import type { RerankEvalReport } from '../../lab/rerank-eval.js';
import { runQuarry } from '../testing.js';

let dir: string;
const TINY = ['--seeds', '2', '--items', '300', '--days', '2', '--sessions-per-day', '60', '--queries', '40'];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'quarry-eval-rerank-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const run = runQuarry;

describe('quarry eval rerank', () => {
  it('prints one row per chain with every metric and its interval', async () => {
    const result = await run('eval', 'rerank', ...TINY, '--chain', 'noop', '--chain', 'mmr:0.3');
    expect(result.code).toBe(EXIT.ok);
    expect(result.stdout).toMatch(/chain\s+ndcg_at_10\s+alpha_ndcg_at_10\s+ild\s+coverage\s+gini\s+new_item_share\s+ctr\s+revenue/);
    expect(result.stdout).toMatch(/^noop\s+\d\.\d{4} \[/m);
    expect(result.stdout).toMatch(/^mmr:0\.3\s/m);
  }, 120_000);

  it('prints JSON with each chain\'s metrics as {mean, low, high} and writes an HTML chart with inline SVG', async () => {
    const chainFile = join(dir, 'diverse.json');
    await writeFile(chainFile, JSON.stringify([{ type: 'scatter' }, { type: 'mmr', lambda: 0.5 }]));
    const chart = join(dir, 'chart.html');
    const result = await run('eval', 'rerank', ...TINY, '--chain', 'noop', '--chain', chainFile, '--chart', chart, '--json');
    expect(result.code).toBe(EXIT.ok);
    const report = JSON.parse(result.stdout) as RerankEvalReport;
    expect(report.results.map((r) => r.chain)).toEqual(['noop', 'diverse']);
    for (const key of ['alpha_ndcg_at_10', 'ild', 'coverage', 'ctr', 'revenue', 'ndcg_at_10'] as const) {
      expect(Object.keys(report.results[1]![key]).sort()).toEqual(['high', 'low', 'mean']);
    }
    const html = await readFile(chart, 'utf8');
    expect(html).toContain('<svg');
    expect(html).toContain('diverse');
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/); // self-contained: no scripts, no fetched resources
  }, 120_000);

  it('exits 2 naming an unknown preset or a bad spec in a chain file', async () => {
    const preset = await run('eval', 'rerank', '--chain', 'shuffle');
    expect(preset.code).toBe(EXIT.usage);
    expect(preset.stderr).toMatch(/unknown reranker chain "shuffle"/);
    const bad = join(dir, 'bad.json');
    await writeFile(bad, JSON.stringify([{ type: 'scatter', rules: [{ attribute: 'brand', window: 2, max: 3 }] }]));
    const file = await run('eval', 'rerank', '--chain', bad);
    expect(file.code).toBe(EXIT.usage);
    expect(file.stderr).toMatch(/bad\.json: .*window/);
  });
});
