import { CancelledError, IncompatibleFormatError, isItemEvent, type EventType } from '../core/index.js';
import type { ModelInfo, Store } from '../store/index.js';
import { BPR_FORMAT_VERSION, decodeBprModel, encodeBprModel } from './bpr-format.js';
import type { BprModel } from './bpr-model.js';
import { trainBpr, type BprOptions, type BprTrainHooks, type BprTrainResult } from './bpr-trainer.js';
import { interactionsFromRecords, type InteractionRecord, type Interactions } from './interactions.js';

type InteractionType = Extract<EventType, 'click' | 'add_to_cart' | 'purchase'>;

export interface StoreInteractionOptions {
  /** How much one event of each type counts; 0 leaves the type out. */
  weights: Readonly<Record<InteractionType, number>>;
  /** Events from this time (epoch ms), inclusive. */
  from?: number;
  /** Events before this time, exclusive. */
  to?: number;
  /** When set, an event's weight halves for every `halfLifeDays` it is older than the newest event read. */
  halfLifeDays?: number;
  signal?: AbortSignal;
}

export const DEFAULT_STORE_INTERACTION_OPTIONS: Readonly<StoreInteractionOptions> = {
  // A purchase says more than an add-to-cart, which says more than a click.
  weights: { click: 1, add_to_cart: 2, purchase: 4 },
};

const DAY_MS = 86_400_000;

/**
 * The store's click, add-to-cart and purchase events as one BPR interaction per (user, item): its
 * weight is the largest of its events' weights (a purchase counts as a purchase, not as the clicks
 * before it plus a purchase, so a heavy clicker does not dominate the gradient), its time the latest.
 * Users and items keep their external ids.
 * @throws CancelledError when the signal is aborted.
 */
export async function readStoreInteractions(store: Store, options: Partial<StoreInteractionOptions> = {}): Promise<Interactions> {
  const config = { ...DEFAULT_STORE_INTERACTION_OPTIONS, ...options };
  const types = (Object.keys(config.weights) as InteractionType[]).filter((type) => config.weights[type] > 0);
  if (types.length === 0) return interactionsFromRecords([]);
  const events: { userId: string; itemId: string; weight: number; time: number }[] = [];
  const query = { types, ...(config.from === undefined ? {} : { from: config.from }), ...(config.to === undefined ? {} : { to: config.to }) };
  for await (const event of store.readEvents(query)) {
    if (!isItemEvent(event)) continue;
    events.push({ userId: event.userId, itemId: event.itemId, weight: config.weights[event.type], time: event.time });
    if (events.length % 10_000 === 0 && config.signal?.aborted === true) throw new CancelledError(`reading interactions cancelled after ${events.length} events`);
  }
  const newest = events.reduce((latest, e) => Math.max(latest, e.time), Number.NEGATIVE_INFINITY);
  const byPair = new Map<string, InteractionRecord & { weight: number; time: number }>();
  for (const event of events) {
    const weight = config.halfLifeDays === undefined ? event.weight : event.weight * 0.5 ** ((newest - event.time) / (config.halfLifeDays * DAY_MS));
    const key = `${event.userId}\u0000${event.itemId}`;
    const known = byPair.get(key);
    if (known === undefined) byPair.set(key, { ...event, weight });
    else {
      known.weight = Math.max(known.weight, weight);
      known.time = Math.max(known.time, event.time);
    }
  }
  return interactionsFromRecords(byPair.values());
}

/**
 * Reads the store's interactions and trains BPR on them (no validation split unless `hooks.validate`).
 * @throws as `readStoreInteractions` and `trainBpr`.
 */
export async function trainBprFromStore(
  store: Store,
  options: { interactions?: Partial<StoreInteractionOptions>; bpr?: Partial<BprOptions> } = {},
  hooks: BprTrainHooks = {},
): Promise<BprTrainResult & { interactions: Interactions }> {
  const signal = hooks.signal === undefined ? {} : { signal: hooks.signal };
  const interactions = await readStoreInteractions(store, { ...options.interactions, ...signal });
  return { ...(await trainBpr(interactions, options.bpr, hooks)), interactions };
}

/** Stores the model as the next version of `name` (default `bpr`) in the store's model registry. */
export async function putBprModel(store: Store, model: BprModel, options: { name?: string; meta?: Record<string, unknown> } = {}): Promise<ModelInfo> {
  const meta = { dim: model.dim, users: model.nUsers, items: model.nItems, ...options.meta };
  return store.putModel({ name: options.name ?? 'bpr', formatVersion: BPR_FORMAT_VERSION, meta, data: encodeBprModel(model, meta) });
}

/**
 * A stored BPR model (the latest version unless `version` is given), or undefined when there is none.
 * @throws IncompatibleFormatError when the stored blob is of another format version.
 */
export async function getBprModel(store: Store, name = 'bpr', version?: number): Promise<{ model: BprModel; info: ModelInfo } | undefined> {
  const record = await store.getModel(name, version);
  if (record === undefined) return undefined;
  if (record.formatVersion !== BPR_FORMAT_VERSION) {
    throw new IncompatibleFormatError(`model "${name}" v${record.version} has BPR format version ${record.formatVersion}; this Quarry reads ${BPR_FORMAT_VERSION}`);
  }
  const { data, ...info } = record;
  return { model: decodeBprModel(data, `model "${name}" v${record.version}`).model, info: { ...info, bytes: data.length } };
}
