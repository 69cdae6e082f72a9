/**
 * SLO status, series and burn-rate alerts on the wire (docs/api.md ("Reading SLOs")). The engine
 * computes `SloStatus` in exactly this shape; the server sends it as it is.
 */
import { z } from 'zod';
import { Instant, Measured } from './common.js';

export const BURN_WINDOWS = ['5m', '30m', '1h', '2h', '6h', '1d', '3d'] as const;
export const BurnWindow = z.enum(BURN_WINDOWS);
export type BurnWindow = z.infer<typeof BurnWindow>;

/**
 * Burn rate per window, keyed by canonical duration (`5m`, `1h`, `3d`): always the standard windows,
 * plus any other window the SLO's alert pairs use (null: no valid event in the window).
 */
export const BurnRates = z
  .object({
    '5m': Measured,
    '30m': Measured,
    '1h': Measured,
    '2h': Measured,
    '6h': Measured,
    '1d': Measured,
    '3d': Measured,
  })
  .catchall(Measured);
export type BurnRates = z.infer<typeof BurnRates>;

export const AlertPairStatus = z.strictObject({
  severity: z.enum(['page', 'ticket']),
  /** Canonical durations of the two windows, keys of `burnRates` (`5m` and `1h` for the first default pair). */
  short: z.string(),
  long: z.string(),
  /** Share of the budget this pair guards, in percent (2, 5, 10, 10 by default). */
  budgetPercent: z.number(),
  factor: z.number(),
  burnShort: Measured,
  burnLong: Measured,
  /** Valid events in the long window (for an amount-weighted SLO, their amount in `currency`). */
  longWindowEvents: z.number().nonnegative(),
  firing: z.boolean(),
});
export type AlertPairStatus = z.infer<typeof AlertPairStatus>;

/**
 * What an SLO's budget says, from least to most severe (docs/slo-maths.md ("Budget states")):
 * `insufficient_data` (too few events for the budget to mean anything yet), `ok`, `at_risk` (the last hour
 * burned faster than sustainable), `ticket` and `page` (an alert pair fires), `exhausted` (the budget is spent).
 */
export const SLO_STATES = ['insufficient_data', 'ok', 'at_risk', 'ticket', 'page', 'exhausted'] as const;
export const SloState = z.enum(SLO_STATES);
export type SloState = z.infer<typeof SloState>;

export const SliUnit = z.enum(['events', 'amount']);
export type SliUnit = z.infer<typeof SliUnit>;

/** The status of one SLO at one instant. */
export const SloStatus = z.strictObject({
  journey: z.string(),
  slo: z.string(),
  /** The SLO's `displayName` in vigil.yaml, else its name. */
  displayName: z.string(),
  objective: z.number(),
  window: z.string(),
  budgeting: z.enum(['occurrences', 'timeslices']),
  /** Evaluation instant. */
  at: Instant,
  /** Start and end (exclusive) of the SLO window. */
  windowStart: Instant,
  windowEnd: Instant,
  good: z.number().nonnegative(),
  total: z.number().nonnegative(),
  /**
   * What good, total, allowed, consumed and longWindowEvents count: `events`, or `amount` (money in `currency`, for an
   * SLO with `sli.weight: amount`; docs/slo-maths.md ("Value-weighted SLIs")). Timeslice budgets count slices.
   */
  unit: SliUnit,
  /** Only for unit `amount`: the journey's currency (ISO 4217). */
  currency: z.string().optional(),
  sli: Measured,
  attainment: Measured,
  errorBudget: z.strictObject({ allowed: z.number(), consumed: z.number(), remaining: z.number() }),
  burnRates: BurnRates,
  alerts: z.strictObject({ page: z.boolean(), ticket: z.boolean(), pairs: z.array(AlertPairStatus) }),
  /** The budget state: never `ok` when the budget is spent. */
  state: SloState,
});
export type SloStatus = z.infer<typeof SloStatus>;

/** One point of an SLO's history. */
export const SloSeriesPoint = z.strictObject({
  /** The instant the point was evaluated at. */
  t: Instant,
  /** SLI over the SLO window ending at t (events). */
  sli: Measured,
  /** Attainment over the SLO window ending at t (good slices / slices for timeslices). */
  attainment: Measured,
  /** Error budget remaining over the SLO window ending at t. */
  remaining: z.number(),
  /** Burn rate over the hour ending at t. */
  burnRate1h: Measured,
  /** Good and total events in the step ending at t (the interval since the previous point); amounts when amount-weighted. */
  stepGood: z.number().nonnegative(),
  stepTotal: z.number().nonnegative(),
});
export type SloSeriesPoint = z.infer<typeof SloSeriesPoint>;

/**
 * A deployment affecting the SLO's journey whose attribution interval meets the series' range (docs/release.md
 * ("Deployments")), with what it spent of this SLO's budget (shares of the budget; null when nothing could be measured).
 */
export const SeriesDeployment = z.strictObject({
  id: z.string(),
  service: z.string(),
  version: z.string(),
  author: z.string().nullable(),
  url: z.string().nullable(),
  description: z.string().nullable(),
  startedAt: Instant,
  /** The attribution interval, whole minutes: [from, to). */
  attribution: z.strictObject({ from: Instant, to: Instant }),
  consumed: z.number().nullable(),
  baseline: z.number().nullable(),
  excess: z.number().nullable(),
});
export type SeriesDeployment = z.infer<typeof SeriesDeployment>;

/** A correction (maintenance window) of the SLO's journey meeting the series' range: its events are left out of every figure. */
export const SeriesCorrection = z.strictObject({
  name: z.string(),
  from: Instant,
  to: Instant,
  reason: z.string().nullable(),
});
export type SeriesCorrection = z.infer<typeof SeriesCorrection>;

export const SeriesResponse = z.strictObject({
  journey: z.string(),
  slo: z.string(),
  objective: z.number(),
  from: Instant,
  to: Instant,
  stepMs: z.number().int().positive(),
  points: z.array(SloSeriesPoint),
  /** Deployments in the range, oldest first (annotations for the burn-down). */
  deployments: z.array(SeriesDeployment),
  /** Corrections in the range, oldest first; a weekly correction appears once per occurrence. */
  corrections: z.array(SeriesCorrection),
});
export type SeriesResponse = z.infer<typeof SeriesResponse>;

/** An SLO burn-rate alert firing now. */
export const SloAlert = z.strictObject({
  journey: z.string(),
  slo: z.string(),
  step: z.string().optional(),
  severity: z.enum(['page', 'ticket']),
  objective: z.number(),
  sli: Measured,
  errorBudgetRemaining: z.number(),
  burnRates: BurnRates,
  firingPairs: z.array(AlertPairStatus),
});
export type SloAlert = z.infer<typeof SloAlert>;

export const SloAlertsResponse = z.strictObject({ at: Instant, alerts: z.array(SloAlert) });
export type SloAlertsResponse = z.infer<typeof SloAlertsResponse>;
