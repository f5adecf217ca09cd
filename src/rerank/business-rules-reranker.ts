/**
 * Pin, bury, filter and boost rules from configuration, applied in that order of kinds whatever their
 * order in the list: filter (remove), boost (re-sort by boosted score), bury (move to the end, keeping
 * their order), pin (put at a 1-based position; pins that collide take the next free position, in rule
 * order). A rule matches an item when every field it names matches (each field lists alternatives),
 * while the request time is in [from, until) and the request kind is one of `requestKinds`.
 *
 * Boost caps: a factor must lie in [1 / maxBoostFactor, maxBoostFactor] (checked at load), and a
 * boosted item rises at most `maxLift` positions. A boost multiplies a positive score and divides a
 * negative one, so factor > 1 always helps.
 */

import { z } from 'zod';
import { ITEM_KINDS, type ItemKind, type Reranker, type RequestKind, type ScoredCandidate, type StageContext } from '../core/index.js';
import type { ItemAttributes } from './item-attributes.js';
import { recordMoves } from './reorder.js';

const REQUEST_KINDS = ['search', 'browse', 'recommend', 'similar'] as const;
const names = z.array(z.string().min(1)).min(1);

const MatchSchema = z
  .strictObject({
    ids: names.optional(),
    brands: names.optional(),
    shops: names.optional(),
    /** Category keys (`数码>手机`): an item matches when its leaf category is one of them or below. */
    categories: names.optional(),
    kinds: z.array(z.enum(ITEM_KINDS)).min(1).optional(),
  })
  .refine((m) => Object.keys(m).length > 0, { message: 'match must name at least one of ids, brands, shops, categories, kinds' });

const RuleSchema = z
  .strictObject({
    /** Names the rule in traces (default: `<action> #<index>`). */
    name: z.string().min(1).optional(),
    action: z.enum(['pin', 'bury', 'filter', 'boost'], { error: (i) => `unknown action ${JSON.stringify(i.input)}, expected pin, bury, filter or boost` }),
    match: MatchSchema,
    /** pin: the 1-based position. */
    position: z.int().min(1).optional(),
    /** boost: the score factor. */
    factor: z.number().positive().finite().optional(),
    from: z.int().nonnegative().optional(),
    until: z.int().nonnegative().optional(),
    requestKinds: z.array(z.enum(REQUEST_KINDS)).min(1).optional(),
  })
  .superRefine((rule, ctx) => {
    if (rule.action === 'pin' && rule.position === undefined) ctx.addIssue({ code: 'custom', path: ['position'], message: 'a pin rule needs a position' });
    if (rule.action === 'boost' && rule.factor === undefined) ctx.addIssue({ code: 'custom', path: ['factor'], message: 'a boost rule needs a factor' });
    if (rule.from !== undefined && rule.until !== undefined && rule.until <= rule.from) {
      ctx.addIssue({ code: 'custom', path: ['until'], message: `until ${rule.until} must be after from ${rule.from}` });
    }
  });
export type BusinessRule = z.output<typeof RuleSchema>;

export interface BusinessRulesConfig {
  rules: BusinessRule[];
  maxBoostFactor: number;
  maxLift: number;
}

export const DEFAULT_BUSINESS_RULES_CONFIG: BusinessRulesConfig = { rules: [], maxBoostFactor: 10, maxLift: 20 };

export const businessRulesShape = {
  rules: z.array(RuleSchema).max(1_000).default(DEFAULT_BUSINESS_RULES_CONFIG.rules),
  maxBoostFactor: z.number().min(1, 'maxBoostFactor must be at least 1').finite().default(DEFAULT_BUSINESS_RULES_CONFIG.maxBoostFactor),
  maxLift: z.int().min(0, 'maxLift must not be negative').default(DEFAULT_BUSINESS_RULES_CONFIG.maxLift),
};

/** A boost factor outside the cap is a configuration error, reported at the rule's factor. */
export function checkBoostCaps(config: { rules: BusinessRule[]; maxBoostFactor: number }, ctx: z.RefinementCtx): void {
  config.rules.forEach((rule, i) => {
    const f = rule.factor;
    if (rule.action === 'boost' && f !== undefined && (f > config.maxBoostFactor || f < 1 / config.maxBoostFactor)) {
      ctx.addIssue({ code: 'custom', path: ['rules', i, 'factor'], message: `boost factor ${f} is outside the cap [1/${config.maxBoostFactor}, ${config.maxBoostFactor}]` });
    }
  });
}
export const BusinessRulesConfigSchema = z.strictObject(businessRulesShape).superRefine(checkBoostCaps);

export class BusinessRulesReranker implements Reranker {
  readonly name = 'rules';

  constructor(
    private readonly attributes: ItemAttributes,
    private readonly config: BusinessRulesConfig = DEFAULT_BUSINESS_RULES_CONFIG,
  ) {}

