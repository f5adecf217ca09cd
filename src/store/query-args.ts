/**
 * Checks of the arguments of store reads (ranges, limits). Records are validated by `core` before they
 * reach the store; these arguments are not, and a NaN bound would otherwise match nothing silently.
 */

import { InvalidArgumentError } from '../core/index.js';

/**
 * A time bound in epoch milliseconds, or undefined when absent.
 * @throws InvalidArgumentError when the bound is not a finite number.
 */
export function readTime(time: number | undefined, field: string): number | undefined {
  if (time !== undefined && !Number.isFinite(time)) {
    throw new InvalidArgumentError(`${field} must be epoch milliseconds, got ${time}`, {
      issues: [{ path: [field], message: 'must be a finite number' }],
    });
  }
  return time;
}

/**
 * A count such as a limit, or undefined when absent.
 * @throws InvalidArgumentError when the count is not a non-negative integer.
 */
export function readCount(count: number | undefined, field: string): number | undefined {
  if (count !== undefined && (!Number.isInteger(count) || count < 0)) {
    throw new InvalidArgumentError(`${field} must be a non-negative integer, got ${count}`, {
      issues: [{ path: [field], message: 'must be a non-negative integer' }],
    });
  }
  return count;
}
