/**
 * Keyset pagination: a table is read as a run of short statements, each starting after the last key the
 * previous one returned (`WHERE (time, seq) > (?, ?) ORDER BY time, seq LIMIT n`). Unlike OFFSET, every
 * page costs the same however deep it is; unlike one long-running statement, nothing stays open while
 * the consumer awaits, and at most one page of rows is in memory.
 */

export interface KeysetPaging<Row> {
  /** Rows fetched per statement. */
  pageSize: number;
  /** Stop after this many rows in all (`Infinity`: read to the end). */
  limit: number;
  /**
   * Fetches, in key order and to completion, up to `size` rows that come after `last` (the previous
   * page's last row; `undefined` for the first page).
   */
  fetchPage: (last: Row | undefined, size: number) => readonly Row[];
}

/** The rows of every page in key order, fetched one page at a time as the consumer asks for them. */
export async function* keysetPages<Row>(paging: KeysetPaging<Row>): AsyncGenerator<Row, void, undefined> {
  const { pageSize, fetchPage } = paging;
  let remaining = paging.limit;
  let last: Row | undefined;
  while (remaining > 0) {
    const size = Math.min(pageSize, remaining);
    const page = fetchPage(last, size);
    yield* page;
    if (page.length < size) return;
    remaining -= page.length;
    last = page.at(-1);
    await nextMacrotask();
  }
}

/**
 * better-sqlite3 runs on the main thread and an async iterator's `next` resolves on the microtask queue,
 * so a consumer that never does real I/O would hold the event loop for a whole 10-million-row scan.
 * Yielding once per page lets timers and sockets run at a cost of one tick per `pageSize` rows.
 */
function nextMacrotask(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
