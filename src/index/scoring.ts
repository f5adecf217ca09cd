/**
 * BM25F as Robertson & Zaragoza define it ("The Probabilistic Relevance Framework: BM25 and Beyond",
 * 2009, eqs. 3.18-3.20): first combine the field-weighted, length-normalised term frequencies, then
 * saturate once:
 *
 *   tf~(t, d) = Σ_f w_f · tf_f(t, d) / B_f(d),   B_f(d) = (1 − b_f) + b_f · len_f(d) / avglen_f
 *   score(t, d) = idf(t) · tf~ / (k1 + tf~)
 *   idf(t) = ln(1 + (N − df + 0.5) / (df + 0.5))       (Lucene's form: never negative)
 *
 * The (k1 + 1) numerator factor of classic BM25 is left out: it scales every score of a query alike.
 */

/** idf(t) with N live docs, df of them holding the term. */
export function idf(docCount: number, docFreq: number): number {
  return Math.log(1 + (docCount - docFreq + 0.5) / (docFreq + 0.5));
}

/** tf~ / (k1 + tf~): the saturated, normalised frequency in [0, 1). */
export function saturate(tfNorm: number, k1: number): number {
  return tfNorm / (k1 + tfNorm);
}

/**
 * Per-field constants of B_f for one set of average lengths: score code computes
 * w_f · tf / (oneMinusB_f + bOverAvg_f · len) without a division by avglen.
 */
export class FieldNorms {
  /** [fields] */
  readonly weight: Float64Array;
  readonly oneMinusB: Float64Array;
  readonly bOverAvg: Float64Array;

  constructor(weights: readonly number[], bs: readonly number[], averages: ArrayLike<number>) {
    const n = weights.length;
    this.weight = Float64Array.from(weights);
    this.oneMinusB = new Float64Array(n);
    this.bOverAvg = new Float64Array(n);
    for (let f = 0; f < n; f++) {
      const b = bs[f] as number;
      this.oneMinusB[f] = 1 - b;
      this.bOverAvg[f] = b / (averages[f] as number);
    }
  }

  /** w_f · tf / B_f for a field of length `length`. */
  term(field: number, termFreq: number, length: number): number {
    return ((this.weight[field] as number) * termFreq) / ((this.oneMinusB[field] as number) + (this.bOverAvg[field] as number) * length);
  }
}

/**
 * How MaxScore bounds stay valid while the average lengths drift (docs added or deleted): a term's
 * `maxTfNorm` is computed against reference averages. If the current average of field f is larger,
 * B_f shrinks by at most avg_now / avg_ref, so tf~ grows by at most that ratio; if it is smaller,
 * B_f grows and tf~ shrinks. So max tf~ now <= maxTfNorm · max_f max(1, avg_now_f / avg_ref_f), and
 * the saturation is monotone. When the drift passes `maxDrift`, the epoch changes and bounds are
 * recomputed lazily, term by term, at their next query.
 */
export class NormEpoch {
  epoch = 0;
  reference: Float64Array;
  /** Ratio of current to reference averages at which bounds are recomputed rather than inflated. */
  static readonly maxDrift = 1.05;

  constructor(fieldCount: number) {
    this.reference = new Float64Array(fieldCount).fill(1);
  }

  /** Moves to a new epoch when any field's average drifted too far; returns the inflation ratio to apply. */
  sync(averages: ArrayLike<number>): number {
    let ratio = 1;
    let drifted = false;
    for (let f = 0; f < this.reference.length; f++) {
      const r = (averages[f] as number) / (this.reference[f] as number);
      if (r > NormEpoch.maxDrift || r < 1 / NormEpoch.maxDrift) drifted = true;
      ratio = Math.max(ratio, r);
    }
    if (drifted) {
      this.renew(averages);
      return 1;
    }
    return ratio;
  }

  renew(averages: ArrayLike<number>): void {
    this.epoch++;
    this.reference = Float64Array.from(averages);
  }
}

/** Scores are compared with bounds summed in another order: inflate bounds past any rounding difference. */
export const BOUND_SLACK = 1 + 1e-9;
