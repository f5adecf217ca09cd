import { IncompatibleFormatError } from '../core/index.js';
import { getBprModel, type BprModel } from '../embed/index.js';
import { decodeRankingModel, RANKING_MODEL_NAME, type RankingModel } from '../rank/index.js';
import type { Store } from '../store/index.js';
import type { EngineConfig } from './config.js';

/** Trained artefacts the engine serves, read from the store's model registry at start-up. */
export interface ServingModels {
  ranking?: { model: RankingModel; version: number };
  /** The BPR model behind the vector channels. */
  embeddings?: { model: BprModel; version: number };
}

/** The model registry name of the embeddings the vector channels serve. */
export const EMBEDDINGS_MODEL_NAME = 'bpr';

/**
 * Loads what the configuration needs: the latest ranking model when the ranker is `ctr` (or `auto`
 * and one exists), the latest embeddings when a vector channel is configured.
 * @throws FailedPreconditionError (from `resolveRanker`) when `ctr` is asked for and no model exists;
 *   IncompatibleFormatError when a stored model cannot be read.
 */
export async function loadServingModels(store: Store, config: EngineConfig): Promise<ServingModels> {
  const models: ServingModels = {};
  if (config.rank.ranker !== 'popularity') {
    const record = await store.getModel(RANKING_MODEL_NAME);
    if (record !== undefined) {
      try {
        models.ranking = { model: decodeRankingModel(record.data), version: record.version };
      } catch (cause) {
        throw new IncompatibleFormatError(`ranking model version ${record.version} in the store cannot be read: ${(cause as Error).message}`, { cause });
      }
    }
  }
  const channels = Object.values(config.recall.channels).flat();
  if (channels.includes('vector-u2i') || channels.includes('vector-i2i')) {
    const found = await getBprModel(store, EMBEDDINGS_MODEL_NAME);
    if (found !== undefined) models.embeddings = { model: found.model, version: found.info.version };
  }
  return models;
}
