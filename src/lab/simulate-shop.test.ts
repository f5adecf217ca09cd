import { describe, expect, it } from 'vitest';
import type { Event } from '../core/index.js';
import { SqliteStore } from '../store/index.js';
import { readSimulationSummary, simulateShop } from './simulate-shop.js';

const SMALL = { world: { seed: 'lab-test', items: 400, users: 80 }, traffic: { days: 2, sessionsPerDay: 60 } };

async function simulate(overrides: Partial<typeof SMALL> = {}) {
  const store = await SqliteStore.open({ path: ':memory:' });
  const { engine, summary } = await simulateShop({ store, ...SMALL, ...overrides, sessionsPerWrite: 7 });
  const events: Event[] = [];
  for await (const event of store.readEvents()) events.push(event);
  return { store, engine, summary, events };
}

describe('simulateShop', () => {
  it('fills the store with the world and a history made against the live engine', async () => {
    const { store, engine, summary, events } = await simulate();
    expect(await store.countItems()).toBe(400);
    expect(await store.countUsers()).toBe(80);
    expect(summary.status).toBe('complete');
    expect(events).toHaveLength(Object.values(summary.events).reduce((a, b) => a + b, 0));
    expect(summary.events.click).toBeGreaterThan(0);
    expect(summary.ctr).toBeGreaterThan(0.005); // the engine's lists are better than random (~0.3%)
    expect(await readSimulationSummary(store)).toEqual(summary);
    // The engine learned every event it was sent.
    expect(engine.status().events.click).toBe(summary.events.click);
    await engine.close();
    await store.close();
  });

  it('is deterministic: the same seed writes the same events, another seed different ones', async () => {
    const a = await simulate();
    const b = await simulate();
    const c = await simulate({ world: { ...SMALL.world, seed: 'other' } });
    expect(JSON.stringify(b.events)).toBe(JSON.stringify(a.events));
    expect(JSON.stringify(c.events)).not.toBe(JSON.stringify(a.events));
    for (const run of [a, b, c]) {
      await run.engine.close();
      await run.store.close();
    }
  });

  it('stops at the next write when its signal is aborted, leaving the summary marked running', async () => {
    const store = await SqliteStore.open({ path: ':memory:' });
    const abort = new AbortController();
    abort.abort();
    await expect(simulateShop({ store, ...SMALL, signal: abort.signal })).rejects.toThrow(/simulation stopped after 100 of/);
    expect((await readSimulationSummary(store))?.status).toBe('running');
    await store.close();
  });
});
