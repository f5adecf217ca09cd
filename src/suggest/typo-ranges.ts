/**
 * Typo tolerance for completion: the keys whose beginning is one edit away from what was typed.
 *
 * An edit is deleting a typed character, substituting one, inserting one, or swapping two
 * neighbours (optimal string alignment distance 1; Damerau 1964 counted those four as the common
 * typing errors). Substituted and inserted characters are drawn from `alphabet` (Latin letters and
 * digits by default): typo tolerance is for Latin and pinyin input.
 *
 * The search walks the typed prefix once, like a trie walk: at position j it holds the range of
 * keys sharing the first j typed characters, and tries each edit at j only inside it: a deletion
 * continues with the rest of the input; a substitution or an insertion continues inside the range
 * of one next character, taken from the alphabet when the range is large and from the characters
 * the keys actually have there when it is small. Each step is a binary search over ever smaller
 * ranges, never a scan.
 */

import type { CompletionIndex, KeyRange } from './completion-index.js';

// Below this many keys, listing the next characters present is cheaper than trying the whole alphabet.
const LIST_CHILDREN_BELOW = 256;

/**
 * The ranges of keys starting with a one-edit variant of `prefix` (possibly overlapping; exact
 * matches not excluded). The first `fixed` characters are never edited (Lucene's fuzzy
 * `prefixLength`): a first character is rarely mistyped, and editing it costs the most, as the
 * range it searches is the whole index.
 */
export function typoRanges(index: CompletionIndex, prefix: string, options: { alphabet: string; fixed: number }): KeyRange[] {
  const { alphabet, fixed } = options;
  const allowed = new Set(Array.from(alphabet, (c) => c.charCodeAt(0)));
  const letters = [...allowed].sort((a, b) => a - b);
  const m = prefix.length;
  const ranges: KeyRange[] = [];
  const keep = (range: KeyRange) => {
    if (range.hi > range.lo) ranges.push(range);
  };
  // head: the keys starting with prefix[0, j); every edit at position j stays inside it.
  let head = index.range(prefix.slice(0, fixed));
  for (let j = fixed; j < m && head.hi > head.lo; j++) {
    const at = prefix.charCodeAt(j);
    keep(index.narrow(head, j, prefix, j + 1)); // prefix[j] deleted
    for (const { code, range } of nextCharacters(index, head, j, letters, allowed)) {
      if (code !== at) keep(index.narrow(range, j + 1, prefix, j + 1)); // prefix[j] replaced by code
      keep(index.narrow(range, j + 1, prefix, j)); // code inserted before prefix[j]
    }
    const next = prefix[j + 1];
    if (next !== undefined && next !== prefix[j]) {
      keep(index.narrow(head, j, `${next}${prefix[j] as string}${prefix.slice(j + 2)}`)); // prefix[j], prefix[j + 1] swapped
    }
    head = index.narrow(head, j, prefix[j] as string);
  }
  return ranges;
}

function nextCharacters(index: CompletionIndex, head: KeyRange, depth: number, letters: readonly number[], allowed: ReadonlySet<number>) {
  if (head.hi - head.lo < LIST_CHILDREN_BELOW) return index.children(head, depth).filter((c) => allowed.has(c.code));
  return letters
    .map((code) => ({ code, range: index.narrow(head, depth, String.fromCharCode(code)) }))
    .filter((c) => c.range.hi > c.range.lo);
}
