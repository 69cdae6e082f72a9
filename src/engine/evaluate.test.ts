import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SloSpec, WindowSpec } from '../model/config.js';
import { evaluateSlo, GOOD, type StateInput, sloHistory, sloState, TOTAL } from './evaluate.js';
import { MinuteSeries } from './minute-series.js';
import { minuteOf } from '../model/minutes.js';

const AT = Date.parse('2026-11-26T10:00:30Z');
const M = minuteOf(AT);
const journey = { name: 'wire-transfer' };

function slo(overrides: Partial<SloSpec> & { window?: WindowSpec } = {}): SloSpec {
  return {
    name: 'success',
    objective: 99.9,
    window: { kind: 'rolling', minutes: 30 * 1440, text: '30d' },
    budgeting: 'occurrences',
    timeSliceTarget: overrides.objective ?? 99.9,
    sli: { kind: 'success', abandonedIsBad: false },
    alerting: { minEvents: 0 },
    ...overrides,
  };
}

function put(series: MinuteSeries, minute: number, good: number, total: number): void {
  series.add(minute, GOOD, good);
  series.add(minute, TOTAL, total);
}

/** 3 days of 10 good events a minute, then 2 of every 10 bad in the last 5 minutes. */
function fastBurn(): MinuteSeries {
  const s = new MinuteSeries(2);
  for (let m = M - 4319; m <= M; m++) put(s, m, m > M - 5 ? 8 : 10, 10);
  return s;
}

