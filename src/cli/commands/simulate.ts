import { rm } from 'node:fs/promises';
import { simulateShop, type SimulationSummary } from '../../lab/index.js';
import { LIST_EFFECTS } from '../../sim/index.js';
import type { Engine } from '../../engine/index.js';
import type { Store } from '../../store/index.js';
import { SqliteStore } from '../../store/index.js';
import { backgroundErrorReporter, type Progress, type Terminal } from '../terminal.js';
import { UsageError } from '../options.js';

export interface WorldFlags {
  seed: string;
  items: number;
  users: number;
  days: number;
  sessionsPerDay: number;
  /** The click model's redundancy (its one list effect) on: `LIST_EFFECTS`. */
  listEffects?: boolean;
}

/** Runs a simulation into an (empty) store, with progress bars; returns the engine it built. */
export async function runSimulation(
  terminal: Terminal,
  run: { store: Store; flags: WorldFlags; engineConfig: unknown; signal: AbortSignal },
): Promise<{ engine: Engine; summary: SimulationSummary }> {
  const { flags } = run;
  terminal.info(
    `Simulating a shop: ${flags.items} items, ${flags.users} users, ${flags.days} days x ${flags.sessionsPerDay} sessions (seed ${flags.seed})`,
  );
  const bars: Partial<Record<'catalog' | 'traffic', Progress>> = {};
  const start = performance.now();
  const { engine, summary } = await simulateShop({
    store: run.store,
    world: { seed: flags.seed, items: flags.items, users: flags.users },
    traffic: {
      days: flags.days,
      sessionsPerDay: flags.sessionsPerDay,
      ...(flags.listEffects === true ? { clickModel: LIST_EFFECTS } : {}),
    },
    engineConfig: run.engineConfig,
    signal: run.signal,
    onBackgroundError: backgroundErrorReporter(terminal),
    onProgress: ({ phase, done, total }) => {
      (bars[phase] ??= terminal.progress(phase, total)).update(done, total);
      if (done >= total) bars[phase]?.stop();
    },
  });
  for (const bar of Object.values(bars)) bar.stop();
  const seconds = ((performance.now() - start) / 1000).toFixed(1);
  terminal.info(
    `Simulated ${summary.sessions} sessions in ${seconds} s: ${summary.events.query} queries, ${summary.events.impression} lists shown, ` +
      `${summary.events.click} clicks, ${summary.events.purchase} purchases (CTR ${(summary.ctr * 100).toFixed(2)}%, CVR ${(summary.cvr * 100).toFixed(2)}%)`,
  );
  return { engine, summary };
}

/** `quarry simulate`: a new store filled by the simulator. */
export async function simulateCommand(
  terminal: Terminal,
  run: { db: string; force: boolean; json: boolean; flags: WorldFlags; engineConfig: unknown; signal: AbortSignal },
): Promise<void> {
  if (run.force) await removeDatabase(run.db);
  const store = await SqliteStore.open({ path: run.db });
  try {
    const existing = await store.countItems();
    if (existing > 0) {
      throw new UsageError(`${run.db} already holds ${existing} items; pass --force to replace it, or choose another --db`);
    }
    const { engine, summary } = await runSimulation(terminal, { store, flags: run.flags, engineConfig: run.engineConfig, signal: run.signal });
    await engine.close();
    if (run.json) terminal.out(JSON.stringify(summary));
    else terminal.info(`Wrote ${run.db}`);
  } finally {
    await store.close();
  }
}

async function removeDatabase(path: string): Promise<void> {
  if (path === ':memory:') return;
  await Promise.all(['', '-wal', '-shm'].map((suffix) => rm(`${path}${suffix}`, { force: true })));
}
