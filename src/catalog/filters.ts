import type { Filters, Item } from '../core/index.js';

/**
 * Compiles request filters into a predicate over items. Every given filter must hold; an item with no
 * value for a filtered field (no brand, no price) does not pass that filter.
 */
export function compileFilters(filters: Filters): (item: Item) => boolean {
  const tests: ((item: Item) => boolean)[] = [];
  const { category, brands, shops, regions, kinds, priceMin, priceMax } = filters;
  if (category !== undefined) tests.push((item) => hasPrefix(item.categoryPath, category));
  if (brands !== undefined) tests.push(inSet('brand', brands));
  if (shops !== undefined) tests.push(inSet('shop', shops));
  if (regions !== undefined) tests.push(inSet('region', regions));
  if (kinds !== undefined) {
    const allowed = new Set<string>(kinds);
    tests.push((item) => allowed.has(item.kind));
  }
  if (priceMin !== undefined) tests.push((item) => item.price !== undefined && item.price >= priceMin);
  if (priceMax !== undefined) tests.push((item) => item.price !== undefined && item.price <= priceMax);
  if (tests.length === 0) return () => true;
  return (item) => tests.every((test) => test(item));
}

function hasPrefix(path: readonly string[], prefix: readonly string[]): boolean {
  if (prefix.length > path.length) return false;
  return prefix.every((segment, i) => path[i] === segment);
}

function inSet(field: 'brand' | 'shop' | 'region', values: readonly string[]): (item: Item) => boolean {
  const allowed = new Set(values);
  return (item) => {
    const value = item[field];
    return value !== undefined && allowed.has(value);
  };
}
