/**
 * The elasticity method (docs/value.md ("Elasticity")): hourly attempt volume against its seasonal baseline (the mean
 * of the same hour of the week over the previous four weeks), regressed on the hour's success-rate shortfall below
 * the baseline success rate, with a 95% interval from Student's t.
 */
import { fitLine, studentTQuantile } from './stats.js';

export const HOURS_PER_WEEK = 168;
/** Weeks of history the baseline averages, and the least history the method needs. */
export const BASELINE_WEEKS = 4;
export const MIN_HISTORY_WEEKS = 2;
/** An hour is degraded when its success rate is this many binomial standard errors below the baseline rate. */
export const DEGRADED_Z = 3;
/** The fit needs at least this many hours, of which at least MIN_DEGRADED_HOURS degraded. */
export const MIN_FIT_HOURS = 48;
export const MIN_DEGRADED_HOURS = 3;

/** Outcome counts of one hour; `attempts` counts every outcome. */
export interface HourCounts {
  attempts: number;
  success: number;
  failure: number;
}

export interface ElasticityInput {
  /** Consecutive hours: BASELINE_WEEKS × 168 hours of history, then the period's hours. */
  hours: readonly HourCounts[];
}

/** One hour of the period, for the chart beside the figures. */
export interface HourPoint {
  attempts: number;
  /** Baseline volume of the hour (null when no earlier week had data). */
  baseline: number | null;
  successRate: number | null;
  degraded: boolean;
}

export interface ElasticityFit {
  /** Share of volume lost per point of success lost, in percent (3 = 3% of the volume per point). */
  elasticity: number;
  low: number;
  high: number;
  lostAttempts: number;
  lostAttemptsLow: number;
  lostAttemptsHigh: number;
  hoursDegraded: number;
  r2: number;
  /** Hours in the regression. */
  hours: number;
}

export type ElasticityResult =
  | { ok: true; fit: ElasticityFit; baselineSuccessRate: number; points: HourPoint[] }
  | { ok: false; reason: string; baselineSuccessRate: number | null; points: HourPoint[] };

const rate = (h: HourCounts): number | null => (h.success + h.failure > 0 ? h.success / (h.success + h.failure) : null);

/**
 * Fit the elasticity over the period's hours; `ok: false` with the reason when history is short or the data cannot
 * support a fit — never a made-up figure.
 * @example const r = fitElasticity({ hours }); if (r.ok) console.log(r.fit.elasticity, r.fit.lostAttempts)
 */
export function fitElasticity(input: ElasticityInput): ElasticityResult {
  const historyHours = BASELINE_WEEKS * HOURS_PER_WEEK;
  const { hours } = input;
  const first = hours.findIndex((h) => h.attempts > 0);
  let hSuccess = 0;
  let hValid = 0;
  for (let i = 0; i < historyHours && i < hours.length; i++) {
    hSuccess += hours[i]!.success;
    hValid += hours[i]!.success + hours[i]!.failure;
  }
  const baseRate = hValid > 0 ? hSuccess / hValid : null;
  const points: HourPoint[] = [];
  const xs: number[] = [];
  const ys: number[] = [];
  const weights: number[] = [];
  let hoursDegraded = 0;
  for (let i = historyHours; i < hours.length; i++) {
    const h = hours[i]!;
    let sum = 0;
    let weeks = 0;
    for (let k = 1; k <= BASELINE_WEEKS; k++) {
      const j = i - k * HOURS_PER_WEEK;
      if (first === -1 || j < first) continue;
      sum += hours[j]!.attempts;
      weeks++;
    }
    const baseline = weeks > 0 ? sum / weeks : null;
    const r = rate(h);
    let degraded = false;
    let shortfall = 0;
    if (baseRate !== null && r !== null) {
      const valid = h.success + h.failure;
      const se = Math.sqrt(Math.max(baseRate * (1 - baseRate), 1e-12) / valid);
      degraded = baseRate - r > DEGRADED_Z * se;
      if (degraded) shortfall = (baseRate - r) * 100;
    }
    points.push({ attempts: h.attempts, baseline, successRate: r, degraded });
    if (baseline === null || baseline <= 0 || r === null) continue;
    if (degraded) hoursDegraded++;
    xs.push(shortfall);
    ys.push(h.attempts / baseline - 1);
    weights.push(baseline);
  }
  const historyBefore = first === -1 ? 0 : Math.max(0, historyHours - first);
  if (historyBefore < MIN_HISTORY_WEEKS * HOURS_PER_WEEK) {
    const days = Math.floor(historyBefore / 24);
    return {
      ok: false,
      reason: `history too short: ${days} days before the period, ${MIN_HISTORY_WEEKS * 7} needed`,
      baselineSuccessRate: baseRate,
      points,
    };
  }
  if (xs.length < MIN_FIT_HOURS)
    return {
      ok: false,
      reason: `too few hours with traffic to fit: ${xs.length}, ${MIN_FIT_HOURS} needed`,
      baselineSuccessRate: baseRate,
      points,
    };
  if (hoursDegraded < MIN_DEGRADED_HOURS)
    return {
      ok: false,
      reason: `success fell clearly below its baseline in ${hoursDegraded} hours, ${MIN_DEGRADED_HOURS} needed to fit`,
      baselineSuccessRate: baseRate,
      points,
    };
  const line = fitLine(xs, ys)!;
  const t = studentTQuantile(0.975, line.n - 2);
  // Volume falls as shortfall grows: the elasticity is the negated slope, in % of volume per point.
  const e = -line.slope;
  const half = t * line.slopeSe;
  let exposure = 0;
  for (let i = 0; i < xs.length; i++) exposure += xs[i]! * weights[i]!;
  const lost = (share: number) => Math.max(0, share * exposure);
  return {
    ok: true,
    baselineSuccessRate: baseRate!,
    points,
    fit: {
      elasticity: e * 100,
      low: (e - half) * 100,
      high: (e + half) * 100,
      lostAttempts: lost(e),
      lostAttemptsLow: lost(e - half),
      lostAttemptsHigh: lost(e + half),
      hoursDegraded,
      r2: line.r2,
      hours: line.n,
    },
  };
}
