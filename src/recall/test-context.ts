import { Trace, type RequestKind, type StageContext } from '../core/index.js';

/** A stage context for tests: everything accepted unless `accepts` says otherwise. */
export function testContext(overrides: Partial<StageContext> & { kind?: RequestKind } = {}): StageContext {
  return {
    kind: 'search',
    requestId: 'r-test',
    query: '',
    userId: undefined,
    seedDocId: undefined,
    time: 0,
    accepts: () => true,
    trace: new Trace('r-test', { detailed: true }),
    ...overrides,
  };
}
