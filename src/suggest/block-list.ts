/**
 * Queries that must never be suggested: exact phrases and substrings. Both are compared on the
 * variant key (normalised, white space, punctuation and symbols removed), so `b.a.d`, `B A D` and
 * `ｂａｄ` are caught by the term `bad`. Substrings are found with an Aho–Corasick automaton
 * (Aho & Corasick 1975, "Efficient string matching"): one pass over the query for all terms.
 */

import { normalizeText } from '../text/index.js';
import { variantKey } from './query-text.js';

export interface BlockListTerms {
  /** A query equal to one of these (after normalisation) is blocked. */
  exact?: readonly string[];
  /** A query containing one of these (after normalisation) is blocked. */
  substrings?: readonly string[];
}

interface AutomatonNode {
  next: Map<string, number>;
  fail: number;
  /** A term ends here or at a node on the fail chain. */
  accepts: boolean;
}

export class BlockList {
  private readonly exact: Set<string>;
  private readonly nodes: AutomatonNode[] = [{ next: new Map(), fail: 0, accepts: false }];

  constructor(terms: BlockListTerms = {}) {
    this.exact = new Set((terms.exact ?? []).map(keyOf).filter((k) => k !== ''));
    for (const term of terms.substrings ?? []) {
      const key = keyOf(term);
      if (key !== '') this.insert(key);
    }
    this.link();
  }

  /** True when nothing is blocked. */
  get isEmpty(): boolean {
    return this.exact.size === 0 && this.nodes.length === 1;
  }

  /** Whether a query (any form: it is normalised here) is blocked. */
  blocks(query: string): boolean {
    if (this.isEmpty) return false;
    const key = keyOf(query);
    if (this.exact.has(key)) return true;
    let state = 0;
    for (const char of key) {
      state = this.transition(state, char);
      if ((this.nodes[state] as AutomatonNode).accepts) return true;
    }
    return false;
  }

  private insert(key: string): void {
    let state = 0;
    for (const char of key) {
      const node = this.nodes[state] as AutomatonNode;
      let next = node.next.get(char);
      if (next === undefined) {
        next = this.nodes.length;
        this.nodes.push({ next: new Map(), fail: 0, accepts: false });
        node.next.set(char, next);
      }
      state = next;
    }
    (this.nodes[state] as AutomatonNode).accepts = true;
  }

  /** Breadth-first: each node's fail link is the longest proper suffix of its path that is a path too. */
  private link(): void {
    const queue: number[] = [...(this.nodes[0] as AutomatonNode).next.values()];
    for (let head = 0; head < queue.length; head++) {
      const state = queue[head] as number;
      const node = this.nodes[state] as AutomatonNode;
      for (const [char, child] of node.next) {
        const childNode = this.nodes[child] as AutomatonNode;
        childNode.fail = state === 0 ? 0 : this.transition(node.fail, char);
        childNode.accepts ||= (this.nodes[childNode.fail] as AutomatonNode).accepts;
        queue.push(child);
      }
    }
  }

  private transition(from: number, char: string): number {
    let state = from;
    for (;;) {
      const next = (this.nodes[state] as AutomatonNode).next.get(char);
      if (next !== undefined) return next;
      if (state === 0) return 0;
      state = (this.nodes[state] as AutomatonNode).fail;
    }
  }
}

function keyOf(text: string): string {
  return variantKey(normalizeText(text));
}
