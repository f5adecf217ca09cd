/**
 * The analysis interface indexes and query parsers work against. An analyzer turns a field's text into
 * terms with positions; `mode` lets the index side emit more than the query side (e.g. single Han
 * characters, or pinyin spellings) so that short or romanised queries still match.
 */

export interface Token {
  /** The normalised term as stored in the index. */
  term: string;
  /** Word position within the field (0-based). Alternatives for the same word (pinyin, a synonym) share it. */
  position: number;
}

export type AnalyzeMode = 'index' | 'query';

export interface Analyzer {
  /** Stable name, saved with index snapshots so a snapshot is only read with the analyzer it was built with. */
  readonly name: string;
  analyze(text: string, mode: AnalyzeMode): Token[];
}