describe('evaluateSlo: hand-computed cases', () => {
  it('a fast burn pages: 10 bad of 600 in the hour at 99.9% burns at 16.67 > 14.4', () => {
    const status = evaluateSlo({ journey, slo: slo(), series: fastBurn(), atMs: AT, timeZone: 'UTC' });
    expect(status.total).toBe(43_200);
    expect(status.good).toBe(43_190);
    expect(status.sli).toBeCloseTo(43_190 / 43_200, 12);
    expect(status.attainment).toBe(status.sli);
    expect(status.errorBudget.allowed).toBeCloseTo(43.2, 9);
    expect(status.errorBudget.consumed).toBe(10);
    expect(status.errorBudget.remaining).toBeCloseTo(1 - 10 / 43.2, 12);
    expect(status.burnRates['5m']).toBeCloseTo(200, 9);
    expect(status.burnRates['30m']).toBeCloseTo(33.3333333, 6);
    expect(status.burnRates['1h']).toBeCloseTo(16.6666667, 6);
    expect(status.burnRates['2h']).toBeCloseTo(8.3333333, 6);
    expect(status.burnRates['6h']).toBeCloseTo(2.7777778, 6);
    expect(status.burnRates['1d']).toBeCloseTo(0.6944444, 6);
    expect(status.burnRates['3d']).toBeCloseTo(0.2314815, 6);
    expect(status.alerts.pairs.map((p) => [p.short, p.long, p.factor, p.firing])).toEqual([
      ['5m', '1h', 14.4, true],
      ['30m', '6h', 6, false],
      ['2h', '1d', 3, false],
      ['6h', '3d', 1, false],
    ]);
    expect(status.alerts.page).toBe(true);
    expect(status.alerts.ticket).toBe(false);
    expect(status.windowStart).toBe('2026-10-27T10:01:00.000Z');
    expect(status.windowEnd).toBe('2026-11-26T10:01:00.000Z');
  });

  it.each([
    [0, true],
    [600, true], // exactly the 600 events of the long window
    [601, false],
  ])('minEvents %i → page %s', (minEvents, page) => {
    const status = evaluateSlo({ journey, slo: slo({ alerting: { minEvents } }), series: fastBurn(), atMs: AT, timeZone: 'UTC' });
    expect(status.alerts.page).toBe(page);
  });

  it('a burn exactly at the factor does not fire (strictly greater)', () => {
    // 144 bad of 10,000 in the last 5 minutes and the hour: burn 14.4 in both.
    const s = new MinuteSeries(2);
    put(s, M, 10_000 - 144, 10_000);
    const status = evaluateSlo({ journey, slo: slo(), series: s, atMs: AT, timeZone: 'UTC' });
    expect(status.burnRates['5m']).toBe(14.4);
    expect(status.burnRates['1h']).toBe(14.4);
    expect(status.alerts.pairs[0]!.firing).toBe(false);
    put(s, M, 0, 0);
    s.add(M, TOTAL, 1); // one more bad event tips it over
    expect(evaluateSlo({ journey, slo: slo(), series: s, atMs: AT, timeZone: 'UTC' }).alerts.pairs[0]!.firing).toBe(true);
  });

  // docs/alerting.md: a pair fires only when BOTH its short and its long window burn above the factor.
  // 30-day window at 99.9 %: the page pairs' factors are 14.4 (5m/1h) and 6 (30m/6h), the tickets' 3 (2h/1d) and 1 (6h/3d).
  const halves: { name: string; minutes: [number, number, number][]; burn5m: number; burn1h: number; firing: boolean[] }[] = [
    {
      // 400 bad of 10,000 half an hour ago, then 10,000 good now: 5m burns 0, 1h burns 400/20,000/0.001 = 20.
      name: 'long window above the factor, short window below: no page',
      minutes: [
        [-30, 9600, 10_000],
        [0, 10_000, 10_000],
      ],
      burn5m: 0,
      burn1h: 20,
      // The tickets' 2h and 1d windows both burn 20 > 3; the 30m window misses the bad minute; the 3d pair’s 6h and 3d windows burn 20 > 1 too.
      firing: [false, false, true, true],
    },
    {
      // 100,000 good half an hour ago, then 20 bad of 1,000 now: 5m burns 20, 1h burns 20/101,000/0.001 ≈ 0.198.
      name: 'short window above the factor, long window below: no page',
      minutes: [
        [-30, 100_000, 100_000],
        [0, 980, 1000],
      ],
      burn5m: 20,
      burn1h: 20 / 101,
      firing: [false, false, false, false],
    },
    {
      name: 'both windows above the factor: page',
      minutes: [[0, 980, 1000]],
      burn5m: 20,
      burn1h: 20,
      firing: [true, true, true, true],
    },
  ];
  it.each(halves)('$name', ({ minutes, burn5m, burn1h, firing }) => {
    const s = new MinuteSeries(2);
    for (const [offset, good, total] of minutes) put(s, M + offset, good, total);
    const status = evaluateSlo({ journey, slo: slo(), series: s, atMs: AT, timeZone: 'UTC' });
    expect(status.burnRates['5m']).toBeCloseTo(burn5m, 9);
    expect(status.burnRates['1h']).toBeCloseTo(burn1h, 9);
    expect(status.alerts.pairs.map((p) => p.factor)).toEqual([14.4, 6, 3, 1]);
    expect(status.alerts.pairs.map((p) => p.firing)).toEqual(firing);
    expect(status.alerts.page).toBe(firing[0]! || firing[1]!);
    expect(status.alerts.ticket).toBe(firing[2]! || firing[3]!);
  });

  it('ignores events outside the window, at both edges', () => {
    const s = new MinuteSeries(2);
    const w = slo({ window: { kind: 'rolling', minutes: 60, text: '60m' } });
    put(s, M - 60, 0, 5); // one minute too old
    put(s, M - 59, 1, 1); // first minute of the window
    put(s, M, 1, 1); // the evaluation minute itself
    put(s, M + 1, 0, 7); // the future
    const status = evaluateSlo({ journey, slo: w, series: s, atMs: AT, timeZone: 'UTC' });
    expect([status.good, status.total]).toEqual([2, 2]);
  });

  it('an empty window has no SLI, a full budget and no burn', () => {
    const status = evaluateSlo({ journey, slo: slo(), series: new MinuteSeries(2), atMs: AT, timeZone: 'UTC' });
    expect(status.sli).toBeNull();
    expect(status.attainment).toBeNull();
    expect(status.errorBudget).toEqual({ allowed: 0, consumed: 0, remaining: 1 });
    expect(Object.values(status.burnRates).every((r) => r === null)).toBe(true);
    expect(status.alerts.page || status.alerts.ticket).toBe(false);
  });

  it('timeslices: 58 non-empty slices, 55 good at a 95% slice target', () => {
    const s = new MinuteSeries(2);
    let m = M - 59;
    for (let i = 0; i < 50; i++) put(s, m++, 20, 20);
    for (let i = 0; i < 5; i++) put(s, m++, 19, 20); // exactly 95%: good
    for (let i = 0; i < 3; i++) put(s, m++, 18, 20); // 90%: bad
    // two empty minutes: not counted
    const spec = slo({ objective: 99, timeSliceTarget: 95, budgeting: 'timeslices', window: { kind: 'rolling', minutes: 60, text: '1h' } });
    const status = evaluateSlo({ journey, slo: spec, series: s, atMs: AT, timeZone: 'UTC' });
    expect([status.good, status.total]).toEqual([55, 58]);
    expect(status.attainment).toBeCloseTo(55 / 58, 12);
    expect(status.sli).toBeCloseTo(1149 / 1160, 12);
    expect(status.errorBudget.allowed).toBeCloseTo(0.58, 12);
    expect(status.errorBudget.consumed).toBe(3);
    expect(status.errorBudget.remaining).toBeCloseTo(1 - 3 / 0.58, 9);
    // burn rates still count events: 11 bad of 1,160 at a 1% budget
    expect(status.burnRates['1h']).toBeCloseTo(11 / 1160 / 0.01, 9);
  });

  // docs/configuration.md: a slice is good when its SLI ≥ timeSliceTarget, a percent that need not be whole.
  // Each case has slices that sit exactly on the target or just beside it, so a target rounded to a whole
  // percent (95.5 → 96, 95.4 → 95, 99.9 → 100) classifies some of them the other way.
  const fractional: {
    target: number;
    objective: number;
    /** [good, total, how many such minutes]. */
    minutes: [number, number, number][];
    goodSlices: number;
    slices: number;
    allowed: number;
    remaining: number;
  }[] = [
    // 191/200 = 95.5 % is good (not at 96); 190/200 = 95 % is bad. 8 good of 10; allowed 10 × 10 % = 1.
    {
      target: 95.5,
      objective: 90,
      minutes: [
        [191, 200, 6],
        [190, 200, 2],
        [200, 200, 2],
      ],
      goodSlices: 8,
      slices: 10,
      allowed: 1,
      remaining: -1,
    },
    // 19/20 = 95 % is bad at 95.4 (good at 95); 954/1000 = 95.4 % is good. 7 good of 10; allowed 2; 1 − 3/2.
    {
      target: 95.4,
      objective: 80,
      minutes: [
        [19, 20, 3],
        [954, 1000, 1],
        [20, 20, 6],
      ],
      goodSlices: 7,
      slices: 10,
      allowed: 2,
      remaining: -0.5,
    },
    // 1,999/2,000 = 99.95 % is good (not at 100); 1,998/2,000 = 99.9 % is bad. 16 good of 20; allowed 20 × 20 % = 4.
    {
      target: 99.95,
      objective: 80,
      minutes: [
        [1999, 2000, 15],
        [1998, 2000, 4],
        [1, 1, 1],
      ],
      goodSlices: 16,
      slices: 20,
      allowed: 4,
      remaining: 0,
    },
    // 999/1,000 = 99.9 % is good (not at 100); 9,989/10,000 = 99.89 % is bad. 9 good of 10; allowed 10 × 50 % = 5.
    {
      target: 99.9,
      objective: 50,
      minutes: [
        [999, 1000, 9],
        [9989, 10_000, 1],
      ],
      goodSlices: 9,
      slices: 10,
      allowed: 5,
      remaining: 0.8,
    },
  ];
  it.each(fractional)(
    'timeslices at a fractional target $target%: $goodSlices good of $slices slices',
    ({ target, objective, minutes, goodSlices, slices, allowed, remaining }) => {
      const s = new MinuteSeries(2);
      let m = M - 59;
      let good = 0;
      let total = 0;
      for (const [g, t, count] of minutes) {
        for (let i = 0; i < count; i++) put(s, m++, g, t);
        good += g * count;
        total += t * count;
      }
      const spec = slo({
        objective,
        timeSliceTarget: target,
        budgeting: 'timeslices',
        window: { kind: 'rolling', minutes: 60, text: '1h' },
      });
      const status = evaluateSlo({ journey, slo: spec, series: s, atMs: AT, timeZone: 'UTC' });
      expect([status.good, status.total]).toEqual([goodSlices, slices]);
      expect(status.attainment).toBe(goodSlices / slices);
      expect(status.sli).toBe(good / total);
      expect(status.errorBudget).toEqual({ allowed, consumed: slices - goodSlices, remaining });
    },
  );

  it('a calendar month in Europe/London starts at local midnight and scales factors to 31 days', () => {
    const at = Date.parse('2026-07-15T12:00:00Z');
    const s = new MinuteSeries(2);
    put(s, minuteOf(Date.parse('2026-06-30T22:59:00Z')), 0, 1); // June, local time
    put(s, minuteOf(Date.parse('2026-06-30T23:00:00Z')), 1, 1); // 1 July 00:00 BST
    const spec = slo({ window: { kind: 'calendar', unit: 'month', text: 'month' } });
    const status = evaluateSlo({ journey, slo: spec, series: s, atMs: at, timeZone: 'Europe/London' });
    expect([status.good, status.total]).toEqual([1, 1]);
    expect(status.windowStart).toBe('2026-06-30T23:00:00.000Z');
    expect(status.alerts.pairs.map((p) => p.factor)).toEqual([14.88, 6.2, 3.1, (744 * 10) / 100 / 72]);
  });

  it('28-day factors are those of the docs/slo-maths.md table', () => {
    const status = evaluateSlo({
      journey,
      slo: slo({ window: { kind: 'rolling', minutes: 28 * 1440, text: '28d' } }),
      series: new MinuteSeries(2),
      atMs: AT,
      timeZone: 'UTC',
    });
    const factors = status.alerts.pairs.map((p) => p.factor);
    expect(factors.slice(0, 3)).toEqual([13.44, 5.6, 2.8]);
    expect(factors[3]).toBeCloseTo(0.9333, 4);
  });
});

