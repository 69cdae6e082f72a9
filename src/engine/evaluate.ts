/**
 * The status of one SLO at one instant (docs/slo-maths.md ("Error budget", "Timeslices", "Burn rate", "Alert pairs")), from per-minute good/total counts.
 * Pure: data and an instant in, a status out. Cost: O(days in the window), never O(events).
 */
import { type AlertPairStatus, BURN_WINDOWS, type BurnRates, type SloSeriesPoint, type SloState, type SloStatus } from '../api/slo.js';
import { durationText, type JourneySpec, type SloSpec } from '../model/config.js';
import { BURN_WINDOW_MINUTES, alertFactor, alertWindowsFor, pairFires } from './alert-pairs.js';
import { allowedBad, burnRate, errorBudgetRemaining, eventsForOneFailure } from './error-budget.js';
import { type MinuteSeries, SLICE_TARGET_SCALE } from './minute-series.js';
import { MS_PER_MINUTE, minuteOf } from '../model/minutes.js';
import { periodMinutes, rollingRange, windowRange } from './windows.js';
import { unitScale } from './sli.js';

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

/** A calendar window is "early" while less than this share of its period has elapsed. */
export const EARLY_PERIOD_SHARE = 0.25;

export interface StateInput {
  /** Whether the window is a calendar period (it restarts empty) or rolling. */
  calendar: boolean;
  /** Minutes of the window counted so far, and the SLO period P in minutes. */
  elapsedMinutes: number;
  periodMinutes: number;
  /** Valid events in the window. */
  events: number;
  /** What the budget counts: events, or slices under timeslices. */
  total: number;
  objective: number;
  minEvents: number;
  remaining: number;
  page: boolean;
  ticket: boolean;
  burn1h: number | null;
}

/**
 * The budget state (docs/slo-maths.md ("Budget states")). Too little data: no valid event, fewer than
 * `alerting.minEvents`, or a calendar window in the first quarter of its period whose budget does not yet allow
 * one bad event. With enough data a spent budget (remaining ≤ 0) is `exhausted` whatever fires; then a firing
 * page or ticket pair (those carry their own minimum), then `at_risk` when the last hour burned above 1.
 * @example sloState({ calendar: false, elapsedMinutes: 40320, periodMinutes: 40320, events: 1000, total: 1000, objective: 99.9,
 *   minEvents: 0, remaining: -9, page: false, ticket: true, burn1h: 10 }) // 'exhausted'
 */
export function sloState(input: StateInput): SloState {
  const early = input.calendar && input.elapsedMinutes < input.periodMinutes * EARLY_PERIOD_SHARE;
  const insufficient =
    input.events === 0 || input.events < input.minEvents || (early && input.total < eventsForOneFailure(input.objective));
  if (!insufficient && input.remaining <= 0) return 'exhausted';
  if (input.page) return 'page';
  if (input.ticket) return 'ticket';
  if (insufficient) return 'insufficient_data';
  if (input.burn1h !== null && input.burn1h > 1) return 'at_risk';
  return 'ok';
}

/**
 * Evaluate an SLO at an instant.
 * @example evaluateSlo({ journey, slo, series, atMs: Date.parse('2026-11-26T10:00:00Z'), timeZone: 'UTC' }).errorBudget.remaining
 */
export function evaluateSlo(input: EvaluateInput): SloStatus {
  const { slo, series, atMs, timeZone } = input;
  // An amount-weighted SLI's series holds integer minor units: the maths runs on them (exact sums; ratios are
  // unchanged by the scale) and only the figures that are money on the wire are divided by the scale.
  const scale = unitScale(slo.sli);
  const onWire = (units: number) => units / scale + 0;
  const minUnits = slo.alerting.minEvents * scale;
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
      longWindowEvents: onWire(longWindowEvents),
      firing: pairFires(burnShort, burnLong, factor, longWindowEvents, minUnits),
    };
  });

  const remaining = errorBudgetRemaining(bad, total, slo.objective);
  const page = pairs.some((p) => p.severity === 'page' && p.firing);
  const ticket = pairs.some((p) => p.severity === 'ticket' && p.firing);
  const state = sloState({
    calendar: slo.window.kind === 'calendar',
    elapsedMinutes: range.toMinute - range.fromMinute,
    periodMinutes: period,
    events: events.total,
    // For money, "the budget does not yet allow one bad event" reads "one bad unit of the currency".
    total: slo.budgeting === 'timeslices' ? total : onWire(total),
    objective: slo.objective,
    minEvents: minUnits,
    remaining,
    page,
    ticket,
    burn1h: rates['1h'],
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
    good: onWire(good),
    total: onWire(total),
    unit: slo.sli.weight === 'amount' ? 'amount' : 'events',
    ...(slo.sli.weight === 'amount' && { currency: slo.sli.currency ?? '' }),
    sli,
    attainment,
    errorBudget: { allowed: allowedBad(total, slo.objective) / scale, consumed: onWire(bad), remaining },
    burnRates: rates,
    alerts: { page, ticket, pairs },
    state,
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
      stepGood: step.good / unitScale(slo.sli),
      stepTotal: step.total / unitScale(slo.sli),
    });
  }
  return points;
}

/**
 * When the alert of one severity started to hold (docs/alerting.md ("SLO alerts")): the first minute, searching
 * back from `atMs` within the longest window of its pairs, from which one of its pairs has fired every minute.
 * An SLO alert is stamped with it, not with when it was evaluated, so it correlates with the technical alerts of
 * the same outage. `atMs` itself when the alert does not fire then.
 * @example firingSince({ journey, slo, series, atMs, timeZone: 'UTC' }, 'page') // 13:54, evaluated at 14:11
 */
export function firingSince(input: EvaluateInput, severity: 'page' | 'ticket'): number {
  const { slo, series, atMs, timeZone } = input;
  const period = periodMinutes(slo.window, atMs, timeZone);
  const pairs = alertWindowsFor(slo).filter((pair) => pair.severity === severity);
  const burn = (minutes: number, t: number) => {
    const range = rollingRange(minutes, t);
    const { good, total } = countEvents(series, range.fromMinute, range.toMinute);
    return { rate: burnRate(total - good, total, slo.objective), total };
  };
  const fires = (t: number) =>
    pairs.some((pair) => {
      const short = burn(pair.shortMinutes, t);
      const long = burn(pair.longMinutes, t);
      return pairFires(
        short.rate,
        long.rate,
        alertFactor(pair.budgetPercent, period, pair.longMinutes),
        long.total,
        slo.alerting.minEvents * unitScale(slo.sli),
      );
    });
  if (!fires(atMs)) return atMs;
  const longest = Math.max(0, ...pairs.map((pair) => pair.longMinutes));
  let first = atMs;
  for (let t = atMs - MS_PER_MINUTE; t >= atMs - longest * MS_PER_MINUTE && fires(t); t -= MS_PER_MINUTE) first = t;
  return first;
}
