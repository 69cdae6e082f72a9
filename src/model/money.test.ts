import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addMoney, amountIn, formatAmount, formatMoneyTotals, minorDigits, money, sumByCurrency } from './money.js';

describe('money', () => {
  it('rounds to the minor unit of the currency', () => {
    expect(money(38_025.456, 'EUR')).toEqual({ amount: 38_025.46, currency: 'EUR' });
    expect(money(1234.5, 'JPY')).toEqual({ amount: 1235, currency: 'JPY' });
    expect(money(1.2345, 'BHD')).toEqual({ amount: 1.235, currency: 'BHD' });
    expect(money(-0.001, 'EUR').amount).toBe(0);
    expect(Object.is(money(-0.001, 'EUR').amount, 0)).toBe(true);
    expect([minorDigits('EUR'), minorDigits('JPY'), minorDigits('BHD')]).toEqual([2, 0, 3]);
  });

  it('adds amounts of one currency exactly, and refuses to add two currencies', () => {
    expect(addMoney(money(0.1, 'EUR'), money(0.2, 'EUR'))).toEqual({ amount: 0.3, currency: 'EUR' });
    expect(() => addMoney(money(1, 'EUR'), money(1, 'GBP'))).toThrow(/never summed/);
  });

  it('keeps one total per currency, largest first, and never sums across currencies', () => {
    const totals = sumByCurrency([money(600, 'EUR'), money(900, 'GBP'), money(500, 'EUR'), money(0, 'USD')]);
    expect(totals).toEqual([
      { amount: 1100, currency: 'EUR' },
      { amount: 900, currency: 'GBP' },
    ]);
    expect(amountIn(totals, 'GBP')).toBe(900);
    expect(amountIn(totals, 'USD')).toBe(0);
    expect(sumByCurrency([money(5, 'GBP'), money(5, 'EUR')]).map((m) => m.currency)).toEqual(['EUR', 'GBP']);
    expect(sumByCurrency([])).toEqual([]);
  });

  it('does not drift however many cents are added, in any order', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 10_000_000 }), { maxLength: 200 }), (cents) => {
        const amounts = cents.map((c) => money(c / 100, 'EUR'));
        const expected = cents.reduce((a, b) => a + b, 0) / 100;
        const forward = sumByCurrency(amounts);
        const backward = sumByCurrency([...amounts].reverse());
        expect(amountIn(forward, 'EUR')).toBe(expected);
        expect(backward).toEqual(forward);
      }),
    );
  });

  it('says several currencies one by one', () => {
    expect(formatMoneyTotals([money(38_000, 'EUR'), money(2_100, 'GBP')], '/h')).toBe('€38k/h + £2.1k/h');
    expect(formatMoneyTotals([money(4.5, 'GBP')])).toBe('£4.50');
    expect(formatMoneyTotals([])).toBeNull();
  });
});

describe('formatAmount', () => {
  it.each<[number, string | null, string]>([
    [38_400, 'EUR', '€38k'],
    [38_000, 'GBP', '£38k'],
    [1_500, 'USD', '$1.5k'],
    [1_000, 'EUR', '€1k'],
    [9_960, 'EUR', '€10k'],
    [999, 'EUR', '€999'],
    [999.6, 'EUR', '€1k'],
    [120, 'GBP', '£120'],
    [4.5, 'GBP', '£4.50'],
    [3, 'EUR', '€3'],
    [0, 'EUR', '€0'],
    [2_400_000, 'EUR', '€2.4M'],
    [999_600, 'EUR', '€1M'],
    [15_000_000, 'GBP', '£15M'],
    [1_500, 'CHF', 'CHF 1.5k'],
    [250, 'SEK', 'SEK 250'],
    [38_000, null, '38k'],
    [-1_200, 'EUR', '-€1.2k'],
  ])('%d %s → %s', (amount, currency, text) => {
    expect(formatAmount(amount, currency)).toBe(text);
  });
});
