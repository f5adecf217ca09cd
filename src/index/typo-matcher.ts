import type { TypoConfig } from './config.js';

export interface TypoMatch {
  term: string;
  distance: number;
}

// Scripts written without spaces between words, where one changed character is another word: no typos.
const NO_TYPO_SCRIPTS = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{N}]/u;

/**
 * How many typos a query term may have: 0 below `oneTypoMinLength` code units, 1 below
 * `twoTyposMinLength`, else 2; always 0 for terms with Han, kana, Hangul or digits (a model number
 * such as `mate60` with one digit changed is another product).
 */
export function allowedTypos(term: string, config: TypoConfig): number {
  if (!config.enabled || term.length < config.oneTypoMinLength || NO_TYPO_SCRIPTS.test(term)) return 0;
  return term.length < config.twoTyposMinLength ? 1 : 2;
}

/**
 * The terms of `sortedTerms` within `maxDistance` edits (optimal string alignment: insert, delete,
 * substitute, swap adjacent) of `query`, the query itself excluded.
 *
 * The sorted array is walked as an implicit trie: the terms sharing a prefix form a contiguous range,
 * split into children by binary search on the next character. One row of the edit-distance table is
 * computed per trie node (Ukkonen's cut-off: a subtree is left as soon as the row's minimum exceeds
 * `maxDistance`), which is what a Levenshtein automaton intersected with the dictionary visits (Schulz &
 * Mihov 2002), without building the automaton. Cost: the nodes within `maxDistance` of a query prefix,
 * not the vocabulary.
 */
export function findTypoTerms(sortedTerms: readonly string[], query: string, maxDistance: number): TypoMatch[] {
  const m = query.length;
  const q = new Int32Array(m);
  for (let i = 0; i < m; i++) q[i] = query.charCodeAt(i);
  // rows[d]: the table row after a prefix of length d, [m + 2] (one spare cell past the band's edge).
  const first = new Int32Array(m + 2).fill(FAR);
  for (let j = 0; j <= Math.min(m, maxDistance); j++) first[j] = j;
  const rows: Int32Array[] = [first];
  const out: TypoMatch[] = [];
  const visit = (depth: number, lo: number, hi: number): void => {
    const row = rows[depth] as Int32Array;
    let i = lo;
    if ((sortedTerms[lo] as string).length === depth) {
      const distance = row[m] as number;
      if (distance <= maxDistance && distance > 0) out.push({ term: sortedTerms[lo] as string, distance });
      i++;
    }
    while (i < hi) {
      const c = (sortedTerms[i] as string).charCodeAt(depth);
      const j = firstAbove(sortedTerms, i, hi, depth, c);
      const previousChar = depth > 0 ? (sortedTerms[i] as string).charCodeAt(depth - 1) : -1;
      if (nextRow(rows, depth, c, previousChar, q, maxDistance) <= maxDistance) visit(depth + 1, i, j);
      i = j;
    }
  };
  if (sortedTerms.length > 0) visit(0, 0, sortedTerms.length);
  return out;
}

// A cell too far from the diagonal to matter: any value above the budget would do.
const FAR = 1 << 20;

/**
 * Fills rows[depth + 1] for the prefix extended by `c`; returns the row's minimum. Only the band of
 * cells within `maxDistance` of the diagonal is computed (Ukkonen 1985): a cell further away is at least
 * that far. Each depth's band is the same for every node, so cells outside it keep FAR.
 */
function nextRow(rows: Int32Array[], depth: number, c: number, previousChar: number, q: Int32Array, maxDistance: number): number {
  const m = q.length;
  const row = rows[depth] as Int32Array;
  const before = rows[depth - 1];
  let next = rows[depth + 1];
  if (next === undefined) rows[depth + 1] = next = new Int32Array(m + 2).fill(FAR);
  const i = depth + 1;
  const lo = Math.max(1, i - maxDistance);
  const hi = Math.min(m, i + maxDistance);
  next[lo - 1] = lo === 1 ? i : FAR;
  let min = lo === 1 ? i : FAR;
  for (let j = lo; j <= hi; j++) {
    const cost = q[j - 1] === c ? 0 : 1;
    let v = Math.min((row[j] as number) + 1, (next[j - 1] as number) + 1, (row[j - 1] as number) + cost);
    if (before !== undefined && j > 1 && q[j - 1] === previousChar && q[j - 2] === c) v = Math.min(v, (before[j - 2] as number) + 1);
    next[j] = v;
    if (v < min) min = v;
  }
  return min;
}

/** The first index in [lo, hi) whose term has a code unit above `c` at `depth` (terms there are longer than depth). */
function firstAbove(terms: readonly string[], lo: number, hi: number, depth: number, c: number): number {
  let a = lo;
  let b = hi;
  while (a < b) {
    const mid = (a + b) >>> 1;
    if ((terms[mid] as string).charCodeAt(depth) <= c) a = mid + 1;
    else b = mid;
  }
  return a;
}
