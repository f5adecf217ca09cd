import type { Merger, RecallChannel, Ranker, RequestKind } from '../core/index.js';
import { CtrRanker, PopularityRanker } from '../rank/index.js';
import {
  PopularChannel,
  RrfMerger,
  SameCategoryChannel,
  TermMatchChannel,
  UnionMerger,
  UserCategoryChannel,
  VectorI2iChannel,
  VectorU2iChannel,
} from '../recall/index.js';
import { CatalogItemAttributes, createReranker } from '../rerank/index.js';
import type { EngineConfig, RECALL_CHANNELS } from './config.js';
import type { ServingModels } from './serving-models.js';
import { FailedPreconditionError } from '../core/index.js';
import type { Pipeline } from './pipeline.js';
import type { EngineState } from './state.js';

type ChannelName = (typeof RECALL_CHANNELS)[number];

/**
 * Builds each request kind's pipeline from the configuration. A stage instance is shared by every
 * pipeline that names it (one term index, however many kinds use it).
 */
export function buildPipelines(config: EngineConfig, state: EngineState, models: ServingModels): Record<RequestKind, Pipeline> {
  const channels = new Map<ChannelName, RecallChannel>();
  const channel = (name: ChannelName): RecallChannel => {
    let built = channels.get(name);
    if (built === undefined) channels.set(name, (built = buildChannel(name, config, state)));
    return built;
  };
  const merger: Merger =
    config.recall.merger === 'rrf'
      ? new RrfMerger({ k0: config.recall.rrf.k0, weights: config.recall.weights, quotas: config.recall.rrf.quotas })
      : new UnionMerger(config.recall.weights);
  const ranker = buildRanker(config, state, models);
  const attributes = new CatalogItemAttributes(state.catalog);
  const listScorers = new Map([...(models.listScorers ?? [])].map(([name, loaded]) => [name, loaded.scorer]));
  const rerankers = config.rerank.rerankers.map((spec) => createReranker(spec, { attributes, listScorers }));
  const pipeline = (kind: RequestKind): Pipeline => ({
    channels: config.recall.channels[kind].map(channel),
    merger,
    ranker,
    rerankers,
  });
  return { search: pipeline('search'), browse: pipeline('browse'), recommend: pipeline('recommend'), similar: pipeline('similar') };
}

function buildChannel(name: ChannelName, config: EngineConfig, state: EngineState): RecallChannel {
  const { catalog, categories, popularity, history } = state;
  switch (name) {
    case 'lexical':
      return lazyChannel(name, () => state.lexical, (lexical) => lexical, 'the lexical index is built once the catalog is loaded');
    case 'term-match':
      return new TermMatchChannel(catalog, config.termMatch);
    case 'popular':
      return new PopularChannel({ catalog, popularity });
    case 'user-category':
      return new UserCategoryChannel({ catalog, categories, popularity, history }, config.userCategory);
    case 'same-category':
      return new SameCategoryChannel({ catalog, categories, popularity });
    case 'vector-u2i':
      return lazyChannel(name, () => state.embeddings, (embeddings) => new VectorU2iChannel({ embeddings, history }), NO_EMBEDDINGS);
    case 'vector-i2i':
      return lazyChannel(name, () => state.embeddings, (embeddings) => new VectorI2iChannel({ embeddings }), NO_EMBEDDINGS);
  }
}

const NO_EMBEDDINGS = 'no embeddings model in the store (quarry train embeddings)';

/**
 * A channel over state the engine builds once its catalog is loaded (the lexical index, the vector
 * indexes); until then, or without the model it needs, it recalls nothing and says why in the trace
 * (`/health` reports it too).
 */
function lazyChannel<T extends object>(name: ChannelName, current: () => T | undefined, build: (source: T) => RecallChannel, missing: string): RecallChannel {
  let built: { source: T; channel: RecallChannel } | undefined;
  return {
    name,
    recall(context, k) {
      const source = current();
      if (source === undefined) {
        context.trace.annotate(name, { skipped: missing });
        return { candidates: [] };
      }
      if (built?.source !== source) built = { source, channel: build(source) };
      return built.channel.recall(context, k);
    },
  };
}

/** The ranker that serves: `resolveRanker` decides between the popularity and the learned one. */
function buildRanker(config: EngineConfig, state: EngineState, models: ServingModels): Ranker {
  if (resolveRanker(config, models) === 'popularity') {
    return new PopularityRanker(state.popularity, { popularityWeight: config.rank.popularityWeight });
  }
  const ranking = models.ranking;
  const features = state.features;
  if (ranking === undefined || features === undefined) throw new FailedPreconditionError('the ctr ranker needs a ranking model and the feature state');
  const preRanker = new PopularityRanker(state.popularity, { popularityWeight: config.rank.popularityWeight });
  return new CtrRanker({ catalog: state.catalog, features, model: ranking.model, preRanker }, config.rank.ctr);
}

/**
 * `auto` serves the learned ranker when a model is stored, else popularity.
 * @throws FailedPreconditionError when `ctr` is configured and the store holds no ranking model.
 */
export function resolveRanker(config: EngineConfig, models: ServingModels): 'popularity' | 'ctr' {
  switch (config.rank.ranker) {
    case 'popularity':
      return 'popularity';
    case 'auto':
      return models.ranking === undefined ? 'popularity' : 'ctr';
    case 'ctr':
      if (models.ranking === undefined) {
        throw new FailedPreconditionError('rank.ranker is "ctr" but the store holds no ranking model: run `quarry train ctr` first', {
          issues: [{ path: ['rank', 'ranker'], message: 'no ranking model in the store' }],
        });
      }
      return 'ctr';
  }
}

