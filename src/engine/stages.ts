import type { Merger, RecallChannel, Ranker, Reranker, RequestKind } from '../core/index.js';
import { PopularityRanker } from '../rank/index.js';
import { PopularChannel, SameCategoryChannel, TermMatchChannel, UnionMerger, UserCategoryChannel } from '../recall/index.js';
import { NoopReranker } from '../rerank/index.js';
import type { EngineConfig, RECALL_CHANNELS, RANKERS, RERANKERS } from './config.js';
import type { Pipeline } from './pipeline.js';
import type { EngineState } from './state.js';

type ChannelName = (typeof RECALL_CHANNELS)[number];

/**
 * Builds each request kind's pipeline from the configuration. A stage instance is shared by every
 * pipeline that names it (one term index, however many kinds use it).
 */
export function buildPipelines(config: EngineConfig, state: EngineState): Record<RequestKind, Pipeline> {
  const channels = new Map<ChannelName, RecallChannel>();
  const channel = (name: ChannelName): RecallChannel => {
    let built = channels.get(name);
    if (built === undefined) channels.set(name, (built = buildChannel(name, config, state)));
    return built;
  };
  const merger: Merger = new UnionMerger(config.recall.weights);
  const ranker = buildRanker(config.rank.ranker, config, state);
  const rerankers = config.rerank.rerankers.map((name) => buildReranker(name));
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
    case 'term-match':
      return new TermMatchChannel(catalog, config.termMatch);
    case 'popular':
      return new PopularChannel({ catalog, popularity });
    case 'user-category':
      return new UserCategoryChannel({ catalog, categories, popularity, history }, config.userCategory);
    case 'same-category':
      return new SameCategoryChannel({ catalog, categories, popularity });
  }
}

function buildRanker(name: (typeof RANKERS)[number], config: EngineConfig, state: EngineState): Ranker {
  switch (name) {
    case 'popularity':
      return new PopularityRanker(state.popularity, { popularityWeight: config.rank.popularityWeight });
  }
}

function buildReranker(name: (typeof RERANKERS)[number]): Reranker {
  switch (name) {
    case 'noop':
      return new NoopReranker();
  }
}
