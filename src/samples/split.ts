import { InvalidArgumentError, Rng, type Seed } from '../core/index.js';
import type { Sample } from './sample-builder.js';

export interface TimeSplit<T> {
  train: T[];
  valid: T[];
  test: T[];
  /** The first impression time of valid and of test (epoch ms). */
  validFrom: number;
  testFrom: number;
}

/**
 * Splits samples by impression time: the earliest `fractions[0]` of them train, the next `fractions[1]`
 * validate, the rest test. All samples of one request fall on the same side (the cut moves to a
 * request boundary), and nothing in valid or test is earlier than anything in train.
 * @throws InvalidArgumentError when the fractions are not in (0, 1) or sum to 1 or more.
 */
export function splitByTime<T extends Pick<Sample, 'time' | 'requestId'>>(samples: readonly T[], fractions: [number, number] = [0.8, 0.1]): TimeSplit<T> {
  const [trainShare, validShare] = fractions;
  if (!(trainShare > 0 && validShare >= 0 && trainShare + validShare < 1)) {
    throw new InvalidArgumentError(`split fractions must be > 0 and sum below 1, got ${trainShare} and ${validShare}`);
  }
  const sorted = [...samples].sort((a, b) => a.time - b.time);
  const cut = (share: number) => {
    let at = Math.floor(sorted.length * share);
    while (at > 0 && at < sorted.length && sorted[at]?.requestId === sorted[at - 1]?.requestId) at++;
    return at;
  };
  const validAt = cut(trainShare);
  const testAt = Math.max(validAt, cut(trainShare + validShare));
  return {
    train: sorted.slice(0, validAt),
    valid: sorted.slice(validAt, testAt),
    test: sorted.slice(testAt),
    validFrom: sorted[validAt]?.time ?? Infinity,
    testFrom: sorted[testAt]?.time ?? Infinity,
  };
}

/**
 * Keeps every positive and each negative with probability `rate` (seeded). A model trained on the
 * result over-predicts; the models' `downsamplingCorrection` calibration step undoes it at prediction time.
 * @throws InvalidArgumentError when rate is not in (0, 1].
 */
export function downsampleNegatives<T>(samples: readonly T[], isPositive: (sample: T) => boolean, rate: number, seed: Seed): T[] {
  if (!(rate > 0 && rate <= 1)) throw new InvalidArgumentError(`negative sampling rate must be in (0, 1], got ${rate}`);
  if (rate === 1) return [...samples];
  const rng = new Rng(seed).fork('downsample');
  return samples.filter((sample) => isPositive(sample) || rng.next() < rate);
}
