/**
 * Scatter rules as a search: order a list so that, for every rule r, no window of `window` consecutive
 * positions holds more than `max` items with the same value of r's attribute, keeping relevance order
 * as far as the rules allow.
 *
 * "As far as the rules allow" is made exact: the result is the lexicographically smallest valid
 * permutation of the input indices (position 1 gets the best item that can start a valid order, then
 * position 2, ...). A depth-first search in relevance order finds it; it is pruned by a per-value
 * capacity bound (below) so that on realistic lists it never backtracks, and it gives up after
 * `backtrackLimit` backtracks, for a best effort instead:
 *
 * 1. the best item that breaks no rule and leaves every value placeable (see `urgent`);
 * 2. else the best item that breaks no rule;
 * 3. else the item whose broken rules are the least important (rules are listed most important first:
 *    the mask with bit (R-1-r) per broken rule r is minimal), ties to the better-ranked item. Each such
 *    position is reported as a relaxation naming the rules that gave way.
 *
 * Capacity bound. For one value v of a rule (max m per window w), the most v-items that fit in the
 * next slots, given where v sits in the last w-1 placed positions, is what placing v as early as
 * possible achieves (an exchange argument): p_j = max(p_{j-1} + 1, p_{j-m} + w). If the items of v
 * still to place exceed that number when the current slot is given to another value, v is *urgent*:
 * the slot must hold v. Two urgent values in one rule mean a dead end. This bound looks at one value at
 * a time, so it is necessary, not sufficient: the search still backtracks on rarer interactions.
 */

export interface ScatterRule {
  /** Window length w in positions (>= 2). */
  window: number;
  /** At most this many items with the same value in any window (1 <= max < window). */
  max: number;
}

export interface ScatterProblem {
  rules: readonly ScatterRule[];
  /** Per rule, each item's value code (0..distinct-1) or -1 for none, which never counts. [rules][n] */
  codes: readonly Int32Array[];
  /** Backtracks allowed before the best effort; the search is exact when it finishes within it. */
  backtrackLimit: number;
}

export interface Relaxation {
  /** 0-based position whose item breaks rules. */
  position: number;
  /** Indices of the rules it breaks. */
  rules: number[];
}

export interface ScatterResult {
  /** A permutation of 0..n-1: the input index at each position. [n] */
  order: Int32Array;
  /** True when the order satisfies every rule (found by the search, or by the best effort). */
  valid: boolean;
  relaxations: Relaxation[];
  backtracks: number;
  /** The search gave up (limit reached or the rules cannot all hold) and the best effort ran. */
  bestEffort: boolean;
}

/** Orders `n` items under the rules; see the file comment for the guarantees. */
export function scatter(problem: ScatterProblem): ScatterResult {
  const search = new ScatterSearch(problem);
  const found = search.depthFirst(problem.backtrackLimit);
  if (found) return { order: search.order, valid: true, relaxations: [], backtracks: search.backtracks, bestEffort: false };
  const backtracks = search.backtracks;
  const fallback = new ScatterSearch(problem);
  const relaxations = fallback.bestEffort();
  return { order: fallback.order, valid: relaxations.length === 0, relaxations, backtracks, bestEffort: true };
}

/** The most items of one value in any valid sequence of `length` positions: whole windows, then the rest. */
function freeCapacity(length: number, rule: ScatterRule): number {
  if (length <= 0) return 0;
  return Math.floor(length / rule.window) * rule.max + Math.min(length % rule.window, rule.max);
}

/** The state of a partial order: what is placed, what remains, and per-rule counts. */
class ScatterSearch {
  readonly order: Int32Array;
  backtracks = 0;
  private placed = 0;
  private readonly n: number;
  private readonly rules: readonly ScatterRule[];
  private readonly codes: readonly Int32Array[];
  /** Remaining items as a doubly linked list in relevance order; node n is the sentinel. [n + 1] */
  private readonly next: Int32Array;
  private readonly prev: Int32Array;
  /** Per rule, per value: items among the last window-1 placed. [rules][distinct] */
  private readonly inWindow: Int32Array[];
  /** Per rule, per value: items not yet placed. [rules][distinct] */
  private readonly remaining: Int32Array[];
  /** Per rule, values by initial count, most first. [rules][distinct] */
  private readonly byCount: Int32Array[];
  private readonly initial: Int32Array[];
  /** Per rule: the value each slot must hold now, -1 none, -2 a dead end. [rules] */
  private readonly urgent: Int32Array;
  /** Scratch for capacity(): recent positions of one value. [max rule.max + rule.window] */
  private readonly recent: Int32Array;

