import { describe, expect, it } from 'vitest';
import { FailedPreconditionError } from '../core/index.js';
import { Engine } from '../engine/index.js';
import { decodeRankingModel, encodeRankingModel, RANKING_MODEL_FORMAT_VERSION, RANKING_MODEL_NAME } from '../rank/index.js';
import { SqliteStore } from '../store/index.js';
import { trainRankingModel } from './ctr-training.js';
import { simulateShop } from './simulate-shop.js';

async function simulatedStore() {
  const store = await SqliteStore.open({ path: ':memory:' });
  const { engine } = await simulateShop({ store, world: { seed: 'ctr-test', items: 400, users: 120 }, traffic: { days: 3, sessionsPerDay: 120 } });
  await engine.close();
  return store;
}

const store = await simulatedStore();
const config = { model: { kind: 'fm' as const, config: { k: 4 } }, cvrModel: { kind: 'lr' as const }, epochs: 3, importanceRows: 2_000 };
const progress = new Map<string, { done: number; total: number }[]>();
const { model, report } = await trainRankingModel({
  store,
  config,
  onProgress: ({ phase, done, total }) => progress.set(phase, [...(progress.get(phase) ?? []), { done, total }]),
});

describe('trainRankingModel', () => {
  it('reports progress that never passes its total, in every phase', () => {
    expect([...progress.keys()]).toEqual(expect.arrayContaining(['samples', 'features', 'ctr', 'report']));
    for (const [phase, steps] of progress) {
      for (const { done, total } of steps) expect(done, phase).toBeLessThanOrEqual(total);
      expect(steps.at(-1)!.done, phase).toBeGreaterThan(0);
    }
  });

  it('learns clicks better than chance and reports test metrics, cleaning, relevance and importance', () => {
    expect(report.ctr.test.auc).toBeGreaterThan(0.6);
    expect(report.ctr.test.calibrationRatio).toBeGreaterThan(0.7);
    expect(report.ctr.test.calibrationRatio).toBeLessThan(1.3);
    expect(report.ctr.rows.train).toBeGreaterThan(report.ctr.rows.test);
    expect(report.cleaning.find((c) => c.name === 'position')?.missingRate).toBe(0);
    // Position bias and the logged recall score are the strongest signals in the simulated shop.
    expect(['position', 'recall_score', 'surface_x_recall_score']).toContain(report.importance[0]?.field);
    expect(report.relevance.map((r) => r.field)).toContain('item_coec');
  });

  it('is deterministic for a seed', async () => {
    const again = await trainRankingModel({ store, config });
    expect(again.report.ctr.test).toEqual(report.ctr.test);
  });

  it('round-trips through the model file, predicting the same', () => {
    const decoded = decodeRankingModel(encodeRankingModel(model));
    const row = model.featurizer.transform({ position: 1, brand: 'x' });
    const batch = { size: 1, offsets: Int32Array.from([0, row.indices.length]), indices: Int32Array.from(row.indices), fields: Int32Array.from(row.fields), values: Float32Array.from(row.values), labels: new Float32Array(1), nFeatures: model.featurizer.featureCount, nFields: model.featurizer.fieldCount };
    expect(decoded.ctr.model.predict(batch, 0)).toBe(model.ctr.model.predict(batch, 0));
    expect(decoded.metadata).toEqual(model.metadata);
  });
});

describe('the engine with a trained ranking model', () => {
  it('refuses `ctr` without a model, and serves popularity under `auto` until there is one', async () => {
    await expect(Engine.open({ store, config: { rank: { ranker: 'ctr' } } })).rejects.toThrow(FailedPreconditionError);
    const engine = await Engine.open({ store });
    expect(engine.status().ranker).toEqual({ name: 'popularity' });
    await engine.close();
  });

  it('ranks by the learned model once stored, explaining pCTR and pCVR, and keeps ads only when they win', async () => {
    await store.putModel({ name: RANKING_MODEL_NAME, formatVersion: RANKING_MODEL_FORMAT_VERSION, data: encodeRankingModel(model) });
    const engine = await Engine.open({ store });
    expect(engine.status().ranker).toEqual({ name: 'ctr', modelVersion: 1 });
    const page = engine.recommend({ userId: 'u00001', limit: 20, explain: true, time: Date.parse('2026-10-04T12:00:00Z') });
    expect(page.items.length).toBe(20);
    const first = page.items[0]?.explain?.rank;
    expect(first?.label).toMatch(/pCTR\^a/);
    expect(first?.children?.map((c) => c.label.split(' ')[0])).toEqual(model.cvr === undefined ? ['pCTR', 'recall'] : ['pCTR', 'pCVR', 'recall']);
    const scores = page.items.map((i) => i.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    // Every ad shown won the auction: it carries its price, never above its bid.
    for (const item of page.items.filter((i) => i.kind === 'ad')) {
      expect(item.ad?.cpc).toBeLessThanOrEqual(item.bid as number);
    }
    await engine.close();
  });

  it('keeps the popularity order on the surfaces `rank.ctr.surfaces` leaves out (similar items by default), and ranks the others by the model', async () => {
    const time = Date.parse('2026-10-04T12:00:00Z');
    const request = { userId: 'u00001', limit: 20, time, explain: true };
    const popularity = await Engine.open({ store, config: { rank: { ranker: 'popularity' } } });
    const learned = await Engine.open({ store, config: { rank: { ranker: 'ctr' } } });
    const everywhere = await Engine.open({ store, config: { rank: { ranker: 'ctr', ctr: { surfaces: ['search', 'recommend', 'similar'] } } } });
    const seed = popularity.recommend(request).items[0]?.id as string;
    const similar = (engine: Engine) => engine.recommend({ ...request, itemId: seed }).items;
    expect(similar(learned).map((i) => i.id)).toEqual(similar(popularity).map((i) => i.id));
    expect(similar(learned)[0]?.explain?.rank?.label).toBe('sum of');
    expect(learned.recommend(request).items[0]?.explain?.rank?.label).toMatch(/pCTR\^a/);
    expect(similar(everywhere)[0]?.explain?.rank?.label).toMatch(/pCTR\^a/);
    for (const engine of [popularity, learned, everywhere]) await engine.close();
  });
});
