import { z } from 'zod';
import { ItemSchema, NotFoundError } from '../../core/index.js';
import type { Engine } from '../../engine/index.js';
import type { QuarryServer } from '../app.js';
import {
  AppendResponseSchema,
  ErrorBodySchema,
  EventsBodySchema,
  ItemIdParamsSchema,
  ItemsBodySchema,
  UpsertResponseSchema,
  UsersBodySchema,
} from '../http-schemas.js';

const errors = { 400: ErrorBodySchema, 413: ErrorBodySchema };

/**
 * Writes: items, users, events. Each batch is validated whole before anything is written (a bad
 * record rejects the batch with 400 naming it) and written in one transaction; the answer comes after
 * the write, so an accepted batch is never lost.
 */
export function registerDataRoutes(app: QuarryServer, engine: Engine): void {
  app.post('/items', {
    schema: { tags: ['data'], summary: 'Insert or replace items (batch)', body: ItemsBodySchema, response: { 200: UpsertResponseSchema, ...errors } },
    handler: (request) => engine.upsertItems(request.body.items),
  });
  app.get('/items/:id', {
    schema: { tags: ['data'], summary: 'An item as it is served', params: ItemIdParamsSchema, response: { 200: ItemSchema, 404: ErrorBodySchema } },
    handler: (request) => engine.getItem(request.params.id),
  });
  app.delete('/items/:id', {
    schema: {
      tags: ['data'],
      summary: 'Delete an item',
      params: ItemIdParamsSchema,
      response: { 200: z.object({ deleted: z.literal(true) }), 404: ErrorBodySchema },
    },
    handler: async (request) => {
      const deleted = await engine.deleteItem(request.params.id);
      if (!deleted) throw new NotFoundError(`item "${request.params.id}" does not exist`, { issues: [{ path: ['id'], message: 'no such item' }] });
      return { deleted: true as const };
    },
  });
  app.post('/users', {
    schema: { tags: ['data'], summary: 'Insert or replace users (batch)', body: UsersBodySchema, response: { 200: UpsertResponseSchema, ...errors } },
    handler: (request) => engine.upsertUsers(request.body.users),
  });
  app.post('/events', {
    schema: {
      tags: ['data'],
      summary: 'Append events (batch; idempotent by eventId)',
      body: EventsBodySchema,
      response: { 200: AppendResponseSchema, ...errors },
    },
    handler: (request) => engine.appendEvents(request.body.events),
  });
}
