/**
 * The event log in SQLite: append-only, idempotent by `eventId`, read in (time, seq) order a page at a
 * time. `seq` is the append order, so events with equal times come back in the order they arrived.
 */

import { EVENT_TYPES, invariant, isItemEvent } from '../core/index.js';
import type { Event, EventType, QueryEvent } from '../core/index.js';
import { keysetPages } from './keyset-pages.js';
import { readCount, readTime } from './query-args.js';
import { decodeRecord, encodeRecord } from './record-json.js';
import type { SqliteConnection } from './sqlite-connection.js';
import type { AppendResult, EventCounts, EventQuery, QueryCount } from './store.js';

/** Which events, with defaults filled in: `from` inclusive, `to` exclusive. */
interface EventFilter {
  from: number;
  to: number;
  types: readonly EventType[] | undefined;
  userId: string | undefined;
}

type Params = Record<string, string | number>;

interface EventPageRow {
  seq: number;
  time: number;
  data: string;
}

interface TypeCountRow {
  type: EventType;
  count: number;
  firstTime: number;
  lastTime: number;
}

// ON CONFLICT (event_id) DO NOTHING rather than INSERT OR IGNORE: OR IGNORE would also drop a row that
// breaks any other constraint (a NULL time), silently; this skips exactly the already-stored event ids.
const INSERT_EVENT = `
  INSERT INTO events (event_id, type, user_id, time, request_id, item_id, query, data)
  VALUES (@eventId, @type, @userId, @time, @requestId, @itemId, @query, @data)
  ON CONFLICT (event_id) DO NOTHING`;

const QUERY_COUNTS = `
  SELECT query, COUNT(*) AS count, COUNT(DISTINCT user_id) AS users, MIN(time) AS firstTime, MAX(time) AS lastTime
  FROM events
  WHERE type = 'query' AND time >= @from AND time < @to
  GROUP BY query
  HAVING users >= @minUsers
  ORDER BY count DESC, users DESC, query
  LIMIT @limit`;

export class EventLog {
  private readonly connection: SqliteConnection;
  private readonly pageSize: number;

  constructor(connection: SqliteConnection, pageSize: number) {
    this.connection = connection;
    this.pageSize = pageSize;
  }

  /** Appends in one transaction; an `eventId` already stored (or seen earlier in the batch) is skipped. */
  append(events: readonly Event[]): AppendResult {
    const insert = this.connection.statement(INSERT_EVENT);
    return this.connection.transaction(() => {
      const duplicateIndexes: number[] = [];
      events.forEach((event, index) => {
        if (insert.run(toEventRow(event)).changes === 0) duplicateIndexes.push(index);
      });
      return { accepted: events.length - duplicateIndexes.length, duplicates: duplicateIndexes.length, duplicateIndexes };
    });
  }

  /** Matching events in (time, seq) order, one page per statement. */
  async *read(query: EventQuery = {}): AsyncGenerator<Event, void, undefined> {
    const filter = readFilter(query);
    const limit = readCount(query.limit, 'limit') ?? Infinity;
    const where = filterConditions(filter);
    // The row-value comparison is a range on the (time, seq) index (EXPLAIN QUERY PLAN: `time>?`), so each
    // page starts where the last one ended. seq starts at 1: the cursor (from, 0) is just before `from`.
    const sql = `SELECT seq, time, data FROM events
      WHERE (time, seq) > (@afterTime, @afterSeq) AND ${where.sql}
      ORDER BY time, seq LIMIT @size`;
    const rows = keysetPages<EventPageRow>({
      pageSize: this.pageSize,
      limit,
      fetchPage: (last, size) =>
        this.connection.guard('readEvents', () =>
          this.connection
            .statement<EventPageRow>(sql)
            .all({ ...where.params, afterTime: last?.time ?? filter.from, afterSeq: last?.seq ?? 0, size }),
        ),
    });
    for await (const row of rows) yield decodeRecord<Event>(row.data);
  }

