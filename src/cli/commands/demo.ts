import { Engine } from '../../engine/index.js';
import { readSimulationSummary } from '../../lab/index.js';
import type { RunningServer } from '../../server/index.js';
import { SqliteStore } from '../../store/index.js';
import { backgroundErrorReporter, type Progress, type Terminal } from '../terminal.js';
import { serveUntilStopped, type ServeFlags } from './serve.js';
import { runSimulation, type WorldFlags } from './simulate.js';

/**
 * `quarry demo` (what `npm start` runs): simulate a shop if the store is empty, load it, serve it.
 * `quarry serve` is the same without the simulation.
 */
export async function demoCommand(
  terminal: Terminal,
  run: {
    serve: ServeFlags;
    world: WorldFlags | undefined;
    engineConfig: unknown;
    signal: AbortSignal;
    onListening?: (server: RunningServer) => void;
  },
): Promise<void> {
  const store = await SqliteStore.open({ path: run.serve.db });
  let engine: Engine;
  try {
    if (run.world !== undefined && (await store.countItems()) === 0) {
      terminal.info(`${run.serve.db} is empty.`);
      engine = (await runSimulation(terminal, { store, flags: run.world, engineConfig: run.engineConfig, signal: run.signal })).engine;
    } else {
      if ((await readSimulationSummary(store))?.status === 'running') {
        terminal.info(`warning: the simulation that filled ${run.serve.db} was interrupted; its history is partial (quarry simulate --force redoes it)`);
      }
      engine = await loadEngine(terminal, { store, engineConfig: run.engineConfig, signal: run.signal });
    }
  } catch (error) {
    await store.close();
    throw error;
  }
  await serveUntilStopped(terminal, { engine, store, flags: run.serve, signal: run.signal, ...(run.onListening ? { onListening: run.onListening } : {}) });
}

async function loadEngine(
  terminal: Terminal,
  run: { store: SqliteStore; engineConfig: unknown; signal: AbortSignal },
): Promise<Engine> {
  const bars: Partial<Record<'items' | 'events', Progress>> = {};
  const engine = await Engine.open({
    store: run.store,
    config: run.engineConfig,
    signal: run.signal,
    onBackgroundError: backgroundErrorReporter(terminal),
    onProgress: ({ phase, done, total }) => {
      if (total < 20_000 && bars[phase] === undefined) return;
      (bars[phase] ??= terminal.progress(phase, total)).update(done, total);
    },
  });
  for (const bar of Object.values(bars)) bar.stop();
  return engine;
}
