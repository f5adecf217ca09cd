/**
 * Simulated traffic: day by day, sessions of users chosen by activity arrive along a diurnal curve and
 * talk to the given backend. A generator, so the caller can store each session's events and update its
 * engine before the next session starts.
 */

import { InvalidArgumentError, Rng, type Event, type Seed } from '../core/index.js';
import { DEFAULT_CLICK_MODEL, type ClickModel } from './click-model.js';
import { DEFAULT_SESSION_BEHAVIOUR, runSession, type SessionBehaviour, type SessionContext, type SessionLog, type SessionPlan } from './session.js';
import type { ShopBackend } from './shop-backend.js';
import { asShopWorld, type World } from './world.js';

export interface TrafficConfig {
  /** Days of traffic. Default 14. */
  days: number;
  /** Mean sessions per day over a week (weekends get 15% more, weekdays 6% fewer). Default 1,500. */
  sessionsPerDay: number;
  /** Items asked for and shown per list. Default 20. */
  pageSize: number;
  /** Suggestions asked for per prefix. Default 10. */
  suggestionLimit: number;
  /**
   * Day index of the first simulated day (day 0 starts at `WorldConfig.startTime`). Day d's sessions
   * depend only on the seed and d, so two backends run over the same days meet the same users at the
   * same times with the same first intents: a paired A/B dry run. Default 0.
   */
  firstDay: number;
  /** Seed of the traffic; default: the world's seed. */
  seed?: Seed;
  /** Overrides of `DEFAULT_CLICK_MODEL`. */
  clickModel?: Partial<ClickModel>;
  /** Overrides of `DEFAULT_SESSION_BEHAVIOUR`. */
  behaviour?: Partial<SessionBehaviour>;
}

export const DEFAULT_TRAFFIC_CONFIG: TrafficConfig = {
  days: 14,
  sessionsPerDay: 1_500,
  pageSize: 20,
  suggestionLimit: 10,
  firstDay: 0,
};

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** Sessions per hour of Beijing time (UTC+8), relative: quiet at 3-5, lunch peak, evening peak at 20-22. */
const HOURLY_TRAFFIC = [3, 1.5, 0.8, 0.5, 0.4, 0.5, 1, 2, 3, 3.5, 4, 4.5, 5.5, 5, 4, 4, 4, 4.5, 5, 6, 7.5, 8, 7, 5];
const BEIJING_OFFSET_MS = 8 * HOUR_MS;

/**
 * Runs simulated users against `backend`, one session at a time, in order of session start.
 * @param config overrides of `DEFAULT_TRAFFIC_CONFIG`.
 * @param options.onEvent told each event the moment the user makes it (within the session, before the
 *   backend's next answer), for a backend that learns live as a server does; the session's events are
 *   also yielded together at its end.
 * @throws InvalidArgumentError when a count is not a non-negative integer, pageSize or suggestionLimit
 *   is not in 1..1000, the world was not made by `generateWorld`, or the backend answers with
 *   something other than arrays of strings.
 */
export function* simulateTraffic(
  world: World,
  backend: ShopBackend,
  config: Partial<TrafficConfig> = {},
  options: { onEvent?: (event: Event) => void } = {},
): Generator<SessionLog, void, undefined> {
  const shop = asShopWorld(world);
  const cfg = validateTrafficConfig({ ...DEFAULT_TRAFFIC_CONFIG, ...config });
  const ctx: SessionContext = {
    world: shop,
    backend,
    pageSize: cfg.pageSize,
    suggestionLimit: cfg.suggestionLimit,
    model: { ...DEFAULT_CLICK_MODEL, ...cfg.clickModel },
    behaviour: { ...DEFAULT_SESSION_BEHAVIOUR, ...cfg.behaviour },
    onEvent: options.onEvent,
  };
  const root = new Rng(cfg.seed ?? world.config.seed).fork('traffic');
  const activity = cumulative(shop.userTruths.map((u) => u.activity));
  for (let day = cfg.firstDay; day < cfg.firstDay + cfg.days; day++) {
    const plans = planDay({ rng: root.fork(`day/${day}`), day, startTime: world.config.startTime, sessionsPerDay: cfg.sessionsPerDay, activity });
    for (const plan of plans) yield runSession(ctx, plan);
  }
}

