/** The status of one SLO at one instant (docs/api.md ("Reading SLOs")), as the engine computes it and the API returns it. */

export const BURN_WINDOWS = ['5m', '30m', '1h', '2h', '6h', '1d', '3d'] as const;
export type BurnWindow = (typeof BURN_WINDOWS)[number];

export interface AlertPairStatus {
  severity: 'page' | 'ticket';
  short: BurnWindow;
  long: BurnWindow;
  /** Share of the budget this pair guards, in percent (2, 5, 10, 10). */
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
  burnRates: Record<BurnWindow, number | null>;
  alerts: { page: boolean; ticket: boolean; pairs: AlertPairStatus[] };
}
