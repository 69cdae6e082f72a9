import { describe, expect, it } from 'vitest';
import {
  formatBudget,
  formatBurn,
  formatCount,
  formatDuration,
  formatFactor,
  formatMoney,
  formatValueAtRisk,
  formatPercent,
  formatSli,
  objectiveDecimals,
  timeFormat,
} from './format.js';

describe('formatPercent', () => {
  it.each([
    [0.71234, 1, '71.2%'],
    [0.99996, 2, '99.99%'],
    [1, 2, '100.00%'],
    [0, 1, '0.0%'],
    [0.29, 0, '29%'],
    [-0.7688, 1, '\u221276.8%'],
    [null, 2, '—'],
    [Number.NaN, 2, '—'],
  ])('%s with %s decimals is %s', (ratio, decimals, expected) => {
    expect(formatPercent(ratio, decimals)).toBe(expected);
  });
});

describe('formatSli', () => {
  it('shows one decimal more than the objective, at least two', () => {
    expect(objectiveDecimals(99.95)).toBe(2);
    expect(formatSli(0.99953, 99.95)).toBe('99.953%');
    expect(formatSli(0.99953, 99)).toBe('99.95%');
    expect(formatSli(0.999912, 99.999)).toBe('99.9912%');
  });
});

describe('formatBudget, formatBurn, formatFactor, formatCount', () => {
  it('formats budgets with one decimal, negative when overspent', () => {
    expect(formatBudget(0.16093)).toBe('16.0%');
    expect(formatBudget(-0.7688)).toBe('\u221276.8%');
  });
  it('formats burn rates as multiples', () => {
    expect(formatBurn(null)).toBe('—');
    expect(formatBurn(0)).toBe('0×');
    expect(formatBurn(2.1234)).toBe('2.12×');
    expect(formatBurn(14.44)).toBe('14.4×');
    expect(formatBurn(250.4)).toBe('250×');
  });
  it('writes factors as the docs/slo-maths.md table does', () => {
    expect(formatFactor(13.44)).toBe('13.44');
    expect(formatFactor(0.9333333333)).toBe('0.9333');
    expect(formatFactor(6)).toBe('6');
  });
  it('separates thousands', () => {
    expect(formatCount(2140)).toBe('2,140');
    expect(formatCount(null)).toBe('—');
  });
});

describe('formatValueAtRisk', () => {
  it('says each currency on its own, never a sum, and a dash for nothing', () => {
    expect(
      formatValueAtRisk([
        { amount: 600, currency: 'EUR' },
        { amount: 500, currency: 'GBP' },
      ]),
    ).toBe('€600/h + £500/h');
    expect(formatValueAtRisk([{ amount: 38_200, currency: 'GBP' }])).toBe('£38.2k/h');
    expect(formatValueAtRisk([])).toBe('—');
    expect(formatValueAtRisk(null)).toBe('—');
  });
});

describe('formatMoney', () => {
  it('is compact with the currency symbol', () => {
    expect(formatMoney(38_200, 'GBP')).toBe('£38.2k');
    expect(formatMoney(950, 'EUR')).toBe('€950');
    expect(formatMoney(1_250_000, 'EUR')).toBe('€1.3m');
  });
  it('falls back to the code for an unknown currency, and to the number without one', () => {
    expect(formatMoney(12, 'XXXX')).toBe('12 XXXX');
    expect(formatMoney(12, null)).toBe('12');
  });
});

describe('formatDuration', () => {
  it.each([
    [45_000, '45 s'],
    [12 * 60_000, '12 min'],
    [185 * 60_000, '3 h 05 min'],
    [52 * 3_600_000, '2 d 4 h'],
    [-5, '0 s'],
  ])('%s ms is %s', (ms, text) => expect(formatDuration(ms)).toBe(text));
});

describe('timeFormat', () => {
  it('shows instants in the configured zone, not the machine’s', () => {
    const summer = Date.UTC(2026, 6, 1, 12, 5);
    const london = timeFormat('Europe/London');
    expect(london.clock(summer)).toBe('13:05');
    expect(london.zoneName(summer)).toBe('BST');
    expect(timeFormat('Asia/Tokyo').dateTime(summer)).toBe('1 Jul, 21:05');
    expect(timeFormat('UTC').date(summer)).toBe('1 Jul');
  });
  it('falls back to UTC for an unknown zone', () => {
    const f = timeFormat('Mars/Olympus');
    expect(f.timeZone).toBe('UTC');
    expect(f.clock(Date.UTC(2026, 0, 1, 9, 30))).toBe('09:30');
  });
});
