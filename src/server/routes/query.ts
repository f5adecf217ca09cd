import type { Engine } from '../../engine/index.js';
import type { QuarryServer } from '../app.js';
import {
  ErrorBodySchema,
  RecommendQuerySchema,
  RecommendResponseSchema,
  SearchQuerySchema,
  SearchResponseSchema,
  SuggestQuerySchema,
  SuggestResponseSchema,
  filtersFromParams,
  GuessQuerySchema,
  GuessResponseSchema,
  HintQuerySchema,
  HintResponseSchema,
  RelatedQuerySchema,
  RelatedResponseSchema,
} from '../http-schemas.js';
import { RecommendRequestSchema, SearchRequestSchema, SuggestRequestSchema } from '../../core/index.js';

const errors = { 400: ErrorBodySchema, 404: ErrorBodySchema };

/** Served lists are logged by default over HTTP: they are the impressions the models learn from. */
const LOG_BY_DEFAULT = true;

/** `/search`, `/recommend`, `/suggest`: each as GET (short, flat form) and POST (JSON body). */
export function registerQueryRoutes(app: QuarryServer, engine: Engine): void {
  app.get('/search', {
    schema: { tags: ['query'], summary: 'Search (short form)', querystring: SearchQuerySchema, response: { 200: SearchResponseSchema, ...errors } },
    handler: (request) => {
      const q = request.query;
      return engine.search({
        query: q.q,
        ...(q.source === undefined ? {} : { source: q.source }),
        ...common(q),
        filters: filtersFromParams(q),
      });
    },
  });
  app.post('/search', {
    schema: { tags: ['query'], summary: 'Search', body: SearchRequestSchema, response: { 200: SearchResponseSchema, ...errors } },
    handler: (request) => engine.search({ ...request.body, log: request.body.log ?? LOG_BY_DEFAULT }),
  });

  app.get('/recommend', {
    schema: {
      tags: ['query'],
      summary: 'Recommendations for a user, or items similar to `item` (short form)',
      querystring: RecommendQuerySchema,
      response: { 200: RecommendResponseSchema, ...errors },
    },
    handler: (request) => {
      const q = request.query;
      return engine.recommend({ ...(q.item === undefined ? {} : { itemId: q.item }), ...common(q), filters: filtersFromParams(q) });
    },
  });
  app.post('/recommend', {
    schema: { tags: ['query'], summary: 'Recommendations', body: RecommendRequestSchema, response: { 200: RecommendResponseSchema, ...errors } },
    handler: (request) => engine.recommend({ ...request.body, log: request.body.log ?? LOG_BY_DEFAULT }),
  });

  app.get('/suggest', {
    schema: { tags: ['query'], summary: 'Query suggestions while typing (short form)', querystring: SuggestQuerySchema, response: { 200: SuggestResponseSchema, ...errors } },
    handler: (request) => {
      const q = request.query;
      return engine.suggest({
        prefix: q.q,
        ...(q.user === undefined ? {} : { userId: q.user }),
        ...(q.limit === undefined ? {} : { limit: q.limit }),
        ...(q.requestId === undefined ? {} : { requestId: q.requestId }),
        ...(q.explain === undefined ? {} : { explain: q.explain }),
      });
    },
  });
  app.post('/suggest', {
    schema: { tags: ['query'], summary: 'Query suggestions while typing', body: SuggestRequestSchema, response: { 200: SuggestResponseSchema, ...errors } },
    handler: (request) => engine.suggest(request.body),
  });
  registerQueryRecommendationRoutes(app, engine);
}

/** `/hint`, `/guess`, `/related`: query recommendations before typing and after a search (GET only). */
function registerQueryRecommendationRoutes(app: QuarryServer, engine: Engine): void {
  app.get('/hint', {
    schema: { tags: ['query'], summary: 'The hint word for a user\'s empty search box', querystring: HintQuerySchema, response: { 200: HintResponseSchema, ...errors } },
    handler: (request) => {
      const q = request.query;
      return engine.hint({ userId: q.user, ...(q.requestId === undefined ? {} : { requestId: q.requestId }) });
    },
  });
  app.get('/guess', {
    schema: { tags: ['query'], summary: '"Guess what you want to search" chips', querystring: GuessQuerySchema, response: { 200: GuessResponseSchema, ...errors } },
    handler: (request) => {
      const q = request.query;
      return engine.guess({
        ...(q.user === undefined ? {} : { userId: q.user }),
        ...(q.limit === undefined ? {} : { limit: q.limit }),
        ...(q.requestId === undefined ? {} : { requestId: q.requestId }),
      });
    },
  });
  app.get('/related', {
    schema: { tags: ['query'], summary: 'Related searches of a query, or click-back queries of an item', querystring: RelatedQuerySchema, response: { 200: RelatedResponseSchema, ...errors } },
    handler: (request) => {
      const q = request.query;
      return engine.related({
        ...(q.q === undefined ? {} : { query: q.q }),
        ...(q.item === undefined ? {} : { itemId: q.item }),
        ...(q.user === undefined ? {} : { userId: q.user }),
        ...(q.limit === undefined ? {} : { limit: q.limit }),
        ...(q.requestId === undefined ? {} : { requestId: q.requestId }),
      });
    },
  });
}

/** The GET parameters every list request shares → their request-body names. */
function common(q: {
  user?: string | undefined;
  limit?: number | undefined;
  offset?: number | undefined;
  explain?: boolean | undefined;
  requestId?: string | undefined;
  session?: string | undefined;
  log?: boolean | undefined;
}) {
  return {
    ...(q.user === undefined ? {} : { userId: q.user }),
    ...(q.limit === undefined ? {} : { limit: q.limit }),
    ...(q.offset === undefined ? {} : { offset: q.offset }),
    ...(q.explain === undefined ? {} : { explain: q.explain }),
    ...(q.requestId === undefined ? {} : { requestId: q.requestId }),
    ...(q.session === undefined ? {} : { sessionId: q.session }),
    log: q.log ?? LOG_BY_DEFAULT,
  };
}
