import { UnavailableError } from '../core/index.js';
import type { Engine } from '../engine/index.js';
import type { Store } from '../store/index.js';
import { buildServer, type QuarryServer, type ServerOptions } from './app.js';

export interface ServeOptions extends ServerOptions {
  store: Store;
  /** Default 127.0.0.1; 0.0.0.0 to listen on every interface. */
  host?: string;
  /** Default 7700; 0 picks a free port. */
  port?: number;
}

export interface RunningServer {
  app: QuarryServer;
  url: string;
  port: number;
  /**
   * Graceful shutdown: stop accepting connections and wait for requests in flight, then write the
   * engine's pending events, then close the store. Safe to call more than once.
   */
  close(): Promise<void>;
}

/**
 * Starts the HTTP server for an engine and its store.
 * @throws UnavailableError when the address cannot be listened on (in use, not permitted).
 */
export async function serve(options: ServeOptions): Promise<RunningServer> {
  const app = await buildServer(options);
  const host = options.host ?? '127.0.0.1';
  try {
    await app.listen({ host, port: options.port ?? 7700 });
  } catch (error) {
    await app.close();
    throw new UnavailableError(`cannot listen on ${host}:${options.port ?? 7700}: ${(error as Error).message}`, { cause: error });
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : (options.port ?? 7700);
  const shownHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
  let closing: Promise<void> | undefined;
  return {
    app,
    url: `http://${shownHost}:${port}`,
    port,
    close: () => (closing ??= shutDown(app, options.engine, options.store)),
  };
}

async function shutDown(app: QuarryServer, engine: Engine, store: Store): Promise<void> {
  await app.close();
  try {
    await engine.close();
  } finally {
    await store.close();
  }
}
