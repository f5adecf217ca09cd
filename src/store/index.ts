// store/: persistence. `Store` is the interface every backend implements; `SqliteStore` is the embedded
// default. The shared test suite (`store-suite.ts`) is test-only and imported by path.
export type {
  AppendResult,
  EventCounts,
  EventQuery,
  ModelInfo,
  ModelRecord,
  NewModel,
  QueryCount,
  Store,
  UpsertResult,
} from './store.js';
export { DEFAULT_SQLITE_STORE_OPTIONS, SqliteStore } from './sqlite-store.js';
export type { Durability, SqliteStoreOptions } from './sqlite-store.js';
export { LATEST_SCHEMA_VERSION } from './migrations.js';
