/** The status of one SLO at one instant (SPEC §4.5), as the engine computes it and the API returns it. */

/** The burn windows every status reports, whatever its alert windows (docs/api.md). */
export const BURN_WINDOWS = ['5m', '30m', '1h', '2h', '6h', '1d', '3d'] as const;
export type BurnWindow = (typeof BURN_WINDOWS)[number];

/**
 * Burn rate per window, keyed by canonical duration (`5m`, `1h`, `3d`): always the standard windows,
 * plus any other window the SLO's alert pairs use (null: no valid event in the window).
 */
export type BurnRates = Record<BurnWindow, number | null> & Record<string, number | null>;

export interface AlertPairStatus {
  severity: 'page' | 'ticket';
  /** Canonical durations of the two windows, keys of `burnRates` (`5m` and `1h` for the first default pair). */
  short: string;
  long: string;
  /** Share of the budget this pair guards, in percent (2, 5, 10, 10 by default). */
  budgetPercent: number;
  factor: number;
  burnShort: number | null;
  burnLong: number | null;
  /** Valid events in the long window. */
  longWindowEvents: number;
  firing: boolean;
}

export interface SloStatus {
  journey: string;
  slo: string;
  objective: number;
  window: string;
  budgeting: 'occurrences' | 'timeslices';
  /** Evaluation instant, RFC 3339. */
  at: string;
  /** Start and end (exclusive) of the SLO window, RFC 3339. */
  windowStart: string;
  windowEnd: string;
  good: number;
  total: number;
  sli: number | null;
  attainment: number | null;
  errorBudget: { allowed: number; consumed: number; remaining: number };
  burnRates: BurnRates;
  alerts: { page: boolean; ticket: boolean; pairs: AlertPairStatus[] };
}
