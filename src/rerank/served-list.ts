/** A list as it was served to a user: what traffic control learns exposure and frequency from. */
export interface ServedList {
  /** Undefined for an anonymous request. */
  userId: string | undefined;
  /** When it was served (epoch ms). */
  time: number;
  /** The doc ids shown, in position order. */
  docIds: readonly number[];
}

/** A reranker with state fed from served lists (the engine calls it for every page it serves). */
export interface ServedListObserver {
  observeServed(served: ServedList): void;
}

const DAY_MS = 86_400_000;

/** The calendar day of `time` in a time zone `offsetMinutes` east of UTC (days since the epoch). */
export function dayOf(time: number, offsetMinutes: number): number {
  return Math.floor((time + offsetMinutes * 60_000) / DAY_MS);
}

/** How far into its day `time` is, in [0, 1). */
export function fractionOfDay(time: number, offsetMinutes: number): number {
  const local = time + offsetMinutes * 60_000;
  return (local - Math.floor(local / DAY_MS) * DAY_MS) / DAY_MS;
}

/** True for a reranker (or anything) that learns from served lists. */
export function isServedListObserver(value: unknown): value is ServedListObserver {
  return typeof value === 'object' && value !== null && typeof (value as Partial<ServedListObserver>).observeServed === 'function';
}
