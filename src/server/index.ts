// server/: the HTTP face (Fastify). Translates requests to engine calls; no logic of its own.
export { buildServer, DEFAULT_BODY_LIMIT, type QuarryServer, type ServerOptions } from './app.js';
export { HTTP_STATUS, toHttpError } from './errors.js';
export { serve, type RunningServer, type ServeOptions } from './serve.js';
