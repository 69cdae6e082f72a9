/**
 * Money with its currency. Amounts in different currencies are never added: a total over several
 * currencies is a list with one amount per currency (docs/alerting.md ("Money and currencies")).
 *
 * Amounts are in major units (euros, not cents) and always hold a whole number of the currency's
 * minor units (ISO 4217: 2 for EUR, 0 for JPY, 3 for BHD). Sums are done on integer minor units, so
 * adding 0.1 + 0.2 euros is exactly 0.3 euros, however many amounts are added; estimates that are not
 * whole minor units (a rate times a price) are rounded once, when they become Money.
 */

import type { Money } from '../api/money.js';

export type { Money };

/** One amount per currency, largest first (ties by currency code); empty when there is nothing. */
export type MoneyTotals = Money[];

const minorDigitsCache = new Map<string, number>();

/**
 * The currency's minor-unit digits as Intl knows them (2 when Intl does not know the code).
 * @example minorDigits('EUR') // 2
 * @example minorDigits('JPY') // 0
 */
export function minorDigits(currency: string): number {
  let digits = minorDigitsCache.get(currency);
  if (digits === undefined) {
    try {
      digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
    } catch {
      digits = 2;
    }
    minorDigitsCache.set(currency, digits);
  }
  return digits;
}

/** The amount in integer minor units (cents for EUR). */
function toMinor(amount: number, currency: string): number {
  return Math.round(amount * 10 ** minorDigits(currency));
}

function fromMinor(minor: number, currency: string): number {
  // Dividing an integer by a power of ten gives the nearest double to the decimal amount: no drift
  // (and `+ 0` turns a rounded −0 into 0).
  return minor / 10 ** minorDigits(currency) + 0;
}

/**
 * Money from an amount in major units, rounded to the currency's minor unit.
 * @example money(38_025.456, 'EUR') // { amount: 38025.46, currency: 'EUR' }
 */
export function money(amount: number, currency: string): Money {
  return { amount: fromMinor(toMinor(amount, currency), currency), currency };
}

/**
 * Adds two amounts of the same currency; a different currency is a programming error, never a sum.
 * @example addMoney(money(0.1, 'EUR'), money(0.2, 'EUR')) // { amount: 0.3, currency: 'EUR' }
 */
export function addMoney(a: Money, b: Money): Money {
  if (a.currency !== b.currency)
    throw new TypeError(`cannot add ${a.currency} to ${b.currency}: amounts in different currencies are never summed`);
  return { amount: fromMinor(toMinor(a.amount, a.currency) + toMinor(b.amount, b.currency), a.currency), currency: a.currency };
}

/**
 * Totals per currency: amounts of one currency add up, different currencies stay apart. Zero totals are
 * left out; the result is sorted by amount, largest first, then by currency code.
 * @example sumByCurrency([money(10, 'EUR'), money(5, 'GBP'), money(2.5, 'EUR')])
 * // [{ amount: 12.5, currency: 'EUR' }, { amount: 5, currency: 'GBP' }]
 */
export function sumByCurrency(amounts: Iterable<Money>): MoneyTotals {
  const minor = new Map<string, number>();
  for (const m of amounts) minor.set(m.currency, (minor.get(m.currency) ?? 0) + toMinor(m.amount, m.currency));
  const totals: MoneyTotals = [];
  for (const [currency, units] of minor) if (units !== 0) totals.push({ amount: fromMinor(units, currency), currency });
  return totals.sort((a, b) => b.amount - a.amount || (a.currency < b.currency ? -1 : a.currency > b.currency ? 1 : 0));
}

/**
 * The amount of one currency in a list of totals (0 when absent).
 * @example amountIn([money(12.5, 'EUR')], 'GBP') // 0
 */
export function amountIn(totals: readonly Money[], currency: string): number {
  return totals.find((m) => m.currency === currency)?.amount ?? 0;
}

const CURRENCY_SYMBOLS: Readonly<Record<string, string>> = { EUR: '€', GBP: '£', USD: '$' };
const whole = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** One decimal below 10 (trailing .0 dropped), whole above. */
function shortNumber(value: number): string {
  const tenths = Math.round(value * 10) / 10;
  return tenths < 10 ? String(tenths) : whole.format(Math.round(value));
}

/**
 * An amount with the currency symbol (€, £, $; otherwise the ISO code and a space) and k/M
 * abbreviations, as notifications and the CLI say it.
 * @example formatAmount(38_400, 'EUR') // '€38k'
 * @example formatAmount(1_500, 'CHF') // 'CHF 1.5k'
 * @example formatAmount(4.5, 'GBP') // '£4.50'
 */
export function formatAmount(amount: number, currency: string | null): string {
  const prefix = currency === null ? '' : (CURRENCY_SYMBOLS[currency] ?? `${currency} `);
  const sign = amount < 0 ? '-' : '';
  const value = Math.abs(amount);
  let text: string;
  if (value < 9.995) text = Number.isInteger(value) ? String(value) : value.toFixed(2);
  else if (Math.round(value) < 1000) text = String(Math.round(value));
  else if (Math.round(value / 1000) < 1000) text = `${shortNumber(value / 1000)}k`;
  else text = `${shortNumber(value / 1_000_000)}M`;
  return `${sign}${prefix}${text}`;
}

/**
 * Money in words: `formatAmount` of the amount in its own currency.
 * @example formatMoney(money(38_400, 'EUR')) // '€38k'
 */
export function formatMoney(m: Money): string {
  return formatAmount(m.amount, m.currency);
}

/**
 * Totals in several currencies, each in its own currency and joined by " + " (largest first), with an
 * optional suffix on each amount; null when there is no amount.
 * @example formatMoneyTotals([money(38_000, 'EUR'), money(2_100, 'GBP')], '/h') // '€38k/h + £2.1k/h'
 */
export function formatMoneyTotals(totals: readonly Money[], suffix = ''): string | null {
  if (totals.length === 0) return null;
  return totals.map((m) => `${formatMoney(m)}${suffix}`).join(' + ');
}
