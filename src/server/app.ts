import fastifySwagger from '@fastify/swagger';
import Fastify, { type FastifyReply } from 'fastify';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { Engine } from '../engine/index.js';
import { QuarryError, RECORD_LIMITS } from '../core/index.js';
import { toHttpError } from './errors.js';
import { registerDataRoutes } from './routes/data.js';
import { registerMetaRoutes } from './routes/meta.js';
import { registerQueryRoutes } from './routes/query.js';

export interface ServerOptions {
  engine: Engine;
  /** Largest request body in bytes (default 16 MiB); larger gets 413. */
  bodyLimit?: number;
  /** Fastify's logger (pino) on or off (default off). */
  logger?: boolean;
  /** The version reported by `/health` and `/openapi.json`. */
  version?: string;
}

export const DEFAULT_BODY_LIMIT = 16 * 1024 * 1024;

function createFastify(options: ServerOptions) {
  return Fastify({
    logger: options.logger ?? false,
    bodyLimit: options.bodyLimit ?? DEFAULT_BODY_LIMIT,
    // An id may be 256 characters, each up to 12 once percent-encoded (a 4-byte UTF-8 character).
    routerOptions: { maxParamLength: RECORD_LIMITS.idLength * 12 },
    // While closing, answer new requests with 503 instead of leaving them hanging.
    return503OnClosing: true,
    // Errors raised before routing (a bad URL) get the same JSON error body as the rest.
    frameworkErrors: (raw, _request, reply: FastifyReply) => {
      sendError(reply, raw);
    },
  }).withTypeProvider<ZodTypeProvider>();
}

export type QuarryServer = ReturnType<typeof createFastify>;

/** Sends the JSON error body for anything thrown; returns the status sent. */
function sendError(reply: FastifyReply, raw: unknown): number {
  const { status, error } = toHttpError(raw);
  void reply.status(status).send({ error: error.toJSON() });
  return status;
}

/**
 * The HTTP face of an engine. It only translates: request → engine call → JSON. Errors leave as
 * `{ "error": { code, message, field?, issues? } }` with the status `errors.ts` maps the code to.
 */
export async function buildServer(options: ServerOptions): Promise<QuarryServer> {
  const app = createFastify(options);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  app.setErrorHandler((raw, request, reply) => {
    if (sendError(reply, raw) >= 500) request.log.error({ err: raw }, 'request failed');
  });
  app.setNotFoundHandler((request, reply) => {
    const error = new QuarryError('NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0] ?? ''}`);
    void reply.status(404).send({ error: error.toJSON() });
  });

  const version = options.version ?? '0.0.0';
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Quarry',
        description: 'Search, suggestions and recommendations, with the events that train them.',
        version,
      },
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  registerMetaRoutes(app, { engine: options.engine, version });
  registerDataRoutes(app, options.engine);
  registerQueryRoutes(app, options.engine);
  await app.ready();
  return app;
}
