import { IdMap, type Item } from '../core/index.js';

/** Told about every change to the catalog, in order, so indexes stay in step with it. */
export interface CatalogListener {
  /** `previous` is the item's former version when this is an update. */
  onUpsert(docId: number, item: Item, previous: Item | undefined): void;
  onRemove(docId: number, item: Item): void;
}

/**
 * The items the engine serves, in memory, by dense doc id. Doc ids are given in first-insertion
 * order and never reused, so every index keyed by doc id stays valid across updates and deletes.
 */
export class Catalog {
  private readonly ids = new IdMap();
  private readonly items: (Item | undefined)[] = [];
  private readonly listeners: CatalogListener[] = [];
  private live = 0;

  /** Live items. */
  get size(): number {
    return this.live;
  }

  /** One past the largest doc id ever given: the length arrays indexed by doc id need. */
  get capacity(): number {
    return this.ids.size;
  }

  subscribe(listener: CatalogListener): void {
    this.listeners.push(listener);
  }

  /** Adds or replaces an item; returns its doc id. */
  upsert(item: Item): number {
    const docId = this.ids.intern(item.id);
    const previous = this.items[docId];
    this.items[docId] = item;
    if (previous === undefined) this.live++;
    for (const listener of this.listeners) listener.onUpsert(docId, item, previous);
    return docId;
  }

  /** Removes an item; false when no live item has that id. */
  remove(id: string): boolean {
    const docId = this.ids.get(id);
    if (docId === undefined) return false;
    const item = this.items[docId];
    if (item === undefined) return false;
    this.items[docId] = undefined;
    this.live--;
    for (const listener of this.listeners) listener.onRemove(docId, item);
    return true;
  }

  /** The doc id of a live item, or undefined. */
  docId(id: string): number | undefined {
    const docId = this.ids.get(id);
    return docId !== undefined && this.items[docId] !== undefined ? docId : undefined;
  }

  /** The live item with this doc id, or undefined (never given, or removed). */
  item(docId: number): Item | undefined {
    return this.items[docId];
  }

  has(docId: number): boolean {
    return this.items[docId] !== undefined;
  }

  /** Visits live items in doc id order. */
  forEach(visit: (docId: number, item: Item) => void): void {
    for (let docId = 0; docId < this.items.length; docId++) {
      const item = this.items[docId];
      if (item !== undefined) visit(docId, item);
    }
  }
}

/** The key of an item's leaf category (`数码>手机`), '' when it has none. */
export function categoryKey(path: readonly string[]): string {
  return path.join('>');
}
