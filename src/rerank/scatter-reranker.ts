import { z } from 'zod';
import type { Reranker, ScoredCandidate, StageContext } from '../core/index.js';
import { GroupAttributeSchema, internGroups, type GroupAttribute, type ItemAttributes } from './item-attributes.js';
import { applyOrder, recordMoves } from './reorder.js';
import { scatter, type ScatterResult } from './scatter.js';

export interface ScatterRuleConfig {
  attribute: GroupAttribute;
  /** Window length in positions. */
  window: number;
  /** At most this many items with the same value in any `window` consecutive positions. */
  max: number;
}

export interface ScatterConfig {
  /** Most important first: when they cannot all hold, the last ones give way first. */
  rules: ScatterRuleConfig[];
  /** Backtracks allowed to the exact search before the best effort (see scatter.ts). */
  backtrackLimit: number;
}

export const DEFAULT_SCATTER_CONFIG: ScatterConfig = {
  rules: [
    { attribute: 'brand', window: 6, max: 2 },
    { attribute: 'category', window: 6, max: 3 },
  ],
  backtrackLimit: 1_000,
};

export const ScatterRuleSchema = z
  .strictObject({
    attribute: GroupAttributeSchema,
    window: z.int().min(2, 'window must be at least 2 positions').max(10_000),
    max: z.int().min(1, 'max must be at least 1 (use a filter rule to remove items)'),
  })
  .superRefine((rule, ctx) => {
    if (rule.max >= rule.window) {
      ctx.addIssue({
        code: 'custom',
        path: ['window'],
        message: `window ${rule.window} must be larger than max ${rule.max}, or the ${rule.attribute} rule never applies`,
      });
    }
  });

export const scatterShape = {
  rules: z.array(ScatterRuleSchema).min(1, 'at least one rule').max(16, 'at most 16 rules').default(DEFAULT_SCATTER_CONFIG.rules),
  backtrackLimit: z.int().min(0).max(1_000_000).default(DEFAULT_SCATTER_CONFIG.backtrackLimit),
};
export const ScatterConfigSchema = z.strictObject(scatterShape);

/** `brand ≤ 2 per 6`: how a rule is named in traces. */
export function ruleLabel(rule: ScatterRuleConfig): string {
  return `${rule.attribute} ≤ ${rule.max} per ${rule.window}`;
}

/**
 * Scatter rules ("at most m items with the same brand in any w positions"), several at once, keeping
 * relevance order as far as they allow; when they cannot all hold, the least important rule gives way
 * and the trace says where and which (`relaxed` in the stage detail, and the item's move).
 */
export class ScatterReranker implements Reranker {
  readonly name = 'scatter';

  constructor(
    private readonly attributes: ItemAttributes,
    private readonly config: ScatterConfig = DEFAULT_SCATTER_CONFIG,
  ) {}

  rerank(context: StageContext, list: readonly ScoredCandidate[]): ScoredCandidate[] {
    if (list.length <= 1) return list.slice();
    const docIds = Int32Array.from(list, (c) => c.docId);
    const interned = new Map<GroupAttribute, Int32Array>();
    const codes = this.config.rules.map((rule) => {
      let column = interned.get(rule.attribute);
      if (column === undefined) interned.set(rule.attribute, (column = internGroups(this.attributes, docIds, rule.attribute).codes));
      return column;
    });
    const result = scatter({ rules: this.config.rules, codes, backtrackLimit: this.config.backtrackLimit });
    const out = applyOrder(list, result.order, 'append');
    context.trace.annotate(this.name, {
      rules: this.config.rules.map(ruleLabel),
      valid: result.valid,
      bestEffort: result.bestEffort,
      backtracks: result.backtracks,
      relaxed: result.relaxations.map((r) => ({
        position: r.position + 1,
        docId: out[r.position]?.docId,
        rules: r.rules.map((i) => ruleLabel(this.config.rules[i] as ScatterRuleConfig)),
      })),
    });
    if (context.trace.detailed) this.explain(context, { list, out, result });
    return out;
  }

  private explain(context: StageContext, run: { list: readonly ScoredCandidate[]; out: ScoredCandidate[]; result: ScatterResult }): void {
    const relaxedAt = new Map(run.result.relaxations.map((r) => [r.position + 1, r.rules]));
    const all = this.config.rules.map(ruleLabel).join(', ');
    recordMoves(context, this.name, { before: run.list, after: run.out }, (_docId, from, to) => {
      const gaveWay = relaxedAt.get(to);
      if (gaveWay !== undefined) {
        const names = gaveWay.map((i) => ruleLabel(this.config.rules[i] as ScatterRuleConfig)).join(', ');
        return `scatter: placed here although ${names} gave way (no remaining item satisfied every rule)`;
      }
      return to > from ? `scatter: deferred by the rules (${all})` : 'scatter: moved up as items above were deferred';
    });
  }
}
