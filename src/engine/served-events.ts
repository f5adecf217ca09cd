import type { Event, QuerySource, Surface } from '../core/index.js';
import type { ListResponse } from './responses.js';

/** Who served requests without a user are logged as. */
export const ANONYMOUS_USER = 'anonymous';

/**
 * The events a served list leaves in the log: the query (search only) and the impression of the page
 * shown. Event ids derive from the request id, so logging the same request twice stores it once.
 */
export function servedEvents(served: {
  surface: Surface;
  request: { query?: string; source?: QuerySource | undefined; userId?: string | undefined; sessionId?: string | undefined; itemId?: string | undefined };
  response: ListResponse;
  time: number;
}): Event[] {
  const { surface, request, response, time } = served;
  const base = {
    userId: request.userId ?? ANONYMOUS_USER,
    time,
    requestId: response.requestId,
    ...(request.sessionId === undefined ? {} : { sessionId: request.sessionId }),
  };
  const events: Event[] = [];
  const query = request.query?.trim() ?? '';
  if (surface === 'search' && query !== '') {
    events.push({ ...base, eventId: `${response.requestId}:query`, type: 'query', query, source: request.source ?? 'typed', resultCount: response.total });
  }
  if (response.items.length > 0) {
    events.push({
      ...base,
      eventId: `${response.requestId}:impression`,
      type: 'impression',
      surface,
      ...(surface === 'search' ? { query } : {}),
      ...(surface === 'similar' && request.itemId !== undefined ? { seedItemId: request.itemId } : {}),
      items: response.items.map((item) => ({
        itemId: item.id,
        position: item.position,
        recallScore: item.recallScore,
        ...(item.ad ? { cpc: item.ad.cpc } : {}),
      })),
    });
  }
  return events;
}