  constructor(problem: ScatterProblem) {
    const n = problem.codes[0]?.length ?? 0;
    this.n = n;
    this.rules = problem.rules;
    this.codes = problem.codes;
    this.order = new Int32Array(n);
    this.next = new Int32Array(n + 1);
    this.prev = new Int32Array(n + 1);
    for (let i = 0; i <= n; i++) {
      this.next[i] = i === n ? 0 : i + 1;
      this.prev[i] = i === 0 ? n : i - 1;
    }
    const counts = problem.codes.map((codes) => {
      let distinct = 0;
      for (const c of codes) if (c + 1 > distinct) distinct = c + 1;
      const count = new Int32Array(distinct);
      for (const c of codes) if (c >= 0) count[c] = (count[c] as number) + 1;
      return count;
    });
    this.initial = counts;
    this.remaining = counts.map((c) => c.slice());
    this.inWindow = counts.map((c) => new Int32Array(c.length));
    this.byCount = counts.map((c) => Int32Array.from(c.keys()).sort((a, b) => (c[b] as number) - (c[a] as number)));
    this.urgent = new Int32Array(problem.rules.length);
    this.recent = new Int32Array(problem.rules.reduce((most, r) => Math.max(most, r.max + r.window), 1));
  }

  /** Depth-first search for the lexicographically smallest valid order; false when it gives up. */
  depthFirst(backtrackLimit: number): boolean {
    if (!this.feasibleAtStart()) return false;
    let from = this.next[this.n] as number;
    while (this.placed < this.n) {
      const found = this.updateUrgent() ? this.firstFitting(from, true) : -1;
      if (found >= 0) {
        this.place(found);
        from = this.next[this.n] as number;
        continue;
      }
      if (this.placed === 0 || this.backtracks >= backtrackLimit) return false;
      this.backtracks++;
      from = this.next[this.unplace()] as number;
    }
    return true;
  }

  /** The greedy best effort of the file comment; returns the positions where rules gave way. */
  bestEffort(): Relaxation[] {
    const relaxations: Relaxation[] = [];
    while (this.placed < this.n) {
      const pick = this.bestEffortPick(this.updateUrgent());
      if (pick.mask > 0) relaxations.push({ position: this.placed, rules: this.brokenRules(pick.item) });
      this.place(pick.item);
    }
    return relaxations;
  }

  /** The three tiers of the best effort: fitting and urgent, fitting, least important rules broken. */
  private bestEffortPick(urgentKnown: boolean): { item: number; mask: number } {
    const head = this.next[this.n] as number;
    if (urgentKnown && this.urgentFits()) {
      const item = this.firstFitting(head, true);
      if (item >= 0) return { item, mask: 0 };
    }
    let least = -1;
    let leastMask = Infinity;
    for (let i = head; i !== this.n; i = this.next[i] as number) {
      const mask = this.violationMask(i);
      if (mask === 0) return { item: i, mask: 0 };
      if (mask < leastMask) {
        leastMask = mask;
        least = i;
      }
    }
    return { item: least, mask: leastMask };
  }

  /** False when an urgent value cannot take the next slot anyway (its window is full). */
  private urgentFits(): boolean {
    for (let r = 0; r < this.rules.length; r++) {
      const must = this.urgent[r] as number;
      if (must >= 0 && ((this.inWindow[r] as Int32Array)[must] as number) >= (this.rules[r] as ScatterRule).max) return false;
    }
    return true;
  }

  /** Every value fits in n positions on its own (else no order satisfies the rules). */
  private feasibleAtStart(): boolean {
    return this.rules.every((rule, r) => {
      const most = this.byCount[r]?.[0];
      return most === undefined || (this.initial[r]?.[most] as number) <= freeCapacity(this.n, rule);
    });
  }

  /** The first remaining item from `from` on that breaks no rule (and holds the urgent values). */
  private firstFitting(from: number, needUrgent: boolean): number {
    for (let i = from; i !== this.n; i = this.next[i] as number) {
      if (this.fits(i) && (!needUrgent || this.holdsUrgent(i))) return i;
    }
    return -1;
  }

  private fits(i: number): boolean {
    for (let r = 0; r < this.rules.length; r++) {
      const code = (this.codes[r] as Int32Array)[i] as number;
      if (code >= 0 && ((this.inWindow[r] as Int32Array)[code] as number) >= (this.rules[r] as ScatterRule).max) return false;
    }
    return true;
  }

  private holdsUrgent(i: number): boolean {
    for (let r = 0; r < this.rules.length; r++) {
      const must = this.urgent[r] as number;
      if (must >= 0 && (this.codes[r] as Int32Array)[i] !== must) return false;
    }
    return true;
  }

  /** Fills `urgent` for the next slot; false when some rule has two urgent values (a dead end). */
  private updateUrgent(): boolean {
    const left = this.n - this.placed;
    let ok = true;
    for (let r = 0; r < this.rules.length; r++) {
      const rule = this.rules[r] as ScatterRule;
      const remaining = this.remaining[r] as Int32Array;
      const initial = this.initial[r] as Int32Array;
      // Slots from w-1 on are out of reach of the placed items: at least this many fit whatever happened.
      const safe = freeCapacity(left - rule.window + 1, rule);
      let must = -1;
      for (const v of this.byCount[r] as Int32Array) {
        if ((initial[v] as number) <= safe) break;
        const rest = remaining[v] as number;
        if (rest <= safe || rest <= this.capacity(r, v, { start: 1, length: left })) continue;
        must = must === -1 ? v : -2;
      }
      this.urgent[r] = must;
      if (must === -2) ok = false;
    }
    return ok;
  }

