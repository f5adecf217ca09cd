// core/: types, schemas, errors and the seeded rng. Imported by every module; imports none of them.
export * from './errors.js';
export * from './rng.js';
export * from './id-map.js';
export * from './schemas.js';
export * from './validate.js';
export * from './requests.js';
export * from './pipeline.js';
export * from './trace.js';
export * from './atomic-file.js';