describe('evaluateSlo: invariants (property)', () => {
  const event = fc.record({ minute: fc.integer({ min: -5000, max: 2 }), good: fc.boolean() });
  it('the same events in any order give the same status', () => {
    fc.assert(
      fc.property(fc.array(event, { maxLength: 300 }), fc.integer({ min: 0, max: 1_000_000 }), (events, seed) => {
        const forward = new MinuteSeries(2);
        for (const e of events) put(forward, M + e.minute, e.good ? 1 : 0, 1);
        const shuffled = [...events].sort((a, b) => ((a.minute * 7919 + seed) % 101) - ((b.minute * 7919 + seed) % 101));
        const other = new MinuteSeries(2);
        for (const e of shuffled) put(other, M + e.minute, e.good ? 1 : 0, 1);
        for (const spec of [
          slo({ window: { kind: 'rolling', minutes: 1440, text: '1d' } }),
          slo({ budgeting: 'timeslices', window: { kind: 'rolling', minutes: 4000, text: '4000m' } }),
        ]) {
          expect(evaluateSlo({ journey, slo: spec, series: other, atMs: AT, timeZone: 'UTC' })).toEqual(
            evaluateSlo({ journey, slo: spec, series: forward, atMs: AT, timeZone: 'UTC' }),
          );
        }
      }),
      { numRuns: 100 },
    );
  });

  it('remaining ≤ 1, good ≤ total, and remaining falls as bad events are added', () => {
    fc.assert(
      fc.property(fc.nat(1000), fc.nat(1000), fc.nat(50), (good, bad, extra) => {
        const s = new MinuteSeries(2);
        put(s, M, good, good + bad);
        const before = evaluateSlo({ journey, slo: slo(), series: s, atMs: AT, timeZone: 'UTC' });
        s.add(M, TOTAL, extra);
        const after = evaluateSlo({ journey, slo: slo(), series: s, atMs: AT, timeZone: 'UTC' });
        expect(before.good).toBeLessThanOrEqual(before.total);
        expect(before.errorBudget.remaining).toBeLessThanOrEqual(1);
        expect(after.errorBudget.remaining).toBeLessThanOrEqual(before.errorBudget.remaining + 1e-12);
      }),
    );
  });
});

