// catalog/: the items being served, in memory by dense doc id, and request filters over them.
export { Catalog, categoryKey, type CatalogListener } from './catalog.js';
export { compileFilters } from './filters.js';
export { CategoryIndex } from './category-index.js';
