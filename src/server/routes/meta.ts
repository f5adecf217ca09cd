import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { Engine } from '../../engine/index.js';
import type { QuarryServer } from '../app.js';

const PAGE_FILES = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/app.js': { file: 'app.js', type: 'text/javascript; charset=utf-8' },
  '/style.css': { file: 'style.css', type: 'text/css; charset=utf-8' },
} as const;

const HealthSchema = z.object({
  status: z.literal('ok'),
  version: z.string(),
  uptimeS: z.number(),
  items: z.int(),
  users: z.int(),
  events: z.record(z.string(), z.int()),
  suggestableQueries: z.int(),
  /** The ranker serving (`ctr` when a trained ranking model is loaded) and its model version. */
  ranker: z.object({ name: z.enum(['popularity', 'ctr']), modelVersion: z.int().optional() }),
  /**
   * The vectors behind the vector channels: `source` `bpr` (trained embeddings) or `imported:<name>`
   * (`quarry vectors import`), their registry version, the items indexed; absent without any.
   */
  embeddings: z.object({ source: z.string(), modelVersion: z.int(), items: z.int() }).optional(),
  /** Served-list events (`log`) queued, written, dropped because the queue was full, failed flushes. */
  eventLog: z.object({ pending: z.int(), written: z.int(), duplicates: z.int(), dropped: z.int(), failedFlushes: z.int() }),
});

/** `/health`, `/openapi.json` and the page. */
export function registerMetaRoutes(app: QuarryServer, options: { engine: Engine; version: string }): void {
  const started = Date.now();
  app.get('/health', {
    schema: { tags: ['meta'], summary: 'Liveness and what is loaded', response: { 200: HealthSchema } },
    handler: () => {
      const status = options.engine.status();
      return {
        status: 'ok' as const,
        version: options.version,
        uptimeS: Math.round((Date.now() - started) / 1000),
        items: status.items,
        users: status.users,
        events: status.events,
        suggestableQueries: status.suggestableQueries,
        ranker: status.ranker,
        ...(status.embeddings ? { embeddings: status.embeddings } : {}),
        eventLog: status.eventLog,
      };
    },
  });
  app.get('/openapi.json', { schema: { hide: true } }, () => app.swagger());

  for (const [url, { file, type }] of Object.entries(PAGE_FILES)) {
    const body = readFileSync(new URL(`../page/${file}`, import.meta.url));
    app.get(url, { schema: { hide: true } }, (_request, reply) => reply.type(type).send(body));
  }
}
