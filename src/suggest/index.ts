// suggest/: query recommendation. The foundation has completion by popularity only.
export {
  PopularPrefixSuggester,
  DEFAULT_POPULAR_PREFIX_CONFIG,
  type PopularPrefixConfig,
  type Completion,
  type Suggestion,
} from './popular-prefix-suggester.js';
