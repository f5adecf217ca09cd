import { InvalidArgumentError } from '../core/index.js';

const LOG2_LIMIT = 512; // rebase before 2^x can overflow a float64 (max ~2^1023)
// Reading at a time far before the reference would overflow (2^+huge); values stay below 2^(512+~30),
// so scaling by at most 2^400 keeps every product finite. Such a read only happens for a request
// dated long before the data; its values keep their order, not their size.
const READ_LOG2_LIMIT = 400;

/**
 * Exponentially time-decayed sums per slot: each addition of `w` at time `t` contributes
 * `w * 2^(-(now - t) / halfLife)` at time `now`.
 *
 * Values are kept scaled to a reference time (`value * 2^((t - ref) / halfLife)` is added), so an
 * update is O(1) and reading is one multiplication; the reference moves forward (all slots rescaled)
 * only when the exponent would grow too large.
 */
export class DecayedCounter {
  private values: Float64Array;
  private referenceTime: number;
  readonly halfLifeMs: number;

  constructor(options: { halfLifeMs: number; capacity?: number; referenceTime?: number }) {
    if (!(options.halfLifeMs > 0)) {
      throw new InvalidArgumentError(`halfLifeMs must be > 0, got ${options.halfLifeMs}`);
    }
    this.halfLifeMs = options.halfLifeMs;
    this.values = new Float64Array(Math.max(16, options.capacity ?? 16));
    this.referenceTime = options.referenceTime ?? 0;
  }

  /** Adds `weight` at `time` to `slot`. */
  add(slot: number, weight: number, time: number): void {
    this.ensureCapacity(slot + 1);
    let exponent = (time - this.referenceTime) / this.halfLifeMs;
    if (exponent > LOG2_LIMIT) {
      this.rebase(time);
      exponent = 0;
    }
    this.values[slot] = (this.values[slot] as number) + weight * Math.pow(2, exponent);
  }

  /** The decayed value of `slot` as of `time`. */
  valueAt(slot: number, time: number): number {
    // Direct, not through at(): hot in feature extraction, and a closure per call is not free.
    const scale = Math.pow(2, Math.min(READ_LOG2_LIMIT, (this.referenceTime - time) / this.halfLifeMs));
    return (this.values[slot] ?? 0) * scale;
  }

  /**
   * All slots as of `time`, for reading many at once: `value(slot)` costs one multiplication.
   * Valid until the next `add`.
   */
  at(time: number): (slot: number) => number {
    const values = this.values;
    const scale = Math.pow(2, Math.min(READ_LOG2_LIMIT, (this.referenceTime - time) / this.halfLifeMs));
    return (slot) => (values[slot] ?? 0) * scale;
  }

  /** The scaled values: proportional to the decayed values at any single time, for ranking. */
  rawValues(): Float64Array {
    return this.values;
  }

  /** Sets a slot to zero (an item removed). */
  clear(slot: number): void {
    if (slot < this.values.length) this.values[slot] = 0;
  }

  private rebase(time: number): void {
    const factor = Math.pow(2, (this.referenceTime - time) / this.halfLifeMs);
    for (let i = 0; i < this.values.length; i++) this.values[i] = (this.values[i] as number) * factor;
    this.referenceTime = time;
  }

  private ensureCapacity(size: number): void {
    if (size <= this.values.length) return;
    const grown = new Float64Array(Math.max(size, this.values.length * 2));
    grown.set(this.values);
    this.values = grown;
  }
}
