/**
 * Optimal string alignment distance (Levenshtein plus the swap of two adjacent characters, each edit
 * costing 1; no substring is edited twice), over UTF-16 code units. The plain reference the trie walk
 * in `typo-matcher.ts` is tested against.
 */
export function editDistance(a: string, b: string): number {
  const m = a.length;
  const n = b.length;
  // d[i][j]: distance between a[0, i) and b[0, j); [m + 1, n + 1] row-major.
  const d = new Int32Array((m + 1) * (n + 1));
  const at = (i: number, j: number) => d[i * (n + 1) + j] as number;
  for (let i = 0; i <= m; i++) d[i * (n + 1)] = i;
  for (let j = 0; j <= n; j++) d[j] = j;
  for (let i = 1; i <= m; i++) {
    for (let j = 1; j <= n; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a.charCodeAt(i - 1) === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === b.charCodeAt(j - 1)) {
        best = Math.min(best, at(i - 2, j - 2) + 1);
      }
      d[i * (n + 1) + j] = best;
    }
  }
  return at(m, n);
}
