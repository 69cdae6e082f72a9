/** The direct method (docs/value.md ("Direct")): the value of every failed attempt. */
import type { Money } from '../model/money.js';
import { type UnitValue, worth } from './unit-value.js';

export interface DirectEstimate {
  failures: number;
  /** One amount per currency, largest first. */
  lost: Money[];
}

/**
 * Failures × the value of an attempt.
 * @example directLoss(6021, [{ currency: 'EUR', amount: 0.9 }]) // { failures: 6021, lost: [{ amount: 5418.9, currency: 'EUR' }] }
 */
export function directLoss(failures: number, unit: UnitValue): DirectEstimate {
  return { failures, lost: worth(failures, unit) };
}
