import type { LexicalConfig } from '../recall/index.js';
import type { EngineConfig } from './config.js';

/** The model-registry name of the lexical index snapshot (`quarry index`). */
export const LEXICAL_INDEX_NAME = 'lexical';

/** The lexical channel's configuration from the engine's (the schema checked `minimumShouldMatch`'s form). */
export function lexicalConfigOf(config: EngineConfig): LexicalConfig {
  const { lexical } = config;
  return { ...lexical, minimumShouldMatch: lexical.minimumShouldMatch as LexicalConfig['minimumShouldMatch'] };
}
