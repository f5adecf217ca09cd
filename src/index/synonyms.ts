import { InvalidArgumentError } from '../core/index.js';
import type { Analyzer } from '../text/analyzer.js';
import type { SynonymRule } from './config.js';

/** A phrase as the analyzer sees it: one term per word position, with the gaps between positions. */
export interface TermSequence {
  terms: string[];
  /** [terms] position of each term relative to the first (gaps where stop words were). */
  offsets: number[];
}

interface CompiledRule {
  from: string[];
  to: TermSequence[];
}

/**
 * Synonym rules analysed once with the query analyzer, looked up by their first term. Query-time
 * expansion only (the index is unchanged, so rules can change without reindexing): a query whose
 * words contain a rule's left side gets the right sides as alternatives of those words.
 */
export class SynonymTable {
  private readonly byFirstTerm = new Map<string, CompiledRule[]>();

  /** @throws InvalidArgumentError when a rule side analyses to no terms (only stop words or punctuation). */
  constructor(rules: readonly SynonymRule[], analyzer: Analyzer) {
    for (const rule of rules) {
      if ('equivalents' in rule) {
        const sides = rule.equivalents.map((text) => analyzeSide(analyzer, text));
        sides.forEach((side, i) => this.add(side.terms, sides.filter((_, j) => j !== i)));
      } else {
        this.add(analyzeSide(analyzer, rule.from).terms, rule.to.map((text) => analyzeSide(analyzer, text)));
      }
    }
    for (const list of this.byFirstTerm.values()) list.sort((a, b) => b.from.length - a.from.length);
  }

  get size(): number {
    return this.byFirstTerm.size;
  }

  /**
   * The longest rule whose left side is `keys[start..]` (undefined keys never match), with the number
   * of keys it covers.
   */
  match(keys: readonly (string | undefined)[], start: number): { length: number; to: TermSequence[] } | undefined {
    const first = keys[start];
    if (first === undefined) return undefined;
    for (const rule of this.byFirstTerm.get(first) ?? []) {
      if (rule.from.every((term, i) => keys[start + i] === term)) return { length: rule.from.length, to: rule.to };
    }
    return undefined;
  }

  private add(from: string[], to: TermSequence[]): void {
    const first = from[0] as string;
    const list = this.byFirstTerm.get(first) ?? [];
    const existing = list.find((r) => r.from.join(' ') === from.join(' '));
    if (existing === undefined) list.push({ from, to });
    else existing.to.push(...to.filter((t) => !existing.to.some((e) => e.terms.join(' ') === t.terms.join(' '))));
    this.byFirstTerm.set(first, list);
  }
}

/** The first term at each position of `text`, with offsets from the first position. */
export function analyzeSequence(analyzer: Analyzer, text: string): TermSequence {
  const terms: string[] = [];
  const offsets: number[] = [];
  let lastPosition = -1;
  let firstPosition = 0;
  for (const token of [...analyzer.analyze(text, 'query')].sort((a, b) => a.position - b.position)) {
    if (token.position === lastPosition) continue;
    if (terms.length === 0) firstPosition = token.position;
    terms.push(token.term);
    offsets.push(token.position - firstPosition);
    lastPosition = token.position;
  }
  return { terms, offsets };
}

function analyzeSide(analyzer: Analyzer, text: string): TermSequence {
  const sequence = analyzeSequence(analyzer, text);
  if (sequence.terms.length === 0) throw new InvalidArgumentError(`synonym "${text}" has no searchable terms after analysis`);
  return sequence;
}
