/**
 * Top-K prefix completion over one key space, with the top completions precomputed per node.
 *
 * The keys are sorted; the keys starting with a prefix are a contiguous range, found by two binary
 * searches. Every node of the (compacted) trie over the keys is an lcp-interval of the sorted array
 * (Abouelhoda, Kurtz & Ohlebusch 2004, "Replacing suffix trees with enhanced suffix arrays", §4),
 * so a prefix's range *is* a node. At build, a bottom-up traversal of the lcp-intervals computes
 * the best `topK` distinct entries of every node holding more than `topK` keys, from its children's
 * lists; a smaller node's keys are its list. A lookup never looks at more than `topK` keys,
 * however many complete the prefix: O(|p| log n + topK) time.
 *
 * Layout (n keys, m precomputed nodes):
 *   chars       the keys in sorted order, concatenated (one flat string)
 *   offsets     Uint32Array [n + 1]  key i is chars[offsets[i], offsets[i + 1])
 *   entries     Uint32Array [n]      the entry key i belongs to (several keys may share one)
 *   nodeLb/Rb   Uint32Array [m]      each precomputed node's first and last key, sorted by (lb asc, rb desc)
 *   listStart   Uint32Array [m + 1]  node t's list is lists[listStart[t], listStart[t + 1])
 *   lists       Uint32Array          entry ids, best (lowest rank) first, distinct within a list
 * Entries are ranked by the caller (`rank[entry]`, 0 best, all distinct).
 */

import { invariant } from '../core/index.js';

export interface CompletionKey {
  key: string;
  entry: number;
}

/** A range of the sorted keys, [lo, hi). */
export interface KeyRange {
  lo: number;
  hi: number;
}

interface Interval {
  lcp: number;
  lb: number;
  /** Child intervals that hold a precomputed list, in key order. */
  big: { lb: number; rb: number; list: Uint32Array }[];
}

export class CompletionIndex {
  readonly topK: number;
  private readonly chars: string;
  private readonly offsets: Uint32Array;
  private readonly entries: Uint32Array;
  private readonly rank: ArrayLike<number>;
  private readonly nodeLb: Uint32Array;
  private readonly nodeRb: Uint32Array;
  private readonly listStart: Uint32Array;
  private readonly lists: Uint32Array;

