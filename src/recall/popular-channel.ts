import type { Catalog } from '../catalog/index.js';
import type { RecallChannel, RecallResult, StageContext } from '../core/index.js';
import type { ItemPopularity } from '../features/index.js';
import { topPopular } from './popular.js';

/** The most popular accepted items overall: for browsing, cold users, and to fill short lists. */
export class PopularChannel implements RecallChannel {
  readonly name = 'popular';

  constructor(private readonly source: { catalog: Catalog; popularity: ItemPopularity }) {}

  recall(context: StageContext, k: number): RecallResult {
    return { candidates: topPopular(this.source, { keep: context.accepts, k, time: context.time }) };
  }
}
