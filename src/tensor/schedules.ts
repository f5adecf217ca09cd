/**
 * Learning-rate schedules: pure functions from the step (0-based) to the rate. A training loop sets
 * `optimizer.lr = schedule(step)` before each step.
 *
 *   warmupCosine     linear warmup to baseLr, then cosine decay to minLr at totalSteps
 *                    (Loshchilov & Hutter 2017, SGDR eq. 5, without restarts)
 *   warmupMultiStep  linear warmup, then baseLr until 80% of the steps, 31.6% of it until 90%, then 10%
 *                    (DeepSeek LLM, Bi et al. 2024, §2.3: the multi-step schedule that matches cosine's
 *                    final loss and lets a run be continued from the first stage)
 */

import { InvalidArgumentError } from '../core/errors.js';

export type LrSchedule = (step: number) => number;

export interface WarmupOptions {
  baseLr: number;
  /** Steps of linear warmup from baseLr / warmupSteps to baseLr. */
  warmupSteps: number;
  totalSteps: number;
}

function check(options: WarmupOptions): void {
  const { baseLr, warmupSteps, totalSteps } = options;
  if (!(baseLr > 0) || !Number.isInteger(warmupSteps) || warmupSteps < 0 || !Number.isInteger(totalSteps) || totalSteps < warmupSteps) {
    throw new InvalidArgumentError(`schedule: need baseLr > 0 and integers 0 <= warmupSteps <= totalSteps, got ${baseLr}, ${warmupSteps}, ${totalSteps}`);
  }
}

const warmup = (step: number, options: WarmupOptions): number => (options.baseLr * (step + 1)) / options.warmupSteps;

/**
 * Linear warmup, then cosine decay to `minLr` (default 0).
 * @throws InvalidArgumentError for a non-positive rate or inconsistent step counts.
 */
export function warmupCosine(options: WarmupOptions & { minLr?: number }): LrSchedule {
  check(options);
  const minLr = options.minLr ?? 0;
  const { baseLr, warmupSteps, totalSteps } = options;
  return (step) => {
    if (step < warmupSteps) return warmup(step, options);
    const progress = Math.min(1, (step - warmupSteps) / Math.max(1, totalSteps - warmupSteps));
    return minLr + 0.5 * (baseLr - minLr) * (1 + Math.cos(Math.PI * progress));
  };
}

export const DEFAULT_MULTI_STEP = { milestones: [0.8, 0.9], factors: [0.316, 0.1] } as const;

/**
 * Linear warmup, then baseLr · factors[i] from milestones[i] · totalSteps on (DeepSeek LLM's
 * defaults: 31.6% after 80%, 10% after 90%).
 * @throws InvalidArgumentError for inconsistent milestones or step counts.
 */
export function warmupMultiStep(options: WarmupOptions & { milestones?: readonly number[]; factors?: readonly number[] }): LrSchedule {
  check(options);
  const milestones = options.milestones ?? DEFAULT_MULTI_STEP.milestones;
  const factors = options.factors ?? DEFAULT_MULTI_STEP.factors;
  if (milestones.length !== factors.length || milestones.some((m, i) => !(m > 0 && m <= 1) || (i > 0 && m <= (milestones[i - 1] as number)))) {
    throw new InvalidArgumentError(`warmupMultiStep: milestones [${milestones.join(', ')}] must rise within (0, 1] and match ${factors.length} factors`);
  }
  const boundaries = milestones.map((m) => Math.round(m * options.totalSteps));
  return (step) => {
    if (step < options.warmupSteps) return warmup(step, options);
    let factor = 1;
    boundaries.forEach((b, i) => {
      if (step >= b) factor = factors[i] as number;
    });
    return options.baseLr * factor;
  };
}