  /**
   * The most items of value v that fit in slots [start, length) after the placed items (slot 0 is the
   * next position), placing each as early as allowed: p_j = max(p_{j-1} + 1, p_{j-m} + w). Once m
   * items follow the placed ones the pattern repeats with period w, so only the first m are simulated.
   */
  private capacity(r: number, v: number, slots: { start: number; length: number }): number {
    const { window: w, max: m } = this.rules[r] as ScatterRule;
    const codes = this.codes[r] as Int32Array;
    const recent = this.recent;
    let count = 0;
    for (let q = Math.max(0, this.placed - w + 1); q < this.placed; q++) {
      if (codes[this.order[q] as number] === v) recent[count++] = q - this.placed;
    }
    let total = 0;
    for (let j = 0; j < m; j++) {
      let p = slots.start;
      if (count >= 1) p = Math.max(p, (recent[count - 1] as number) + 1);
      if (count >= m) p = Math.max(p, (recent[count - m] as number) + w);
      if (p >= slots.length) break;
      recent[count++] = p;
      total += Math.floor((slots.length - 1 - p) / w) + 1;
    }
    return total;
  }

  /** Bit (R-1-r) for each rule r item i would break at the next slot: smaller = less important rules. */
  private violationMask(i: number): number {
    const rules = this.rules.length;
    let mask = 0;
    for (let r = 0; r < rules; r++) {
      const code = (this.codes[r] as Int32Array)[i] as number;
      if (code >= 0 && ((this.inWindow[r] as Int32Array)[code] as number) >= (this.rules[r] as ScatterRule).max) {
        mask += 2 ** (rules - 1 - r);
      }
    }
    return mask;
  }

  private brokenRules(i: number): number[] {
    const broken: number[] = [];
    const mask = this.violationMask(i);
    for (let r = 0; r < this.rules.length; r++) if (mask & (2 ** (this.rules.length - 1 - r))) broken.push(r);
    return broken;
  }

  private place(i: number): void {
    const p = this.placed;
    this.order[p] = i;
    this.next[this.prev[i] as number] = this.next[i] as number;
    this.prev[this.next[i] as number] = this.prev[i] as number;
    for (let r = 0; r < this.rules.length; r++) {
      const codes = this.codes[r] as Int32Array;
      const window = this.inWindow[r] as Int32Array;
      const code = codes[i] as number;
      if (code >= 0) {
        const remaining = this.remaining[r] as Int32Array;
        window[code] = (window[code] as number) + 1;
        remaining[code] = (remaining[code] as number) - 1;
      }
      // The window for the next slot is positions [p - w + 2, p]: position p - w + 1 leaves it.
      const leaving = p - (this.rules[r] as ScatterRule).window + 1;
      if (leaving >= 0) {
        const old = codes[this.order[leaving] as number] as number;
        if (old >= 0) window[old] = (window[old] as number) - 1;
      }
    }
    this.placed++;
  }

  /** Undoes the last place() (dancing links: relinking in reverse order restores the list). */
  private unplace(): number {
    this.placed--;
    const p = this.placed;
    const i = this.order[p] as number;
    for (let r = 0; r < this.rules.length; r++) {
      const codes = this.codes[r] as Int32Array;
      const window = this.inWindow[r] as Int32Array;
      const leaving = p - (this.rules[r] as ScatterRule).window + 1;
      if (leaving >= 0) {
        const old = codes[this.order[leaving] as number] as number;
        if (old >= 0) window[old] = (window[old] as number) + 1;
      }
      const code = codes[i] as number;
      if (code >= 0) {
        const remaining = this.remaining[r] as Int32Array;
        window[code] = (window[code] as number) - 1;
        remaining[code] = (remaining[code] as number) + 1;
      }
    }
    this.next[this.prev[i] as number] = i;
    this.prev[this.next[i] as number] = i;
    return i;
  }
}

/**
 * Every (rule, position) where the window ending at that 0-based position holds more than `max` items
 * of one value: the reference checker for tests and evaluation. O(n · rules · window).
 */
export function scatterViolations(
  order: ArrayLike<number>,
  problem: Pick<ScatterProblem, 'rules' | 'codes'>,
): { rule: number; position: number }[] {
  const found: { rule: number; position: number }[] = [];
  problem.rules.forEach((rule, r) => {
    const codes = problem.codes[r] as Int32Array;
    for (let end = 0; end < order.length; end++) {
      const counts = new Map<number, number>();
      for (let p = Math.max(0, end - rule.window + 1); p <= end; p++) {
        const code = codes[order[p] as number] as number;
        if (code >= 0) counts.set(code, (counts.get(code) ?? 0) + 1);
      }
      if ([...counts.values()].some((c) => c > rule.max)) found.push({ rule: r, position: end });
    }
  });
  return found;
}
