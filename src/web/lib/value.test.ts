import { describe, expect, it } from 'vitest';
import type { JourneyValueAnswer } from './api-types.js';
import { lostHours, methodCards, moneyList, rangeText, valueColumns, valuePeriod, valuePeriods } from './value.js';

const NOW = Date.UTC(2026, 10, 27, 9, 30);

describe('valuePeriods and valuePeriod', () => {
  it('offers the last 30 days first, then calendar months in UTC, the current one ending now', () => {
    const periods = valuePeriods(NOW, 3);
    expect(periods.map((p) => [p.key, p.label])).toEqual([
      ['last30', 'Last 30 days'],
      ['2026-11', 'November 2026'],
      ['2026-10', 'October 2026'],
      ['2026-09', 'September 2026'],
    ]);
    expect(periods[0]).toMatchObject({ fromMs: NOW - 30 * 86_400_000, toMs: NOW });
    expect(periods[1]).toMatchObject({ fromMs: Date.UTC(2026, 10, 1), toMs: NOW });
    expect(periods[2]).toMatchObject({ fromMs: Date.UTC(2026, 9, 1), toMs: Date.UTC(2026, 10, 1) });
    // Across a year's turn.
    expect(valuePeriods(Date.UTC(2027, 0, 5), 2).map((p) => p.key)).toEqual(['last30', '2027-01', '2026-12']);
  });

  it('finds a picked month, an older month from a link, and falls back to the default for nonsense or the future', () => {
    expect(valuePeriod('2026-10', NOW)).toMatchObject({ fromMs: Date.UTC(2026, 9, 1), toMs: Date.UTC(2026, 10, 1) });
    expect(valuePeriod('2024-02', NOW)).toMatchObject({ label: 'February 2024', fromMs: Date.UTC(2024, 1, 1), toMs: Date.UTC(2024, 2, 1) });
    expect(valuePeriod('2026-13', NOW).key).toBe('last30');
    expect(valuePeriod('2027-01', NOW).key).toBe('last30');
    expect(valuePeriod(null, NOW).key).toBe('last30');
  });
});

const VALUE: Pick<JourneyValueAnswer, 'methods' | 'reasons'> = {
  methods: {
    direct: { lost: [{ amount: 5418.9, currency: 'GBP' }], failures: 6021 },
    abandonment: {
      lost: [{ amount: 3102.3, currency: 'GBP' }],
      unrecovered: 3447,
      recovered: 2574,
      retryWindow: '30m',
      classified: 6021,
      sampled: false,
    },
    elasticity: {
      lost: [{ amount: 2_310_000, currency: 'GBP' }],
      low: [{ amount: 1_950_000, currency: 'GBP' }],
      high: [{ amount: 2_670_000, currency: 'GBP' }],
      elasticity: 4.1,
      elasticityLow: 3.24,
      elasticityHigh: 4.96,
      lostAttempts: 2_566_700,
      hoursDegraded: 37,
      r2: 0.6213,
    },
  },
  reasons: {},
};

describe('method cards and money', () => {
  it('says each method’s figure and how it was reached', () => {
    const cards = methodCards(VALUE);
    expect(cards.map((c) => [c.title, c.figure])).toEqual([
      ['Direct', '£5.4k'],
      ['Abandonment', '£3.1k'],
      ['Elasticity', '£2.3M (£2M – £2.7M)'],
    ]);
    expect(cards[0]!.detail).toBe('6,021 failed attempts, each valued as a sale lost for good');
    expect(cards[1]!.detail).toBe('3,447 not retried successfully within 30 min, 2,574 recovered');
    expect(cards[2]!.detail).toBe(
      '4.1% of volume lost per point of success (95%: 3.2–5), r² 0.62 · 37 degraded hours · 2,566,700 attempts lost',
    );
  });

  it('gives the reason of a method that could not be computed, and says a sample was used', () => {
    const cards = methodCards({
      methods: { ...VALUE.methods, abandonment: { ...VALUE.methods.abandonment!, sampled: true, classified: 200 }, elasticity: null },
      reasons: { elasticity: 'history too short: 7 days before the period, 14 needed' },
    });
    expect(cards[1]!.detail).toContain('(from a sample of 200)');
    expect(cards[2]).toEqual({
      key: 'elasticity',
      title: 'Elasticity',
      figure: null,
      detail: 'history too short: 7 days before the period, 14 needed',
    });
  });

  it('never adds currencies', () => {
    expect(
      moneyList([
        { amount: 600, currency: 'EUR' },
        { amount: 500, currency: 'GBP' },
      ]),
    ).toBe('€600 + £500');
    expect(moneyList([])).toBe('nothing');
    expect(
      rangeText([
        { currency: 'EUR', low: 3102.3, high: 2_670_000 },
        { currency: 'GBP', low: 40, high: 40 },
      ]),
    ).toBe('€3.1k – €2.7M · £40');
    expect(rangeText([])).toBeNull();
  });
});

describe('the chart', () => {
  const hours = [
    { at: '2026-11-01T00:00:00.000Z', attempts: 100, baseline: 100, successRate: 0.99, degraded: false },
    { at: '2026-11-01T01:00:00.000Z', attempts: 90, baseline: 100, successRate: 0.95, degraded: true },
    { at: '2026-11-01T02:00:00.000Z', attempts: 120, baseline: 100, successRate: 0.9, degraded: true },
    { at: '2026-11-01T03:00:00.000Z', attempts: 0, baseline: null, successRate: null, degraded: false },
  ];
  const h0 = Date.UTC(2026, 10, 1) / 1000;

  it('columns: volume, baseline (null without history), success rate in percent (null without events)', () => {
    expect(valueColumns(hours)).toEqual([
      [h0, h0 + 3600, h0 + 7200, h0 + 10_800],
      [100, 90, 120, 0],
      [100, 100, 100, null],
      [99, 95, 90, null],
    ]);
  });

  it('shades only degraded hours whose volume fell below the baseline', () => {
    expect(lostHours(hours)).toEqual([{ from: h0 + 3600, to: h0 + 7200, attempts: 90, baseline: 100 }]);
  });
});
