/**
 * The abandonment method (docs/value.md ("Abandonment")): a failure is recovered when the same customer succeeds
 * in the same journey within the retry window after it; the unrecovered failures are the customers lost.
 */
import type { Money } from '../model/money.js';
import { type EventAmount, type UnitValue, worth } from './unit-value.js';

/** 30 minutes: the retry window of docs/value.md ("Abandonment"). */
export const RETRY_WINDOW_MS = 30 * 60_000;

export interface FailureEvent extends EventAmount {
  /** Epoch ms. */
  timestamp: number;
  customerId?: string;
}

export interface SuccessEvent {
  timestamp: number;
  customerId?: string;
}

export interface Recoveries {
  recovered: number;
  unrecovered: number;
  /** The failures left unrecovered, for their amounts. */
  lostFailures: FailureEvent[];
}

/** Index of the first element of ascending `times` greater than `t`. */
function firstAfter(times: readonly number[], t: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (times[mid]! <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Classify failures: recovered when the same `customerId` has a success with timestamp in (t, t + window]; a failure
 * without customerId is never recovered. Failures whose window reaches past `seenUntil` (the successes read stop
 * there) are left out, so that a success not read cannot turn into a loss.
 * @example classifyRecoveries([{ timestamp: 0, customerId: 'c' }], [{ timestamp: 60_000, customerId: 'c' }]).recovered // 1
 */
export function classifyRecoveries(
  failures: readonly FailureEvent[],
  successes: readonly SuccessEvent[],
  windowMs = RETRY_WINDOW_MS,
  seenUntil = Number.POSITIVE_INFINITY,
): Recoveries {
  const byCustomer = new Map<string, number[]>();
  for (const s of successes) {
    if (s.customerId === undefined || s.customerId === '') continue;
    let times = byCustomer.get(s.customerId);
    if (!times) {
      times = [];
      byCustomer.set(s.customerId, times);
    }
    times.push(s.timestamp);
  }
  for (const times of byCustomer.values()) times.sort((a, b) => a - b);
  let recovered = 0;
  const lostFailures: FailureEvent[] = [];
  for (const f of failures) {
    const customer = f.customerId === undefined || f.customerId === '' ? undefined : f.customerId;
    if (customer === undefined) {
      lostFailures.push(f);
      continue;
    }
    if (f.timestamp + windowMs > seenUntil) continue;
    const times = byCustomer.get(customer);
    const next = times ? times[firstAfter(times, f.timestamp)] : undefined;
    if (next !== undefined && next <= f.timestamp + windowMs) recovered++;
    else lostFailures.push(f);
  }
  return { recovered, unrecovered: lostFailures.length, lostFailures };
}

export interface AbandonmentEstimate {
  lost: Money[];
  unrecovered: number;
  recovered: number;
  /** Failures classified (all of them, or the sample the share was taken from). */
  classified: number;
  sampled: boolean;
}

/**
 * Scale the classified share to every failure of the period: unrecovered = round(failures × unrecovered ÷ classified).
 * Null when there were failures but none could be classified.
 * @example abandonmentLoss(10, { recovered: 3, unrecovered: 1, lostFailures: [] }, [{ currency: 'EUR', amount: 2 }])
 * // { unrecovered: 3, recovered: 7, lost: [{ amount: 6, currency: 'EUR' }], classified: 4, sampled: true } (3 = round(10 × 1 ÷ 4))
 */
export function abandonmentLoss(failures: number, classified: Recoveries, unit: UnitValue): AbandonmentEstimate | null {
  const seen = classified.recovered + classified.unrecovered;
  if (failures === 0) return { lost: [], unrecovered: 0, recovered: 0, classified: 0, sampled: false };
  if (seen === 0) return null;
  const unrecovered = seen === failures ? classified.unrecovered : Math.round((failures * classified.unrecovered) / seen);
  return { lost: worth(unrecovered, unit), unrecovered, recovered: failures - unrecovered, classified: seen, sampled: seen !== failures };
}
