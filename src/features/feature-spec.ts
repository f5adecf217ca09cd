import { z } from 'zod';

/**
 * The declarative feature specification: one entry per field (FFM's "field"). `fitFeaturizer` learns
 * each entry's parameters (quantile edges, vocabularies, means) on the training split; the fitted
 * featurizer is saved with the model so serving applies the very same transforms.
 */
const name = z.string().min(1).max(100);

export const NumericSpecSchema = z.strictObject({
  name,
  type: z.literal('numeric'),
  /** log(1 + max(0, x)) first (counts, prices). Default false. */
  log1p: z.boolean().default(false),
  /** Clip at these training quantiles, e.g. [0.001, 0.999]. Default none. */
  clip: z.tuple([z.number().min(0).max(1), z.number().min(0).max(1)]).optional(),
  /**
   * Quantile bucketing into at most this many buckets (one-hot; what FM/FFM use best). 0 keeps one
   * standardised value instead. Default 16.
   */
  buckets: z.int().min(0).max(1000).default(16),
});

export const CategoricalSpecSchema = z.strictObject({
  name,
  type: z.literal('categorical'),
  /** Values seen fewer times in training share one out-of-vocabulary feature. Default 1. */
  minCount: z.int().min(1).default(1),
  /** Hash values into this many features instead of keeping a vocabulary (0: vocabulary). Default 0. */
  hashBuckets: z.int().min(0).max(1 << 24).default(0),
});

export const SequenceSpecSchema = z.strictObject({
  name,
  type: z.literal('sequence'),
  minCount: z.int().min(1).default(1),
  /** Only the first (most recent) this many elements are pooled. Default 10. */
  maxLength: z.int().min(1).max(1000).default(10),
});

export const CrossSpecSchema = z.strictObject({
  name,
  type: z.literal('cross'),
  /** Two categorical or bucketed numeric features of the same spec. */
  of: z.tuple([name, name]),
  hashBuckets: z.int().min(1).max(1 << 24).default(1 << 16),
});

export const FeatureSpecEntrySchema = z.discriminatedUnion('type', [
  NumericSpecSchema,
  CategoricalSpecSchema,
  SequenceSpecSchema,
  CrossSpecSchema,
]);
export type FeatureSpecEntry = z.output<typeof FeatureSpecEntrySchema>;
export type FeatureSpecInput = z.input<typeof FeatureSpecEntrySchema>;

export const FeatureSpecSchema = z
  .array(FeatureSpecEntrySchema)
  .min(1)
  .superRefine((spec, ctx) => {
    const names = new Set<string>();
    spec.forEach((entry, i) => {
      if (names.has(entry.name)) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `field "${entry.name}" appears twice` });
      names.add(entry.name);
    });
    spec.forEach((entry, i) => {
      if (entry.type !== 'cross') return;
      for (const part of entry.of) {
        const target = spec.find((e) => e.name === part);
        if (target === undefined || target.type === 'cross' || target.type === 'sequence' || (target.type === 'numeric' && target.buckets === 0)) {
          ctx.addIssue({ code: 'custom', path: [i, 'of'], message: `"${part}" must name a categorical or bucketed numeric field of the spec` });
        }
      }
      if (entry.type === 'cross' && entry.of[0] === entry.of[1]) {
        ctx.addIssue({ code: 'custom', path: [i, 'of'], message: 'a cross needs two different fields' });
      }
    });
  });

const numeric = (n: string, extra: Partial<z.input<typeof NumericSpecSchema>> = {}): FeatureSpecInput => ({ name: n, type: 'numeric', ...extra });
const categorical = (n: string, minCount = 1): FeatureSpecInput => ({ name: n, type: 'categorical', minCount });

/** The default spec over the raw features of `FeatureContext.extract`. */
export const DEFAULT_FEATURE_SPEC: FeatureSpecInput[] = [
  categorical('position'),
  categorical('surface'),
  categorical('item_id', 5),
  categorical('brand', 3),
  categorical('shop', 3),
  categorical('category'),
  categorical('kind'),
  categorical('user_id', 5),
  categorical('query', 5),
  numeric('recall_score'),
  numeric('price', { log1p: true }),
  numeric('item_age_days', { buckets: 8 }),
  numeric('user_interactions', { buckets: 8 }),
  numeric('query_match', { buckets: 6 }),
  numeric('item_impressions', { log1p: true }),
  numeric('item_coec'),
  numeric('item_cvr'),
  numeric('brand_coec'),
  numeric('category_coec'),
  numeric('query_item_coec'),
  numeric('user_brand_affinity', { buckets: 6 }),
  numeric('user_category_affinity', { buckets: 6 }),
  numeric('price_vs_user', { buckets: 8 }),
  categorical('seed_category'),
  categorical('seed_brand'),
  numeric('seed_price_ratio', { buckets: 8 }),
  { name: 'user_brands', type: 'sequence', minCount: 3 },
  { name: 'user_categories', type: 'sequence' },
  { name: 'query_x_category', type: 'cross', of: ['query', 'category'] },
  // Recall scores are on a different scale per kind of list.
  { name: 'surface_x_recall_score', type: 'cross', of: ['surface', 'recall_score'], hashBuckets: 1024 },
];