describe('sloHistory', () => {
  it('evaluates at each step and reports the step interval counts', () => {
    const points = sloHistory({ slo: slo(), series: fastBurn(), timeZone: 'UTC', fromMs: AT - 10 * 60_000, toMs: AT, stepMs: 5 * 60_000 });
    expect(points.map((p) => p.t)).toEqual([AT - 600_000, AT - 300_000, AT].map((ms) => new Date(ms).toISOString()));
    expect(points.map((p) => [p.stepGood, p.stepTotal])).toEqual([
      [50, 50],
      [50, 50],
      [40, 50],
    ]);
    expect(points[0]!.remaining).toBe(1);
    expect(points[2]!.remaining).toBeCloseTo(1 - 10 / 43.2, 12);
  });
});

describe('sloState: hand-computed cases (docs/slo-maths.md ("Budget states"))', () => {
  const MONTH = 30 * 1440;
  const base: StateInput = {
    calendar: false,
    elapsedMinutes: MONTH,
    periodMinutes: MONTH,
    events: 10_000,
    total: 10_000,
    objective: 99.9,
    minEvents: 0,
    remaining: 0.5,
    page: false,
    ticket: false,
    burn1h: 0.5,
  };
  const cases: [string, Partial<StateInput>, string][] = [
    ['half the budget left, burning slowly', {}, 'ok'],
    ['burning faster than sustainable over the hour', { burn1h: 1.5 }, 'at_risk'],
    ['a burn of exactly 1 is sustainable', { burn1h: 1 }, 'ok'],
    ['a ticket pair fires', { ticket: true, burn1h: 4 }, 'ticket'],
    ['a page pair fires', { page: true, ticket: true, burn1h: 20 }, 'page'],
    ['budget exactly spent (remaining 0)', { remaining: 0 }, 'exhausted'],
    ['overspent ten times over while paging: exhausted is worse', { remaining: -9, page: true, ticket: true }, 'exhausted'],
    ['overspent with no alert firing is never ok', { remaining: -0.2, burn1h: 0 }, 'exhausted'],
    ['no valid event at all', { events: 0, total: 0, remaining: 1, burn1h: null }, 'insufficient_data'],
    ['fewer events than alerting.minEvents', { events: 15, total: 15, minEvents: 20, remaining: -65.7 }, 'insufficient_data'],
    ['exactly minEvents is enough', { events: 20, total: 20, minEvents: 20, remaining: -49 }, 'exhausted'],
    // 3rd of a 30-day month at 06:00: 3,240 of 43,200 minutes (7.5%), 400 events, 1 failed: 1 − 1/0.4 = −1.5.
    [
      'calendar month, 7.5% elapsed, 400 events < 1,000',
      { calendar: true, elapsedMinutes: 3240, events: 400, total: 400, remaining: -1.5 },
      'insufficient_data',
    ],
    [
      'the same, with a page pair firing: the page still says so',
      { calendar: true, elapsedMinutes: 3240, events: 400, total: 400, remaining: -1.5, page: true },
      'page',
    ],
    [
      'calendar month, 7.5% elapsed, 1,000 events: one failure fits',
      { calendar: true, elapsedMinutes: 3240, events: 1000, total: 1000, remaining: -1 },
      'exhausted',
    ],
    [
      'calendar month, 25% elapsed: the figure stands',
      { calendar: true, elapsedMinutes: 10_800, events: 400, total: 400, remaining: -1.5 },
      'exhausted',
    ],
    ['a rolling window is never "early"', { elapsedMinutes: 3240, events: 400, total: 400, remaining: -1.5 }, 'exhausted'],
    [
      'timeslices count slices: 300 slices < 1,000 early in the month',
      { calendar: true, elapsedMinutes: 3240, events: 5000, total: 300, remaining: -2.3 },
      'insufficient_data',
    ],
    [
      '99.5% needs 200 events: 250 is enough early',
      { calendar: true, elapsedMinutes: 3240, objective: 99.5, events: 250, total: 250, remaining: 0.2 },
      'ok',
    ],
  ];
  it.each(cases)('%s → %s', (_name, over, state) => expect(sloState({ ...base, ...over })).toBe(state));

  it('evaluateSlo reports the state: one failure in 400 events on the 3rd of a calendar month is not −150% "exhausted"', () => {
    const at = Date.parse('2026-11-03T06:00:30Z');
    const series = new MinuteSeries(2);
    const m = minuteOf(at);
    for (let i = 0; i < 40; i++) put(series, m - i * 60, i === 39 ? 9 : 10, 10); // the failure 39 h ago: no pair fires
    const monthly = slo({ window: { kind: 'calendar', unit: 'month', text: 'month' } });
    const early = evaluateSlo({ journey, slo: monthly, series, atMs: at, timeZone: 'UTC' });
    expect(early.total).toBe(400);
    expect(early.errorBudget.remaining).toBeCloseTo(-1.5, 12);
    expect(early.state).toBe('insufficient_data');
    const rolling = evaluateSlo({ journey, slo: slo(), series, atMs: at, timeZone: 'UTC' });
    expect(rolling.state).toBe('exhausted');
  });

  it('a fast burn with budget left pages', () => {
    expect(evaluateSlo({ journey, slo: slo(), series: fastBurn(), atMs: AT, timeZone: 'UTC' }).state).toBe('page');
  });
});
