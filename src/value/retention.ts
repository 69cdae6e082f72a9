/**
 * Retention by failures met (docs/retention.md): the calendar periods of a range, and one period's cohorts —
 * exposed (met at least one failure of the journey) against unexposed — with Wilson intervals, the pooled
 * two-proportion z-test, the relative risk and the dose-response by number of failures. Pure: the counts come
 * from the store.
 */
import { calendarPeriod } from '../engine/windows.js';
import { wallTime } from '../engine/timezone.js';
import { twoProportionTest, wilsonInterval } from './stats.js';

export type RetentionUnit = 'month' | 'week';

/** One calendar period [start, end) and the next one, whose activity decides retention. */
export interface RetentionSpan {
  /** `2026-10` for a month, the ISO week `2026-W44` for a week. */
  label: string;
  start: number;
  end: number;
  /** End of period N+1 (which starts at `end`). */
  nextEnd: number;
}

/** Customers of one (failure count, retained) pair: what the store counts for a period. */
export interface CohortCount {
  failures: number;
  retained: boolean;
  customers: number;
}

/** A group of customers and how many were retained, with the rate's 95% Wilson interval (null when empty). */
export interface CohortFigures {
  customers: number;
  retained: number;
  rate: number | null;
  low: number | null;
  high: number | null;
}

export const FAILURE_BUCKETS = ['0', '1', '2-3', '4+'] as const;
export type FailureBucket = (typeof FAILURE_BUCKETS)[number];

export interface PeriodFigures {
  exposed: CohortFigures;
  unexposed: CohortFigures;
  /** Exposed rate − unexposed rate; null when a cohort is empty. */
  difference: number | null;
  /** Exposed rate ÷ unexposed rate; null when a cohort is empty or the unexposed rate is 0. */
  relativeRisk: number | null;
  /** Two-sided pooled two-proportion z-test; null when a cohort is empty or the pooled proportion is 0 or 1. */
  pValue: number | null;
  byFailures: Array<{ failures: FailureBucket } & CohortFigures>;
}

const DAY_MS = 86_400_000;

/**
 * The label of the period starting at `start` in `timeZone`: `YYYY-MM`, or the ISO week `YYYY-Www` (the week-year of its Thursday).
 * @example periodLabel('week', Date.parse('2026-10-25T23:00:00Z'), 'Europe/London') // '2026-W44'
 */
