/** Calendar periods, ISO week labels, buckets, one period's figures and the sentence, by hand (docs/retention.md). */
import { describe, expect, it } from 'vitest';
import { failureBucket, formatPValue, periodFigures, periodLabel, retentionSentence, retentionSpans } from './retention.js';

describe('retentionSpans', () => {
  it('cuts months at local midnight and keeps a 23- and 25-hour day inside its month (Europe/London)', () => {
    const spans = retentionSpans('month', Date.parse('2026-03-10T00:00:00Z'), Date.parse('2026-04-01T00:00:00Z'), 'Europe/London', 24);
    // 1 April 00:00 BST is 31 March 23:00Z, so `to` 1 April 00:00Z falls in April: March and April.
    expect(spans).toEqual([
      {
        label: '2026-03',
        start: Date.parse('2026-03-01T00:00:00Z'),
        end: Date.parse('2026-03-31T23:00:00Z'),
        nextEnd: Date.parse('2026-04-30T23:00:00Z'),
      },
      {
        label: '2026-04',
        start: Date.parse('2026-03-31T23:00:00Z'),
        end: Date.parse('2026-04-30T23:00:00Z'),
        nextEnd: Date.parse('2026-05-31T23:00:00Z'),
      },
    ]);
  });

  it('cuts ISO weeks at Monday midnight: the week summer time ends lasts 169 hours (Europe/Berlin)', () => {
    const spans = retentionSpans('week', Date.parse('2026-10-20T00:00:00Z'), Date.parse('2026-10-27T00:00:00Z'), 'Europe/Berlin', 24);
    expect(spans.map((s) => [s.label, new Date(s.start).toISOString(), (s.end - s.start) / 3_600_000])).toEqual([
      ['2026-W43', '2026-10-18T22:00:00.000Z', 169],
      ['2026-W44', '2026-10-25T23:00:00.000Z', 168],
    ]);
  });

  it('is empty for an empty range and refuses more periods than allowed', () => {
    expect(retentionSpans('month', 5, 5, 'UTC', 24)).toEqual([]);
    expect(() => retentionSpans('week', Date.parse('2026-01-01T00:00:00Z'), Date.parse('2026-03-01T00:00:00Z'), 'UTC', 4)).toThrow(
      RangeError,
    );
  });
});

describe('periodLabel', () => {
  it('names ISO weeks by the year of their Thursday', () => {
    expect(periodLabel('week', Date.parse('2026-12-28T00:00:00Z'), 'UTC')).toBe('2026-W53');
    expect(periodLabel('week', Date.parse('2027-01-04T00:00:00Z'), 'UTC')).toBe('2027-W01');
    expect(periodLabel('week', Date.parse('2024-12-30T00:00:00Z'), 'UTC')).toBe('2025-W01');
    expect(periodLabel('month', Date.parse('2026-09-30T22:00:00Z'), 'Europe/Berlin')).toBe('2026-10');
  });
});

describe('periodFigures', () => {
  it('buckets customers by failures met and compares the exposed with the unexposed', () => {
    const f = periodFigures([
      { failures: 0, retained: false, customers: 10 },
      { failures: 0, retained: true, customers: 90 },
      { failures: 1, retained: true, customers: 8 },
      { failures: 1, retained: false, customers: 2 },
      { failures: 3, retained: true, customers: 3 },
      { failures: 2, retained: false, customers: 2 },
      { failures: 7, retained: false, customers: 5 },
    ]);
    expect(f.unexposed).toMatchObject({ customers: 100, retained: 90, rate: 0.9 });
    expect(f.exposed).toMatchObject({ customers: 20, retained: 11, rate: 0.55 });
    expect(f.difference).toBeCloseTo(-0.35, 12);
    expect(f.relativeRisk).toBeCloseTo(0.55 / 0.9, 12);
    expect(f.byFailures.map((b) => [b.failures, b.customers, b.retained])).toEqual([
      ['0', 100, 90],
      ['1', 10, 8],
      ['2-3', 5, 3],
      ['4+', 5, 0],
    ]);
    // Pooled 101/120: SE √(0.841667 · 0.158333 · (1/20 + 1/100)) = 0.089418; z = −0.35/0.089418 = −3.9142; p = 9.07e-5.
    expect(f.pValue!).toBeCloseTo(9.07e-5, 6);
  });

  it('leaves the comparison null without exposed customers, and the relative risk null when nobody unexposed came back', () => {
    expect(periodFigures([{ failures: 0, retained: true, customers: 4 }])).toMatchObject({
      difference: null,
      relativeRisk: null,
      pValue: null,
    });
    const none = periodFigures([
      { failures: 0, retained: false, customers: 4 },
      { failures: 1, retained: true, customers: 1 },
    ]);
    expect([none.difference, none.relativeRisk]).toEqual([1, null]);
    expect(failureBucket(0)).toBe('0');
    expect(failureBucket(4)).toBe('4+');
  });
});

describe('retentionSentence', () => {
  it('reads the difference in points and the p-value', () => {
    expect(retentionSentence('card-payment', '2026-10', '2026-11', -0.07, 1.2e-60)).toBe(
      'Customers who met a card-payment failure in October 2026 were 7.0 points less likely to be active in November 2026 (p < 0.001).',
    );
    expect(retentionSentence('login', '2026-W44', '2026-W45', 0.012, 0.0123)).toBe(
      'Customers who met a login failure in week 44 of 2026 were 1.2 points more likely to be active in week 45 of 2026 (p = 0.012).',
    );
    expect(retentionSentence('login', '2026-10', '2026-11', -0.5, null)).toContain('(too few customers to test)');
    expect(retentionSentence('card-payment', '2026-10', '2026-11', -0.2412, 3e-40, true)).toBe(
      'Customers who met a card-payment failure in October 2026 were 24.1 points less likely to be active in November 2026 so far (p < 0.001).',
    );
    expect(formatPValue(0.41421)).toBe('p = 0.41');
  });
});
