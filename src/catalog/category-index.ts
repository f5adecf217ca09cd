import type { Item } from '../core/index.js';
import type { Catalog, CatalogListener } from './catalog.js';
import { categoryKey } from './catalog.js';

/**
 * The live doc ids under every category path prefix (`数码`, `数码>手机`), kept in step with the
 * catalog, so category-scoped work touches only the category's docs, not the whole catalog.
 */
export class CategoryIndex implements CatalogListener {
  private readonly docsByPrefix = new Map<string, Set<number>>();
  private readonly leafKeys: (string | undefined)[] = [];

  constructor(catalog: Catalog) {
    catalog.forEach((docId, item) => this.onUpsert(docId, item, undefined));
    catalog.subscribe(this);
  }

  onUpsert(docId: number, item: Item, previous: Item | undefined): void {
    if (previous !== undefined) this.onRemove(docId, previous);
    for (let depth = 1; depth <= item.categoryPath.length; depth++) {
      const key = categoryKey(item.categoryPath.slice(0, depth));
      let docs = this.docsByPrefix.get(key);
      if (docs === undefined) this.docsByPrefix.set(key, (docs = new Set()));
      docs.add(docId);
    }
    this.leafKeys[docId] = categoryKey(item.categoryPath);
  }

  onRemove(docId: number, item: Item): void {
    for (let depth = 1; depth <= item.categoryPath.length; depth++) {
      const key = categoryKey(item.categoryPath.slice(0, depth));
      const docs = this.docsByPrefix.get(key);
      docs?.delete(docId);
      if (docs?.size === 0) this.docsByPrefix.delete(key);
    }
    this.leafKeys[docId] = undefined;
  }

  /** The live docs whose category path starts with `prefix` (a key such as `数码>手机`); empty if none. */
  docsUnder(prefix: string): ReadonlySet<number> {
    return this.docsByPrefix.get(prefix) ?? EMPTY;
  }

  /** The key of a live doc's full category path, '' for an item without one. */
  leafKey(docId: number): string | undefined {
    return this.leafKeys[docId];
  }
}

const EMPTY: ReadonlySet<number> = new Set();
