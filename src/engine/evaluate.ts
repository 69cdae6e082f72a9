/**
 * The status of one SLO at one instant (docs/slo-maths.md ("Error budget", "Timeslices", "Burn rate", "Alert pairs")), from per-minute good/total counts.
 * Pure: data and an instant in, a status out. Cost: O(days in the window), never O(events).
 */
import { type AlertPairStatus, BURN_WINDOWS, type BurnRates, type SloSeriesPoint, type SloStatus } from '../api/slo.js';
import { durationText, type JourneySpec, type SloSpec } from '../model/config.js';
import { BURN_WINDOW_MINUTES, alertFactor, alertWindowsFor, pairFires } from './alert-pairs.js';
import { allowedBad, burnRate, errorBudgetRemaining } from './error-budget.js';
import { type MinuteSeries, SLICE_TARGET_SCALE } from './minute-series.js';
import { MS_PER_MINUTE, minuteOf } from '../model/minutes.js';
import { periodMinutes, rollingRange, windowRange } from './windows.js';

/** Channels of an SLI's MinuteSeries. */
export const GOOD = 0;
export const TOTAL = 1;

export interface EvaluateInput {
  journey: Pick<JourneySpec, 'name'>;
  slo: SloSpec;
  /** The SLI's per-minute counts: channel GOOD and channel TOTAL. */
  series: MinuteSeries;
  atMs: number;
  timeZone: string;
}

const scratch = new Float64Array(2);

/** Good and total events over [fromMinute, toMinute). */
export function countEvents(series: MinuteSeries, fromMinute: number, toMinute: number): { good: number; total: number } {
  series.sums(fromMinute, toMinute, scratch);
  return { good: scratch[GOOD]!, total: scratch[TOTAL]! };
}

/**
 * Burn rate over each of the standard windows ending at `atMs`, then over each of `extraMinutes` not
 * among them, keyed by canonical duration text (`durationText`), and the valid events in each.
 */
export function burnRates(
  series: MinuteSeries,
  objective: number,
  atMs: number,
  extraMinutes: Iterable<number> = [],
): { rates: BurnRates; totals: Record<string, number> } {
  const rates = {} as BurnRates;
  const totals: Record<string, number> = {};
  const add = (key: string, minutes: number) => {
    if (key in rates) return;
    const range = rollingRange(minutes, atMs);
    const { good, total } = countEvents(series, range.fromMinute, range.toMinute);
    rates[key] = burnRate(total - good, total, objective);
    totals[key] = total;
  };
  for (const w of BURN_WINDOWS) add(w, BURN_WINDOW_MINUTES[w]);
  for (const minutes of extraMinutes) add(durationText(minutes), minutes);
  return { rates, totals };
}

/**
 * Evaluate an SLO at an instant.
 * @example evaluateSlo({ journey, slo, series, atMs: Date.parse('2026-11-26T10:00:00Z'), timeZone: 'UTC' }).errorBudget.remaining
 */
export function evaluateSlo(input: EvaluateInput): SloStatus {
  const { slo, series, atMs, timeZone } = input;
  const range = windowRange(slo.window, atMs, timeZone);
  const events = countEvents(series, range.fromMinute, range.toMinute);
  const sli = events.total > 0 ? events.good / events.total : null;

  let good = events.good;
  let total = events.total;
  let attainment = sli;
  if (slo.budgeting === 'timeslices') {
    const slices = series.countSlices(range.fromMinute, range.toMinute, GOOD, TOTAL, Math.round(slo.timeSliceTarget * SLICE_TARGET_SCALE));
    good = slices.goodSlices;
    total = slices.slices;
    attainment = total > 0 ? good / total : null;
  }
  const bad = total - good;

  const windows = alertWindowsFor(slo);
  const { rates, totals } = burnRates(
    series,
    slo.objective,
    atMs,
    windows.flatMap((pair) => [pair.shortMinutes, pair.longMinutes]),
  );
  const period = periodMinutes(slo.window, atMs, timeZone);
  const pairs: AlertPairStatus[] = windows.map((pair) => {
    const factor = alertFactor(pair.budgetPercent, period, pair.longMinutes);
    const burnShort = rates[durationText(pair.shortMinutes)] ?? null;
    const burnLong = rates[durationText(pair.longMinutes)] ?? null;
    const longWindowEvents = totals[durationText(pair.longMinutes)] ?? 0;
    return {
      severity: pair.severity,
      short: durationText(pair.shortMinutes),
      long: durationText(pair.longMinutes),
      budgetPercent: pair.budgetPercent,
      factor,
      burnShort,
      burnLong,
      longWindowEvents,
      firing: pairFires(burnShort, burnLong, factor, longWindowEvents, slo.alerting.minEvents),
    };
  });

  return {
    journey: input.journey.name,
    slo: slo.name,
    displayName: slo.displayName ?? slo.name,
    objective: slo.objective,
    window: slo.window.text,
    budgeting: slo.budgeting,
    at: new Date(atMs).toISOString(),
    windowStart: new Date(range.fromMinute * MS_PER_MINUTE).toISOString(),
    windowEnd: new Date(range.toMinute * MS_PER_MINUTE).toISOString(),
    good,
    total,
    sli,
    attainment,
    errorBudget: { allowed: allowedBad(total, slo.objective), consumed: bad, remaining: errorBudgetRemaining(bad, total, slo.objective) },
    burnRates: rates,
    alerts: {
      page: pairs.some((p) => p.severity === 'page' && p.firing),
      ticket: pairs.some((p) => p.severity === 'ticket' && p.firing),
      pairs,
    },
  };
}

/**
 * The SLO evaluated at `from`, `from + step`, … up to `to` (inclusive), for charts.
 * @example sloHistory({ slo, series, timeZone: 'UTC', fromMs, toMs, stepMs: 3_600_000 })
 */
export function sloHistory(input: {
  slo: SloSpec;
  series: MinuteSeries;
  timeZone: string;
  fromMs: number;
  toMs: number;
  stepMs: number;
}): SloSeriesPoint[] {
  const { slo, series, timeZone, fromMs, toMs, stepMs } = input;
  const points: SloSeriesPoint[] = [];
  const stepMinutes = Math.max(1, Math.round(stepMs / MS_PER_MINUTE));
  for (let t = fromMs; t <= toMs; t += stepMs) {
    const status = evaluateSlo({ journey: { name: '' }, slo, series, atMs: t, timeZone });
    const m = minuteOf(t);
    const step = countEvents(series, m - stepMinutes + 1, m + 1);
    points.push({
      t: status.at,
      sli: status.sli,
      attainment: status.attainment,
      remaining: status.errorBudget.remaining,
      burnRate1h: status.burnRates['1h'],
      stepGood: step.good,
      stepTotal: step.total,
    });
  }
  return points;
}
