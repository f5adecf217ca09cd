// `quarry train rerank` on a small simulated shop: it trains, stores a readable scorer, and an engine serves it.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../engine/index.js';
import { simulateShop } from '../../lab/index.js';
import { decodeListScorer, LIST_SCORER_VERSION } from '../../rerank/index.js';
import { SqliteStore } from '../../store/index.js';
import { EXIT } from '../index.js';
import { runQuarry } from '../testing.js';

let dir: string;
let db: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'quarry-train-rerank-'));
  db = join(dir, 'shop.db');
  const store = await SqliteStore.open({ path: db });
  const { engine } = await simulateShop({ store, world: { seed: 'train-rerank', items: 300, users: 80 }, traffic: { days: 3, sessionsPerDay: 80 } });
  await engine.close();
  await store.close();
}, 120_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('quarry train rerank', () => {
  it('stores the scorer under --name with its format version, and a list-aware reranker naming it serves', async () => {
    const result = await runQuarry('train', 'rerank', '--db', db, '--name', 'my-reranker', '--epochs', '4', '--json');
    expect(result.code).toBe(EXIT.ok);
    const report = JSON.parse(result.stdout) as { name: string; version: number; test: { delta: { mean: number } } };
    expect(report).toMatchObject({ name: 'my-reranker', version: 1 });
    expect(result.stderr).toMatch(/NDCG@10 of clicks, learned \/ pointwise order/);
    const store = await SqliteStore.open({ path: db });
    try {
      const record = await store.getModel('my-reranker');
      expect(record?.formatVersion).toBe(LIST_SCORER_VERSION);
      decodeListScorer(record!.data);
      const engine = await Engine.open({ store, config: { rerank: { rerankers: [{ type: 'list-aware', model: 'my-reranker' }] } } });
      expect(engine.search({ query: '手机', limit: 10 }).items.length).toBeGreaterThan(0);
      await engine.close();
    } finally {
      await store.close();
    }
  }, 120_000);

  it('refuses a database that does not exist', async () => {
    const result = await runQuarry('train', 'rerank', '--db', join(dir, 'absent.db'));
    expect(result.code).not.toBe(EXIT.ok);
  }, 30_000);
});
