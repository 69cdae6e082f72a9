import { describe, expect, it } from 'vitest';
import type { SloSpec, WindowSpec } from '../model/config.js';
import { minuteOf } from '../model/minutes.js';
import { alertFactor, alertWindowsFor, DEFAULT_ALERT_POLICIES, policyFor, samePeriod, WORKBOOK_PAIRS } from './alert-pairs.js';
import { evaluateSlo, GOOD, TOTAL } from './evaluate.js';
import { MinuteSeries } from './minute-series.js';
import { SloRegistry } from './slo-registry.js';
import { periodMinutes } from './windows.js';

/** The pairs Vigil hard-coded before windows were data: the factors of today's configurations must not move. */
const BEFORE = [
  { severity: 'page', short: '5m', long: '1h', longMinutes: 60, budgetPercent: 2 },
  { severity: 'page', short: '30m', long: '6h', longMinutes: 360, budgetPercent: 5 },
  { severity: 'ticket', short: '2h', long: '1d', longMinutes: 1440, budgetPercent: 10 },
  { severity: 'ticket', short: '6h', long: '3d', longMinutes: 4320, budgetPercent: 10 },
];

const rolling = (days: number): WindowSpec => ({ kind: 'rolling', minutes: days * 1440, text: `${days}d` });
const calendar = (unit: 'week' | 'month' | 'quarter'): WindowSpec => ({ kind: 'calendar', unit, text: unit });
const AT = Date.parse('2026-11-26T10:00:30Z');

function slo(window: WindowSpec, windows?: SloSpec['alerting']['windows']): SloSpec {
  return {
    name: 'success',
    objective: 99.9,
    window,
    budgeting: 'occurrences',
    timeSliceTarget: 99.9,
    sli: { kind: 'success', abandonedIsBad: false },
    alerting: { minEvents: 0, ...(windows && { windows }) },
  };
}

describe('built-in alert windows', () => {
  it('28d and 30d carry the Workbook windows, as Sloth ships them for those periods', () => {
    expect(DEFAULT_ALERT_POLICIES.map((p) => p.period.text)).toEqual(['28d', '30d']);
    for (const policy of DEFAULT_ALERT_POLICIES) {
      expect(policy.pairs.map(({ severity, short, long, budgetPercent }) => ({ severity, short, long, budgetPercent }))).toEqual(
        BEFORE.map(({ severity, short, long, budgetPercent }) => ({ severity, short, long, budgetPercent })),
      );
    }
  });

  it.each([rolling(28), rolling(30), rolling(7), rolling(90), calendar('week'), calendar('month'), calendar('quarter')])(
    'the factors for $text are those of the hard-coded pairs before',
    (window) => {
      const status = evaluateSlo({
        journey: { name: 'j' },
        slo: slo(window),
        series: new MinuteSeries(2),
        atMs: AT,
        timeZone: 'Europe/London',
      });
      const period = periodMinutes(window, AT, 'Europe/London');
      expect(status.alerts.pairs.map((p) => [p.severity, p.short, p.long, p.budgetPercent, p.factor])).toEqual(
        BEFORE.map((p) => [p.severity, p.short, p.long, p.budgetPercent, alertFactor(p.budgetPercent, period, p.longMinutes)]),
      );
      expect(Object.keys(status.burnRates)).toEqual(['5m', '30m', '1h', '2h', '6h', '1d', '3d']);
    },
  );

  it('28d gives the Workbook factors 13.44, 5.6, 2.8 and 0.9333…', () => {
    const status = evaluateSlo({ journey: { name: 'j' }, slo: slo(rolling(28)), series: new MinuteSeries(2), atMs: AT, timeZone: 'UTC' });
    expect(status.alerts.pairs.map((p) => p.factor)).toEqual([13.44, 5.6, 2.8, (10 * 28 * 1440) / (100 * 4320)]);
  });

  it('matches periods by length or calendar unit', () => {
    expect(samePeriod({ kind: 'rolling', minutes: 40_320, text: '4w' }, rolling(28))).toBe(true);
    expect(samePeriod(rolling(28), calendar('month'))).toBe(false);
    expect(samePeriod(calendar('month'), calendar('month'))).toBe(true);
    expect(policyFor(calendar('month'), DEFAULT_ALERT_POLICIES)).toBeUndefined();
    expect(alertWindowsFor(slo(calendar('month')))).toBe(WORKBOOK_PAIRS);
  });
});

describe('configured alert windows', () => {
  const custom = [
    { severity: 'page' as const, short: '10m', long: '90m', shortMinutes: 10, longMinutes: 90, budgetPercent: 3 },
    { severity: 'ticket' as const, short: '1h', long: '7d', shortMinutes: 60, longMinutes: 10_080, budgetPercent: 20 },
  ];

  it('burn rates over any windows the policy gives, keyed by their canonical duration, besides the standard ones', () => {
    const m = minuteOf(AT);
    const series = new MinuteSeries(2);
    // 10 events a minute for 8 days; the last 10 minutes lose 2 of every 10.
    for (let minute = m - 8 * 1440 + 1; minute <= m; minute++) {
      series.add(minute, GOOD, minute > m - 10 ? 8 : 10);
      series.add(minute, TOTAL, 10);
    }
    const status = evaluateSlo({ journey: { name: 'j' }, slo: slo(rolling(28), custom), series, atMs: AT, timeZone: 'UTC' });
    expect(Object.keys(status.burnRates)).toEqual(['5m', '30m', '1h', '2h', '6h', '1d', '3d', '10m', '90m', '7d']);
    // 20 bad of 100 in 10 minutes at 99.9%: burn 200; 20 of 900 in 90 minutes: 22.2…
    expect(status.burnRates['10m']).toBeCloseTo(200, 9);
    expect(status.burnRates['90m']).toBeCloseTo(20 / 900 / 0.001, 9);
    const [page, ticket] = status.alerts.pairs;
    expect(page).toMatchObject({ short: '10m', long: '90m', budgetPercent: 3, longWindowEvents: 900, firing: true });
    expect(page!.factor).toBeCloseTo((3 * 28 * 1440) / (100 * 90), 12);
    expect(ticket).toMatchObject({ short: '1h', long: '7d', longWindowEvents: 100_800, firing: false });
    expect(status.alerts).toMatchObject({ page: true, ticket: false });
  });

  it('the registry keeps history for the longest long window', () => {
    const base = { version: 'vigil/v1' as const, defaults: { timezone: 'UTC' }, tiers: {}, services: [], retention: { rawEventsDays: 1 } };
    const config = (windows?: SloSpec['alerting']['windows']) => ({
      ...base,
      ingest: { maxBodyBytes: 1 },
      alerting: { serviceLabels: [], correlationWindowMinutes: 10, serviceRules: [] },
      journeys: [{ name: 'j', displayName: 'j', tier: 'standard', steps: [], slos: [slo(rolling(7), windows)] }],
    });
    expect(new SloRegistry(config()).historyMinutesNeeded()).toBe((7 + 3 + 1) * 1440);
    expect(new SloRegistry(config(custom)).historyMinutesNeeded()).toBe((7 + 7 + 1) * 1440);
    // The store keeps 4 weeks of baselines more than the engine loads (docs/storage.md ("Purging old data")).
    expect(new SloRegistry(config()).aggregateMinutesKept()).toBe((7 + 3 + 1 + 28) * 1440);
  });
});
