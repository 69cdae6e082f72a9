/**
 * Multiwindow, multi-burn-rate alert pairs as data: the built-in policy per SLO period (the SRE
 * Workbook's windows, as Sloth keeps them for 28d and 30d), and the factor each pair fires above, scaled
 * to the SLO period: factor = budgetPercent × P / 100 / longWindow (docs/configuration.md ("Alert windows")).
 */
import type { BurnWindow } from '../api/slo.js';
import type { AlertWindowPair, AlertWindowPolicy, SloSpec, WindowSpec } from '../model/config.js';

const pair = (severity: 'page' | 'ticket', short: BurnWindow, long: BurnWindow, budgetPercent: number): AlertWindowPair => ({
  severity,
  short,
  long,
  shortMinutes: BURN_WINDOW_MINUTES[short],
  longMinutes: BURN_WINDOW_MINUTES[long],
  budgetPercent,
});

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
 * The Workbook's windows (ch. 5, "recommended parameters"): page on 2% of the budget in 1 h (checked
 * over 5 m) or 5% in 6 h (30 m); ticket on 10% in 1 d (2 h) or 10% in 3 d (6 h).
 */
export const WORKBOOK_PAIRS: readonly AlertWindowPair[] = [
  pair('page', '5m', '1h', 2),
  pair('page', '30m', '6h', 5),
  pair('ticket', '2h', '1d', 10),
  pair('ticket', '6h', '3d', 10),
];

/**
 * The built-in policies: for 28 and 30 days, the Workbook's windows (the same values Sloth ships for
 * those periods). An SLO of any other period (7d, a calendar week, month or quarter, …) uses the
 * Workbook's windows too, with factors scaled to its own period.
 */
export const DEFAULT_ALERT_POLICIES: readonly AlertWindowPolicy[] = [
  { period: { kind: 'rolling', minutes: 28 * 1440, text: '28d' }, pairs: [...WORKBOOK_PAIRS] },
  { period: { kind: 'rolling', minutes: 30 * 1440, text: '30d' }, pairs: [...WORKBOOK_PAIRS] },
];

/**
 * Whether two SLO windows are the same period: rolling ones by length (`4w` is `28d`), calendar ones by unit.
 * @example samePeriod({ kind: 'rolling', minutes: 40320, text: '4w' }, { kind: 'rolling', minutes: 40320, text: '28d' }) // true
 */
export function samePeriod(a: WindowSpec, b: WindowSpec): boolean {
  if (a.kind === 'rolling') return b.kind === 'rolling' && a.minutes === b.minutes;
  return b.kind === 'calendar' && a.unit === b.unit;
}

/**
 * The policy for a period among `policies`, or undefined.
 * @example policyFor({ kind: 'calendar', unit: 'month', text: 'month' }, DEFAULT_ALERT_POLICIES) // undefined
 */
export function policyFor(window: WindowSpec, policies: readonly AlertWindowPolicy[]): AlertWindowPolicy | undefined {
  return policies.find((policy) => samePeriod(policy.period, window));
}

/**
 * The alert pairs of an SLO: its configured windows, else the built-in policy for its period, else the
 * Workbook's windows.
 * @example alertWindowsFor(slo).map((p) => `${p.short}/${p.long}`) // ['5m/1h', '30m/6h', '2h/1d', '6h/3d']
 */
export function alertWindowsFor(slo: Pick<SloSpec, 'window' | 'alerting'>): readonly AlertWindowPair[] {
  return slo.alerting.windows ?? policyFor(slo.window, DEFAULT_ALERT_POLICIES)?.pairs ?? WORKBOOK_PAIRS;
}

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
