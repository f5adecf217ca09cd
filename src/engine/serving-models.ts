import { FailedPreconditionError, IncompatibleFormatError } from '../core/index.js';
import { getBprModel, getItemVectors, type BprModel, type ItemVectorSet } from '../embed/index.js';
import { decodeRankingModel, RANKING_MODEL_NAME, type RankingModel } from '../rank/index.js';
import { decodeListScorer, type ListScorer } from '../rerank/index.js';
import type { Store } from '../store/index.js';
import type { EngineConfig } from './config.js';

/** Trained artefacts the engine serves, read from the store's model registry at start-up. */
export interface ServingModels {
  ranking?: { model: RankingModel; version: number };
  /** The BPR model behind the vector channels (`recall.vector.source` `bpr`). */
  embeddings?: { model: BprModel; version: number };
  /** The imported item vectors behind them instead (`recall.vector.source` `imported:<name>`). */
  itemVectors?: { name: string; set: ItemVectorSet; version: number };
  /** The scorers of the `list-aware` rerankers, by model registry name (latest version). */
  listScorers?: ReadonlyMap<string, { scorer: ListScorer; version: number }>;
}

/** The model registry name of the embeddings the vector channels serve. */
export const EMBEDDINGS_MODEL_NAME = 'bpr';

/**
 * Loads what the configuration needs: the latest ranking model when the ranker is `ctr` (or `auto`
 * and one exists), the vectors `recall.vector.source` names when a vector channel is configured.
 * @throws FailedPreconditionError (from `resolveRanker`) when `ctr` is asked for and no model exists,
 *   or when an imported vector set is asked for and the store has none of that name;
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
  const listScorers = await loadListScorers(store, config);
  if (listScorers.size > 0) models.listScorers = listScorers;
  const channels = Object.values(config.recall.channels).flat();
  if (!channels.includes('vector-u2i') && !channels.includes('vector-i2i')) return models;
  const { source } = config.recall.vector;
  if (source === 'bpr') {
    const found = await getBprModel(store, EMBEDDINGS_MODEL_NAME);
    if (found !== undefined) models.embeddings = { model: found.model, version: found.info.version };
    return models;
  }
  const name = source.slice('imported:'.length);
  const found = await getItemVectors(store, name);
  if (found === undefined) {
    throw new FailedPreconditionError(`recall.vector.source is "${source}" but the store holds no vector set "${name}": run \`quarry vectors import --name ${name}\` first`, {
      issues: [{ path: ['recall', 'vector', 'source'], message: `no vector set "${name}" in the store` }],
    });
  }
  models.itemVectors = { name, set: found.set, version: found.info.version };
  return models;
}

/**
 * The latest version of each list scorer a `list-aware` reranker names.
 * @throws FailedPreconditionError when one is not in the store; IncompatibleFormatError when one cannot be read.
 */
async function loadListScorers(store: Store, config: EngineConfig): Promise<Map<string, { scorer: ListScorer; version: number }>> {
  const scorers = new Map<string, { scorer: ListScorer; version: number }>();
  for (const [i, spec] of config.rerank.rerankers.entries()) {
    if (spec.type !== 'list-aware' || scorers.has(spec.model)) continue;
    const record = await store.getModel(spec.model);
    if (record === undefined) {
      throw new FailedPreconditionError(`rerank.rerankers.${i} is list-aware with model "${spec.model}" but the store holds no such model: run \`quarry train rerank\` first`, {
        issues: [{ path: ['rerank', 'rerankers', i, 'model'], message: `no model "${spec.model}" in the store` }],
      });
    }
    try {
      scorers.set(spec.model, { scorer: decodeListScorer(record.data), version: record.version });
    } catch (cause) {
      throw new IncompatibleFormatError(`list scorer "${spec.model}" version ${record.version} in the store cannot be read: ${(cause as Error).message}`, { cause });
    }
  }
  return scorers;
}