/**
 * How many sessions `simulateTraffic` will yield for this world and config (for progress bars: days
 * differ by weekday, so it is not days x sessionsPerDay).
 * @throws InvalidArgumentError on the same configs as `simulateTraffic`.
 */
export function countSessions(world: World, config: Partial<TrafficConfig> = {}): number {
  const cfg = validateTrafficConfig({ ...DEFAULT_TRAFFIC_CONFIG, ...config });
  let total = 0;
  for (let day = cfg.firstDay; day < cfg.firstDay + cfg.days; day++) total += sessionsOnDay(world.config.startTime + day * DAY_MS, cfg.sessionsPerDay);
  return total;
}

/** Weekends (Beijing time) get 15% more visits, weekdays 6% fewer: the week averages sessionsPerDay. */
function sessionsOnDay(dayStart: number, sessionsPerDay: number): number {
  const weekday = new Date(dayStart + BEIJING_OFFSET_MS).getUTCDay();
  return Math.round(sessionsPerDay * (weekday === 0 || weekday === 6 ? 1.15 : 0.94));
}

function validateTrafficConfig(config: TrafficConfig): TrafficConfig {
  for (const key of ['days', 'sessionsPerDay', 'firstDay'] as const) {
    const n = config[key];
    if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`traffic config ${key} must be a non-negative integer, got ${n}`);
  }
  for (const key of ['pageSize', 'suggestionLimit'] as const) {
    const n = config[key];
    if (!Number.isInteger(n) || n < 1 || n > 1_000) throw new InvalidArgumentError(`traffic config ${key} must be an integer in 1..1000, got ${n}`);
  }
  return config;
}

interface DayInput {
  rng: Rng;
  day: number;
  startTime: number;
  sessionsPerDay: number;
  /** Cumulative user activity, for drawing users in proportion to it. */
  activity: Float64Array;
}

/** The day's sessions in order of start time, each with its own fork (`session/i`) of the day's rng. */
function planDay({ rng, day, startTime, sessionsPerDay, activity }: DayInput): SessionPlan[] {
  const dayStart = startTime + day * DAY_MS;
  const count = sessionsOnDay(dayStart, sessionsPerDay);
  // Beijing hour at the start of the day; a session in hour h starts (h - that hour) hours in.
  const firstHour = Math.floor(((dayStart + BEIJING_OFFSET_MS) % DAY_MS) / HOUR_MS);
  const plans: SessionPlan[] = [];
  for (let i = 0; i < count; i++) {
    const session = rng.fork(`session/${i}`);
    const hour = session.weightedIndex(HOURLY_TRAFFIC);
    const start = dayStart + ((hour - firstHour + 24) % 24) * HOUR_MS + Math.floor(session.next() * HOUR_MS);
    plans.push({ day, sessionIndex: i, start, userIndex: drawCumulative(activity, session.next()), rng: session });
  }
  plans.sort((a, b) => a.start - b.start || a.sessionIndex - b.sessionIndex);
  plans.forEach((plan, i) => (plan.sessionIndex = i));
  return plans;
}

function cumulative(weights: readonly number[]): Float64Array {
  const out = new Float64Array(weights.length);
  let sum = 0;
  weights.forEach((w, i) => (out[i] = sum += w));
  return out;
}

/** The first index whose cumulative weight exceeds u x total (binary search). */
function drawCumulative(cumulativeWeights: Float64Array, u: number): number {
  const target = u * (cumulativeWeights[cumulativeWeights.length - 1] ?? 0);
  let lo = 0;
  let hi = cumulativeWeights.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((cumulativeWeights[mid] as number) > target) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