export function periodLabel(unit: RetentionUnit, start: number, timeZone: string): string {
  const w = wallTime(start, timeZone);
  if (unit === 'month') return `${w.year}-${String(w.month).padStart(2, '0')}`;
  const thursday = new Date(Date.UTC(w.year, w.month - 1, w.day - (w.isoWeekday - 1) + 3));
  const yearStart = Date.UTC(thursday.getUTCFullYear(), 0, 1);
  const week = Math.floor((thursday.getTime() - yearStart) / DAY_MS / 7) + 1;
  return `${thursday.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

/**
 * The calendar periods (in `timeZone`) that overlap [from, to), oldest first; throws RangeError past `max` periods.
 * @example retentionSpans('month', Date.parse('2026-09-15T00:00:00Z'), Date.parse('2026-11-01T00:00:00Z'), 'UTC', 24)
 *   // 2026-09 and 2026-10
 */
export function retentionSpans(unit: RetentionUnit, from: number, to: number, timeZone: string, max: number): RetentionSpan[] {
  const spans: RetentionSpan[] = [];
  if (!(from < to)) return spans;
  let { startMs: start, endMs: end } = calendarPeriod(unit, from, timeZone);
  while (start < to) {
    if (spans.length >= max) throw new RangeError(`more than ${max} ${unit}s`);
    const next = calendarPeriod(unit, end, timeZone);
    spans.push({ label: periodLabel(unit, start, timeZone), start, end, nextEnd: next.endMs });
    start = next.startMs;
    end = next.endMs;
  }
  return spans;
}

/** The bucket of a customer who met `failures` failures. */
export function failureBucket(failures: number): FailureBucket {
  if (failures <= 0) return '0';
  if (failures === 1) return '1';
  if (failures <= 3) return '2-3';
  return '4+';
}

function figures(customers: number, retained: number): CohortFigures {
  const w = wilsonInterval(retained, customers);
  return { customers, retained, rate: w?.rate ?? null, low: w?.low ?? null, high: w?.high ?? null };
}

/**
 * One period's figures from the store's counts (docs/retention.md ("The statistics")).
 * @example periodFigures([{ failures: 0, retained: true, customers: 3 }, { failures: 2, retained: false, customers: 1 }])
 *   // exposed 0 of 1, unexposed 3 of 3, difference −1
 */
export function periodFigures(counts: readonly CohortCount[]): PeriodFigures {
  const buckets = new Map<FailureBucket, { customers: number; retained: number }>(
    FAILURE_BUCKETS.map((b) => [b, { customers: 0, retained: 0 }]),
  );
  for (const c of counts) {
    const bucket = buckets.get(failureBucket(c.failures))!;
    bucket.customers += c.customers;
    if (c.retained) bucket.retained += c.customers;
  }
  const none = buckets.get('0')!;
  let exposedCustomers = 0;
  let exposedRetained = 0;
  for (const b of FAILURE_BUCKETS.slice(1)) {
    exposedCustomers += buckets.get(b)!.customers;
    exposedRetained += buckets.get(b)!.retained;
  }
  const exposed = figures(exposedCustomers, exposedRetained);
  const unexposed = figures(none.customers, none.retained);
  const both = exposed.rate !== null && unexposed.rate !== null;
  return {
    exposed,
    unexposed,
    difference: both ? exposed.rate! - unexposed.rate! : null,
    relativeRisk: both && unexposed.rate! > 0 ? exposed.rate! / unexposed.rate! : null,
    pValue: twoProportionTest(exposedRetained, exposedCustomers, none.retained, none.customers)?.pValue ?? null,
    byFailures: FAILURE_BUCKETS.map((failures) => ({
      failures,
      ...figures(buckets.get(failures)!.customers, buckets.get(failures)!.retained),
    })),
  };
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** A period's label in words: `2026-10` → October 2026, `2026-W44` → week 44 of 2026. */
export function periodInWords(label: string): string {
  const week = /^(\d{4})-W(\d{2})$/.exec(label);
  if (week) return `week ${Number(week[2])} of ${week[1]}`;
  const month = /^(\d{4})-(\d{2})$/.exec(label);
  return month ? `${MONTHS[Number(month[2]) - 1]} ${month[1]}` : label;
}

/** A p-value as a reader wants it: `p < 0.001`, else two significant figures. */
export function formatPValue(p: number): string {
  return p < 0.001 ? 'p < 0.001' : `p = ${Number(p.toPrecision(2))}`;
}

/**
 * One sentence on a period (docs/retention.md ("Reading it")): the difference in points, and whether it could be chance (p ≥ 0.05);
 * `soFar` when the next period has not ended yet.
 * @example retentionSentence('card-payment', '2026-10', '2026-11', -0.07, 1e-60)
 *   // 'Customers who met a card-payment failure in October 2026 were 7.0 points less likely to be active in November 2026 (p < 0.001).'
 */
export function retentionSentence(
  journey: string,
  label: string,
  nextLabel: string,
  difference: number,
  pValue: number | null,
  soFar = false,
): string {
  const points = Math.abs(difference * 100).toFixed(1);
  const direction = difference < 0 ? 'less' : 'more';
  const head =
    `Customers who met a ${journey} failure in ${periodInWords(label)} ` +
    `were ${points} points ${direction} likely to be active in ${periodInWords(nextLabel)}${soFar ? ' so far' : ''}`;
  if (pValue === null) return `${head} (too few customers to test).`;
  return pValue < 0.05
    ? `${head} (${formatPValue(pValue)}).`
    : `${head}, a difference chance alone could explain (${formatPValue(pValue)}).`;
}
