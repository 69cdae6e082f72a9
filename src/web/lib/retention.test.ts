/** The retention page's logic: which period it shows, the bars and their scale, the texts (docs/retention.md). */
import { describe, expect, it } from 'vitest';
import type { RetentionCohort, RetentionPeriod, RetentionResponse } from './api-types.js';
import { cohortText, doseBars, exposureBars, layoutBars, pointsText, pText, rateFloor, shownPeriod } from './retention.js';

const cohort = (customers: number, retained: number, low: number | null = null, high: number | null = null): RetentionCohort => ({
  customers,
  retained,
  rate: customers === 0 ? null : retained / customers,
  low: customers === 0 ? null : (low ?? retained / customers),
  high: customers === 0 ? null : (high ?? retained / customers),
});
const period = (label: string, complete: boolean, exposed: RetentionCohort, unexposed: RetentionCohort): RetentionPeriod => ({
  period: label,
  start: '2026-10-01T00:00:00.000Z',
  end: '2026-11-01T00:00:00.000Z',
  nextEnd: '2026-12-01T00:00:00.000Z',
  complete,
  partialHistory: false,
  exposed,
  unexposed,
  difference: exposed.rate !== null && unexposed.rate !== null ? exposed.rate - unexposed.rate : null,
  relativeRisk: null,
  pValue: null,
  byFailures: [
    { failures: '0', ...unexposed },
    { failures: '1', ...cohort(4, 3, 0.3, 0.95) },
    { failures: '2-3', ...cohort(0, 0) },
    { failures: '4+', ...cohort(2, 0, 0, 0.66) },
  ],
});
const answer = (periods: RetentionPeriod[]): RetentionResponse => ({
  journey: 'card-payment',
  displayName: 'Card payment',
  period: 'month',
  timezone: 'UTC',
  from: '2026-09-01T00:00:00.000Z',
  to: '2026-12-01T00:00:00.000Z',
  rawEventsDays: 70,
  periods,
  reading: null,
});

describe('shownPeriod', () => {
  it('shows the latest complete period with customers, else the latest with any, else none', () => {
    const sep = period('2026-09', true, cohort(6, 4), cohort(10, 9));
    const oct = period('2026-10', true, cohort(0, 0), cohort(0, 0));
    const nov = period('2026-11', false, cohort(3, 1), cohort(5, 2));
    expect(shownPeriod(answer([sep, oct, nov]))?.period).toBe('2026-09');
    expect(shownPeriod(answer([oct, nov]))?.period).toBe('2026-11');
    expect(shownPeriod(answer([oct]))).toBeNull();
  });
});

describe('bars', () => {
  it('labels the dose-response bars and pairs exposed with unexposed per period with customers', () => {
    const sep = period('2026-09', true, cohort(6, 4), cohort(10, 9));
    expect(doseBars(sep).map((b) => [b.label, b.tone])).toEqual([
      ['no failure', 'none'],
      ['1 failure', 'exposed'],
      ['2-3 failures', 'exposed'],
      ['4+ failures', 'exposed'],
    ]);
    const empty = period('2026-10', true, cohort(0, 0), cohort(0, 0));
    expect(exposureBars(answer([sep, empty])).map((b) => b.key)).toEqual(['2026-09-exposed', '2026-09-unexposed']);
  });

  it('starts the scale a tenth under the lowest whisker, rounded down, and places rates and whiskers on it', () => {
    const sep = period('2026-09', true, cohort(100, 86, 0.78, 0.92), cohort(100, 93, 0.86, 0.97));
    const bars = exposureBars(answer([sep]));
    // Lowest whisker 0.78 → 0.68 → 0.6.
    expect(rateFloor(bars)).toBe(0.6);
    const layout = layoutBars(bars, { width: 500, height: 240, left: 40, bottom: 20, top: 20 });
    // Plot height 200 for 0.6 → 1: y(r) = 20 + 200 · (1 − (r − 0.6)/0.4).
    const [exposed, unexposed] = layout.bars;
    expect(exposed!.y).toBeCloseTo(20 + 200 * (1 - 0.26 / 0.4), 9);
    expect(exposed!.whisker!.bottom).toBeCloseTo(20 + 200 * (1 - 0.18 / 0.4), 9);
    expect(unexposed!.y).toBeLessThan(exposed!.y!);
    expect(exposed!.x + exposed!.width).toBeLessThanOrEqual(unexposed!.x);
    expect(layout.ticks.map((t) => t.label)).toEqual(['60%', '70%', '80%', '90%', '100%']);
    expect(layout.ticks[4]!.y).toBe(20);
    expect(layout.groups).toEqual([{ label: '2026-09', x: 270 }]);
  });

  it('draws no bar and no whisker for an empty cohort, and scales from 0 when a whisker reaches it', () => {
    const layout = layoutBars(doseBars(period('2026-09', true, cohort(6, 4), cohort(10, 9))), {
      width: 400,
      height: 200,
      left: 0,
      bottom: 0,
      top: 0,
    });
    expect(layout.floor).toBe(0);
    expect(layout.bars[2]).toMatchObject({ y: null, whisker: null });
    expect(layout.bars[3]!.y).toBe(200);
  });
});

describe('texts', () => {
  it('writes cohorts, differences and p-values', () => {
    expect(cohortText(cohort(80114, 74500, 0.92806, 0.93172))).toBe('93.0% of 80,114 (92.8–93.2%)');
    expect(cohortText(cohort(0, 0))).toBe('no customers');
    expect(pointsText(-0.07006)).toBe('−7.0 pts');
    expect(pointsText(0.012)).toBe('+1.2 pts');
    expect(pointsText(null)).toBe('—');
    expect(pText(1.3e-64)).toBe('< 0.001');
    expect(pText(0.04123)).toBe('0.041');
    expect(pText(null)).toBe('—');
  });
});