  /**
   * @param keys the keys and the entry each belongs to (any order; empty keys are dropped).
   * @param rank rank[entry]: 0 is the best entry; distinct per entry.
   * @param topK how many completions are precomputed per node (the most a lookup returns).
   */
  constructor(keys: readonly CompletionKey[], rank: ArrayLike<number>, topK: number) {
    invariant(Number.isInteger(topK) && topK >= 1, `topK must be a positive integer, got ${topK}`);
    this.topK = topK;
    this.rank = rank;
    const sorted = keys.filter((k) => k.key.length > 0).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : (rank[a.entry] as number) - (rank[b.entry] as number)));
    this.chars = sorted.map((k) => k.key).join('');
    this.offsets = new Uint32Array(sorted.length + 1);
    this.entries = new Uint32Array(sorted.length);
    sorted.forEach((k, i) => {
      this.offsets[i + 1] = (this.offsets[i] as number) + k.key.length;
      this.entries[i] = k.entry;
    });
    const nodes = this.precomputeNodes();
    nodes.sort((a, b) => a.lb - b.lb || b.rb - a.rb);
    this.nodeLb = Uint32Array.from(nodes, (n) => n.lb);
    this.nodeRb = Uint32Array.from(nodes, (n) => n.rb);
    this.listStart = new Uint32Array(nodes.length + 1);
    nodes.forEach((n, t) => (this.listStart[t + 1] = (this.listStart[t] as number) + n.list.length));
    this.lists = new Uint32Array(this.listStart[nodes.length] as number);
    nodes.forEach((n, t) => this.lists.set(n.list, this.listStart[t]));
  }

  /** Number of keys. */
  get size(): number {
    return this.entries.length;
  }

  /** Number of nodes with a precomputed list, and the entries those lists hold (for memory reports). */
  get precomputed(): { nodes: number; listEntries: number } {
    return { nodes: this.nodeLb.length, listEntries: this.lists.length };
  }

  /** The keys starting with `prefix`, searched within `within` (default: all keys). */
  range(prefix: string, within: KeyRange = { lo: 0, hi: this.size }): KeyRange {
    return this.narrow(within, 0, prefix);
  }

  /**
   * The keys of `within` (which all share their first `depth` code units) that continue with
   * `text.slice(from)` at `depth`. Lets a search extend a known prefix without building strings.
   */
  narrow(within: KeyRange, depth: number, text: string, from = 0): KeyRange {
    let lo = within.lo;
    let hi = within.hi;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.compareAt(mid, depth, text, from) < 0) lo = mid + 1;
      else hi = mid;
    }
    const start = lo;
    hi = within.hi;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.compareAt(mid, depth, text, from) <= 0) lo = mid + 1;
      else hi = mid;
    }
    return { lo: start, hi: lo };
  }

  /** The distinct code units at `depth` of the keys of `range` (which share `depth` units), each with its sub-range, in order. */
  children(range: KeyRange, depth: number): { code: number; range: KeyRange }[] {
    const out: { code: number; range: KeyRange }[] = [];
    // Keys that end at `depth` sort first (code -1); skip them.
    let i = this.firstAbove(range.lo, range.hi, depth, -1);
    while (i < range.hi) {
      const code = this.codeAt(i, depth);
      const end = this.firstAbove(i, range.hi, depth, code);
      out.push({ code, range: { lo: i, hi: end } });
      i = end;
    }
    return out;
  }

  /** The best `topK` distinct entries of a prefix's range (as returned by `range`), best first. */
  top(range: KeyRange): ArrayLike<number> {
    const { lo, hi } = range;
    if (hi - lo <= this.topK) return this.smallRange(lo, hi);
    const t = this.findNode(lo, hi - 1);
    invariant(t >= 0, `no precomputed node for the key range [${lo}, ${hi})`);
    return this.lists.subarray(this.listStart[t], this.listStart[t + 1]);
  }

  /** The UTF-16 code unit at `depth` of key i, or -1 past its end. */
  codeAt(i: number, depth: number): number {
    const start = this.offsets[i] as number;
    return depth < (this.offsets[i + 1] as number) - start ? this.chars.charCodeAt(start + depth) : -1;
  }

  /** The entry key i belongs to. */
  entryAt(i: number): number {
    return this.entries[i] as number;
  }

  /** Key i (for tests and explanations). */
  keyAt(i: number): string {
    return this.chars.slice(this.offsets[i], this.offsets[i + 1]);
  }

  /** Key i's code units from `depth` compared with `text.slice(from)`, over the latter's length (negative: key sorts before). */
  private compareAt(i: number, depth: number, text: string, from: number): number {
    const start = (this.offsets[i] as number) + depth;
    const length = (this.offsets[i + 1] as number) - start;
    const wanted = text.length - from;
    const m = Math.min(length, wanted);
    for (let d = 0; d < m; d++) {
      const diff = this.chars.charCodeAt(start + d) - text.charCodeAt(from + d);
      if (diff !== 0) return diff;
    }
    return length >= wanted ? 0 : -1;
  }

  /** The first key in [lo, hi) whose code unit at `depth` is above `code` (keys sorted, sharing `depth` units). */
  private firstAbove(lo: number, hi: number, depth: number, code: number): number {
    let a = lo;
    let b = hi;
    while (a < b) {
      const mid = (a + b) >>> 1;
      if (this.codeAt(mid, depth) <= code) a = mid + 1;
      else b = mid;
    }
    return a;
  }

  private smallRange(lo: number, hi: number): number[] {
    const out: number[] = [];
    for (let i = lo; i < hi; i++) {
      const entry = this.entries[i] as number;
      if (!out.includes(entry)) out.push(entry);
    }
    return out.sort((a, b) => (this.rank[a] as number) - (this.rank[b] as number));
  }

  private findNode(lb: number, rb: number): number {
    let lo = 0;
    let hi = this.nodeLb.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const midLb = this.nodeLb[mid] as number;
      if (midLb < lb || (midLb === lb && (this.nodeRb[mid] as number) > rb)) lo = mid + 1;
      else hi = mid;
    }
    return lo < this.nodeLb.length && this.nodeLb[lo] === lb && this.nodeRb[lo] === rb ? lo : -1;
  }

  /**
   * Bottom-up traversal of the lcp-intervals (Abouelhoda et al. 2004, algorithm 4.4, with child
   * intervals); each interval of more than `topK` keys gets its list. Every key is read by at most
   * one list computation (its nearest precomputed ancestor), every list merged once: O(n + m * topK).
   */
  private precomputeNodes(): { lb: number; rb: number; list: Uint32Array }[] {
    const n = this.size;
    const nodes: { lb: number; rb: number; list: Uint32Array }[] = [];
    if (n === 0) return nodes;
    const stack: Interval[] = [{ lcp: 0, lb: 0, big: [] }];
    for (let i = 1; i <= n; i++) {
      const lcp = i < n ? this.lcp(i - 1, i) : -1;
      let lb = i - 1;
      let last: Interval | undefined;
      let lastNode: { lb: number; rb: number; list: Uint32Array } | undefined;
      while (stack.length > 0 && lcp < (stack[stack.length - 1] as Interval).lcp) {
        const popped = stack.pop() as Interval;
        lastNode = this.finish(popped, i - 1, nodes);
        lb = popped.lb;
        last = popped;
        const top = stack[stack.length - 1];
        if (top !== undefined && lcp <= top.lcp) {
          if (lastNode !== undefined) top.big.push(lastNode);
          last = undefined;
        }
      }
      const top = stack[stack.length - 1];
      if (top !== undefined && lcp > top.lcp) {
        stack.push({ lcp, lb, big: last !== undefined && lastNode !== undefined ? [lastNode] : [] });
      }
    }
    return nodes;
  }

  /** Computes and records an interval's list when it holds more than `topK` keys; returns its node. */
  private finish(interval: Interval, rb: number, nodes: { lb: number; rb: number; list: Uint32Array }[]) {
    if (rb - interval.lb + 1 <= this.topK) return undefined;
    const only = interval.big[0];
    // The same range as its only child (a chain in the trie): share the child's node.
    if (interval.big.length === 1 && only !== undefined && only.lb === interval.lb && only.rb === rb) return only;
    const candidates: number[] = [];
    let i = interval.lb;
    for (const child of interval.big) {
      for (; i < child.lb; i++) candidates.push(this.entries[i] as number);
      for (const entry of child.list) candidates.push(entry);
      i = child.rb + 1;
    }
    for (; i <= rb; i++) candidates.push(this.entries[i] as number);
    const node = { lb: interval.lb, rb, list: this.bestDistinct(candidates) };
    nodes.push(node);
    return node;
  }

  private bestDistinct(candidates: number[]): Uint32Array {
    candidates.sort((a, b) => (this.rank[a] as number) - (this.rank[b] as number));
    const list: number[] = [];
    for (const entry of candidates) {
      if (list.length === this.topK) break;
      if (list[list.length - 1] !== entry) list.push(entry);
    }
    return Uint32Array.from(list);
  }

  private lcp(a: number, b: number): number {
    const startA = this.offsets[a] as number;
    const startB = this.offsets[b] as number;
    const m = Math.min((this.offsets[a + 1] as number) - startA, (this.offsets[b + 1] as number) - startB);
    let d = 0;
    while (d < m && this.chars.charCodeAt(startA + d) === this.chars.charCodeAt(startB + d)) d++;
    return d;
  }
}
