/**
 * Time in whole UTC minutes and the per-minute rows that every layer shares: the store keeps them,
 * the engine folds them into series, the append use case hands them from one to the other.
 * See docs/slo-maths.md ("Minutes and windows").
 */

export const MS_PER_MINUTE = 60_000;

/** Whole UTC minutes since the epoch: Math.floor(ms / 60_000). */
export type EpochMinute = number;

/**
 * The whole UTC minute an epoch-millisecond timestamp falls in.
 * @example minuteOf(Date.UTC(2026, 10, 26, 10, 0, 59_999)) === minuteOf(Date.UTC(2026, 10, 26, 10, 0))
 */
export function minuteOf(ms: number): EpochMinute {
  return Math.floor(ms / MS_PER_MINUTE);
}

/** Counts of each outcome of a scope. */
export interface OutcomeCounts {
  success: number;
  failure: number;
  rejected: number;
  abandoned: number;
}

/** Good and total events of one SLI (by its definition key) in one minute. */
export interface SliMinute {
  key: string;
  minute: EpochMinute;
  good: number;
  total: number;
}

/** Outcome counts of one scope (a journey's step, or the whole journey when step is null) in one minute. */
export interface ScopeMinute extends OutcomeCounts {
  journey: string;
  step: string | null;
  minute: EpochMinute;
}