  rerank(context: StageContext, list: readonly ScoredCandidate[]): ScoredCandidate[] {
    const active = this.config.rules
      .map((rule, index) => ({ rule, label: rule.name ?? `${rule.action} #${index}` }))
      .filter(({ rule }) => isActive(rule, context.time, context.kind));
    if (active.length === 0) return list.slice();
    const why = new Map<number, string>();
    const of = (action: BusinessRule['action']) => active.filter((a) => a.rule.action === action);
    const matching = (label: string, rule: BusinessRule) => (c: ScoredCandidate) => {
      const hit = this.matches(rule, c.docId);
      if (hit) why.set(c.docId, label);
      return hit;
    };
    let out = list.filter((c) => !of('filter').some(({ rule, label }) => matching(label, rule)(c)));
    const filtered = list.length - out.length;
    out = this.boost(out, of('boost'), why);
    for (const { rule, label } of of('bury')) {
      const hit = matching(label, rule);
      out = out.filter((c) => !hit(c)).concat(out.filter(hit));
    }
    out = this.pin(out, of('pin'), why);
    context.trace.annotate(this.name, { active: active.map((a) => a.label), filtered });
    recordMoves(context, this.name, { before: list, after: out }, (docId) => {
      const label = why.get(docId);
      return label === undefined ? 'rules: moved by the rules applied to other items' : `rules: ${label}`;
    });
    return out;
  }

  private matches(rule: BusinessRule, docId: number): boolean {
    const m = rule.match;
    const a = this.attributes;
    const is = (values: string[] | undefined, value: string | undefined) => values === undefined || (value !== undefined && values.includes(value));
    if (!is(m.ids, a.id(docId)) || !is(m.brands, a.group(docId, 'brand')) || !is(m.shops, a.group(docId, 'shop'))) return false;
    if (m.kinds !== undefined && !m.kinds.includes(a.kind(docId) as ItemKind)) return false;
    if (m.categories !== undefined) {
      const key = a.group(docId, 'category');
      return key !== undefined && m.categories.some((c) => key === c || key.startsWith(`${c}>`));
    }
    return true;
  }

  /**
   * Re-sorts by boosted score with the lift cap: position p is filled with the best boosted score among
   * the items whose input position is at most p + maxLift, so nothing rises more than maxLift places.
   * O(n · pool): the pool holds the items within reach that are not placed yet.
   */
  private boost(list: ScoredCandidate[], boosts: { rule: BusinessRule; label: string }[], why: Map<number, string>): ScoredCandidate[] {
    if (boosts.length === 0) return list;
    const key = list.map((c) => {
      let score = c.score;
      for (const { rule, label } of boosts) {
        if (!this.matches(rule, c.docId)) continue;
        const f = rule.factor ?? 1;
        score = score >= 0 ? score * f : score / f;
        why.set(c.docId, `${label} (score × ${f})`);
      }
      return score;
    });
    const out: ScoredCandidate[] = [];
    const pool: number[] = [];
    let reach = 0;
    for (let p = 0; p < list.length; p++) {
      for (; reach < list.length && reach <= p + this.config.maxLift; reach++) pool.push(reach);
      let best = 0;
      for (let k = 1; k < pool.length; k++) {
        const i = pool[k] as number;
        const b = pool[best] as number;
        if ((key[i] as number) > (key[b] as number) || (key[i] === key[b] && i < b)) best = k;
      }
      out.push(list[pool.splice(best, 1)[0] as number] as ScoredCandidate);
    }
    return out;
  }

  private pin(list: ScoredCandidate[], pins: { rule: BusinessRule; label: string }[], why: Map<number, string>): ScoredCandidate[] {
    if (pins.length === 0) return list;
    const slots: (ScoredCandidate | undefined)[] = new Array<ScoredCandidate | undefined>(list.length).fill(undefined);
    const pinned = new Set<number>();
    for (const { rule, label } of pins) {
      let position = (rule.position ?? 1) - 1;
      for (const c of list) {
        if (pinned.has(c.docId) || !this.matches(rule, c.docId)) continue;
        while (position < slots.length && slots[position] !== undefined) position++;
        if (position >= slots.length) break;
        slots[position] = c;
        pinned.add(c.docId);
        why.set(c.docId, `${label} (pinned at ${position + 1})`);
      }
    }
    const rest = list.filter((c) => !pinned.has(c.docId));
    let next = 0;
    return slots.map((slot) => slot ?? (rest[next++] as ScoredCandidate));
  }
}

function isActive(rule: BusinessRule, time: number, kind: RequestKind): boolean {
  return (rule.from === undefined || time >= rule.from) && (rule.until === undefined || time < rule.until) && (rule.requestKinds === undefined || rule.requestKinds.includes(kind));
}
