import { once } from 'node:events';
import type { Engine, EngineStatus } from '../../engine/index.js';
import { serve, type RunningServer } from '../../server/index.js';
import type { Store } from '../../store/index.js';
import type { Terminal } from '../terminal.js';
import { QUARRY_VERSION } from '../version.js';

export interface ServeFlags {
  db: string;
  port: number;
  host: string;
  config?: string;
  verbose?: boolean;
}

/**
 * Serves an open engine until `signal` aborts (the CLI aborts it on SIGINT/SIGTERM), then shuts down
 * gracefully: requests in flight finish, pending event writes are flushed, the store is closed.
 * Resolves once shut down.
 */
export async function serveUntilStopped(
  terminal: Terminal,
  running: { engine: Engine; store: Store; flags: ServeFlags; signal: AbortSignal; onListening?: (server: RunningServer) => void },
): Promise<void> {
  const { engine, store, flags } = running;
  let server: RunningServer;
  try {
    server = await serve({ engine, store, host: flags.host, port: flags.port, logger: flags.verbose ?? false, version: QUARRY_VERSION });
  } catch (error) {
    // Could not listen (the port is taken, say): release what was opened for serving.
    await engine.close();
    await store.close();
    throw error;
  }
  describeLoaded(terminal, engine.status(), flags.db);
  terminal.out(`Quarry is serving on ${server.url}`);
  terminal.info(`  open ${server.url}/ in a browser, or call the API (${server.url}/openapi.json). Ctrl-C stops.`);
  running.onListening?.(server);
  if (!running.signal.aborted) await once(running.signal, 'abort');
  terminal.info(`${String(running.signal.reason ?? 'stop')}: shutting down (finishing requests, writing pending events)…`);
  await server.close();
  terminal.info('stopped.');
}

export function describeLoaded(terminal: Terminal, status: EngineStatus, db: string): void {
  const events = Object.entries(status.events)
    .filter(([, n]) => n > 0)
    .map(([type, n]) => `${n.toLocaleString('en-US')} ${type}`)
    .join(', ');
  terminal.info(`Loaded ${db} in ${status.loadMs} ms:`);
  terminal.info(`  ${status.items.toLocaleString('en-US')} items, ${status.users.toLocaleString('en-US')} users`);
  terminal.info(`  events learned from: ${events === '' ? 'none yet' : events}`);
  terminal.info(`  ${status.suggestableQueries.toLocaleString('en-US')} queries available as suggestions`);
  const { ranker } = status;
  terminal.info(
    ranker.name === 'ctr'
      ? `  ranking: learned CTR/CVR model (version ${ranker.modelVersion ?? '?'})`
      : '  ranking: popularity (no trained ranking model yet: `quarry train ctr`)',
  );
  terminal.info(
    status.embeddings === undefined
      ? '  vector recall: off (no embeddings model yet: `quarry train embeddings`)'
      : `  vector recall: ${vectorsLabel(status.embeddings)}, ${status.embeddings.items.toLocaleString('en-US')} items in HNSW`,
  );
  if (status.items === 0) terminal.info('  the catalog is empty: POST /items, `quarry ingest items FILE`, or `quarry simulate`');
}

function vectorsLabel(embeddings: { source: string; modelVersion: number }): string {
  const { source, modelVersion } = embeddings;
  return source === 'bpr' ? `BPR embeddings version ${modelVersion}` : `imported vector set "${source.slice('imported:'.length)}" version ${modelVersion}`;
}
