/**
 * Tests' in-memory engines: `useTestEngines()` (called at a test file's top level) returns an opener
 * of engines over fresh in-memory stores, each closed with its store after every test.
 */

import { afterEach } from 'vitest';
import type { EventInput, ItemInput } from '../core/index.js';
import { SqliteStore } from '../store/index.js';
import { Engine } from './engine.js';

export interface TestEngineOptions {
  items: readonly ItemInput[];
  events?: EventInput[] | undefined;
  config?: unknown;
  /** The engine's clock, fixed. */
  now: number;
}

export function useTestEngines(): (options: TestEngineOptions) => Promise<{ store: SqliteStore; engine: Engine }> {
  const opened: { store: SqliteStore; engine: Engine }[] = [];
  afterEach(async () => {
    for (const { store, engine } of opened.splice(0)) {
      await engine.close();
      await store.close();
    }
  });
  return async ({ items, events, config, now }) => {
    const store = await SqliteStore.open({ path: ':memory:' });
    const engine = await Engine.open({ store, config, clock: () => now });
    opened.push({ store, engine });
    await engine.upsertItems([...items]);
    if (events !== undefined) await engine.appendEvents(events);
    return { store, engine };
  };
}