  /** Query events only: the query log in time order. */
  async *readQueries(query: Omit<EventQuery, 'types' | 'userId'> = {}): AsyncGenerator<QueryEvent, void, undefined> {
    for await (const event of this.read({ ...query, types: ['query'] })) {
      invariant(event.type === 'query', `readQueries got a ${event.type} event`);
      yield event;
    }
  }

  count(query: Omit<EventQuery, 'limit'> = {}): EventCounts {
    const filter = readFilter(query);
    const where = filterConditions(filter);
    const sql = `SELECT type, COUNT(*) AS count, MIN(time) AS firstTime, MAX(time) AS lastTime
      FROM events WHERE time >= @from AND ${where.sql} GROUP BY type`;
    const rows = this.connection.statement<TypeCountRow>(sql).all({ ...where.params, from: filter.from });
    return summarize(rows);
  }

  /** Query strings by how often they were issued (then by distinct users, then by the string itself). */
  queryCounts(query: { from?: number; to?: number; minUsers?: number; limit?: number } = {}): QueryCount[] {
    const { from, to } = readFilter(query);
    return this.connection.statement<QueryCount>(QUERY_COUNTS).all({
      from,
      to,
      minUsers: readCount(query.minUsers, 'minUsers') ?? 0,
      limit: readCount(query.limit, 'limit') ?? -1, // SQLite: a negative LIMIT means none
    });
  }
}

function toEventRow(event: Event): Record<string, string | number | null> {
  return {
    eventId: event.eventId,
    type: event.type,
    userId: event.userId,
    time: event.time,
    requestId: event.requestId ?? null,
    itemId: isItemEvent(event) ? event.itemId : null,
    query: 'query' in event ? (event.query ?? null) : null,
    data: encodeRecord(event),
  };
}

/**
 * Defaults and checks the time range. Unbounded ends become the extreme safe integers, so one SQL shape
 * serves bounded and unbounded reads (event times are at most 8.64e15, inside that range).
 * @throws InvalidArgumentError when `from` or `to` is not a finite number.
 */
function readFilter(query: { from?: number; to?: number; types?: readonly EventType[]; userId?: string }): EventFilter {
  return {
    from: readTime(query.from, 'from') ?? Number.MIN_SAFE_INTEGER,
    to: readTime(query.to, 'to') ?? Number.MAX_SAFE_INTEGER,
    types: query.types === undefined ? undefined : [...new Set(query.types)],
    userId: query.userId,
  };
}

/** The WHERE conditions (besides the lower time bound, which reads and counts express differently). */
function filterConditions(filter: EventFilter): { sql: string; params: Params } {
  const conditions = ['time < @to'];
  const params: Params = { to: filter.to };
  if (filter.types !== undefined) {
    const names = filter.types.map((type, index) => {
      params[`type${index}`] = type;
      return `@type${index}`;
    });
    conditions.push(typeCondition(names));
  }
  if (filter.userId !== undefined) {
    conditions.push('user_id = @userId');
    params.userId = filter.userId;
  }
  return { sql: conditions.join(' AND '), params };
}

/**
 * One type walks the (type, time) index, already in (time, seq) order. Several types would make SQLite
 * merge index ranges and sort each page, which re-reads the rest of the range on every page; the unary
 * `+` keeps the type out of index selection so the (time, seq) or (user_id, time) index is walked in
 * order and the type is checked per row. An empty list matches nothing.
 */
function typeCondition(names: readonly string[]): string {
  const [first, ...rest] = names;
  if (first === undefined) return 'FALSE';
  if (rest.length === 0) return `type = ${first}`;
  return `+type IN (${names.join(', ')})`;
}

function summarize(rows: readonly TypeCountRow[]): EventCounts {
  const byType = Object.fromEntries(EVENT_TYPES.map((type) => [type, 0])) as Record<EventType, number>;
  const counts: EventCounts = { total: 0, byType };
  for (const row of rows) {
    byType[row.type] = row.count;
    counts.total += row.count;
    counts.firstTime = Math.min(counts.firstTime ?? Infinity, row.firstTime);
    counts.lastTime = Math.max(counts.lastTime ?? -Infinity, row.lastTime);
  }
  return counts;
}
