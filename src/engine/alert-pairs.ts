/**
 * The multiwindow, multi-burn-rate alert pairs of the SRE Workbook (ch. 5), with factors scaled to
 * the SLO period (docs/slo-maths.md ("Alert pairs")): factor = budgetPercent × P / 100 / longWindowHours.
 */
import type { BurnWindow } from '../api/slo.js';

export interface AlertPairSpec {
  severity: 'page' | 'ticket';
  short: BurnWindow;
  long: BurnWindow;
  budgetPercent: number;
}

export const ALERT_PAIRS: readonly AlertPairSpec[] = [
  { severity: 'page', short: '5m', long: '1h', budgetPercent: 2 },
  { severity: 'page', short: '30m', long: '6h', budgetPercent: 5 },
  { severity: 'ticket', short: '2h', long: '1d', budgetPercent: 10 },
  { severity: 'ticket', short: '6h', long: '3d', budgetPercent: 10 },
];

export const BURN_WINDOW_MINUTES: Record<BurnWindow, number> = {
  '5m': 5,
  '30m': 30,
  '1h': 60,
  '2h': 120,
  '6h': 360,
  '1d': 1440,
  '3d': 4320,
};

/**
 * The burn-rate threshold of a pair for an SLO period of `periodMinutes`.
 * @example alertFactor(2, 28 * 1440, 60) // 13.44
 */
export function alertFactor(budgetPercent: number, periodMinutes: number, longWindowMinutes: number): number {
  return (budgetPercent * periodMinutes) / (100 * longWindowMinutes);
}

/** A pair fires when both burn rates exceed the factor and the long window holds enough events. */
export function pairFires(
  burnShort: number | null,
  burnLong: number | null,
  factor: number,
  longWindowEvents: number,
  minEvents: number,
): boolean {
  return burnShort !== null && burnLong !== null && burnShort > factor && burnLong > factor && longWindowEvents >= minEvents;
}
