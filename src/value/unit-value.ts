/**
 * What one attempt is worth, per currency (docs/value.md ("What an attempt is worth")): the journey's revenue per
 * success, or its fee rate times the mean amount of a sample of events, split by the currency each was paid in.
 */
import type { JourneyValue } from '../model/config.js';
import { type Money, money, sumByCurrency } from '../model/money.js';

/** Unrounded value of one attempt, one share per currency (shares add up to the mean value of an attempt). */
export type UnitValue = ReadonlyArray<{ currency: string; amount: number }>;

/** An amount an event carried. */
export interface EventAmount {
  amount?: number;
  currency?: string;
}

/**
 * The value of one attempt; null when the journey has no value, or values by fee and no event carries an amount.
 * @example unitValue({ currency: 'EUR', revenuePerSuccess: 0.9 }, []) // [{ currency: 'EUR', amount: 0.9 }]
 * @example unitValue({ currency: 'EUR', feeRate: 0.01 }, [{ amount: 100 }, { amount: 300, currency: 'GBP' }])
 * // [{ currency: 'EUR', amount: 0.5 }, { currency: 'GBP', amount: 1.5 }]
 */
export function unitValue(value: JourneyValue | undefined, sample: readonly EventAmount[]): UnitValue | null {
  if (!value) return null;
  if (value.revenuePerSuccess !== undefined) return [{ currency: value.currency, amount: value.revenuePerSuccess }];
  if (value.feeRate === undefined) return null;
  const withAmount = sample.filter((e) => typeof e.amount === 'number');
  if (withAmount.length === 0) return null;
  const sums = new Map<string, number>();
  for (const e of withAmount) sums.set(e.currency ?? value.currency, (sums.get(e.currency ?? value.currency) ?? 0) + e.amount!);
  return [...sums].map(([currency, sum]) => ({ currency, amount: (sum * value.feeRate!) / withAmount.length }));
}

/**
 * `count` attempts at `unit` each, rounded once per currency to its minor unit; largest first.
 * @example worth(3, [{ currency: 'EUR', amount: 0.9 }]) // [{ amount: 2.7, currency: 'EUR' }]
 */
export function worth(count: number, unit: UnitValue): Money[] {
  return sumByCurrency(unit.map((share) => money(count * share.amount, share.currency)));
}
