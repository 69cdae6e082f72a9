/**
 * The retention page's logic (docs/retention.md): which period to show, the bars of retention by failures met and of
 * exposed against unexposed per period, with their Wilson whiskers laid out on one scale. Pure, so it is tested without
 * a browser.
 */
import type { RetentionCohort, RetentionPeriod, RetentionResponse } from './api-types.js';

export interface RateBar {
  key: string;
  /** What the bar is, as printed under it. */
  label: string;
  /** The group it belongs to (a period), or '' for a single group. */
  group: string;
  tone: 'none' | 'exposed' | 'unexposed';
  /** False when the period's next one has not ended: drawn faded. */
  complete: boolean;
  cohort: RetentionCohort;
}

export interface PlacedBar extends RateBar {
  x: number;
  width: number;
  /** Top of the bar (its rate); null bars are not drawn. */
  y: number | null;
  /** The whisker's top (high) and bottom (low), or null. */
  whisker: { top: number; bottom: number } | null;
}

export interface BarLayout {
  bars: PlacedBar[];
  ticks: Array<{ value: number; y: number; label: string }>;
  /** Centre and label of each group, for the axis under the bars. */
  groups: Array<{ label: string; x: number }>;
  /** The rate at the bottom of the plot (bars start there, so small differences show). */
  floor: number;
}

export interface Frame {
  width: number;
  height: number;
  /** Space for the axis labels: left, bottom, top. */
  left: number;
  bottom: number;
  top: number;
}

/** The period whose dose-response the page shows: the latest complete one with customers, else the latest with any. */
export function shownPeriod(r: RetentionResponse): RetentionPeriod | null {
  const withCustomers = r.periods.filter((p) => p.exposed.customers + p.unexposed.customers > 0);
  return [...withCustomers].reverse().find((p) => p.complete) ?? withCustomers[withCustomers.length - 1] ?? null;
}

/** Bars of retention by failures met (0, 1, 2-3, 4+) for one period. */
export function doseBars(p: RetentionPeriod): RateBar[] {
  return p.byFailures.map((b) => ({
    key: `dose-${b.failures}`,
    label: b.failures === '0' ? 'no failure' : b.failures === '1' ? '1 failure' : `${b.failures} failures`,
    group: '',
    tone: b.failures === '0' ? 'none' : 'exposed',
    complete: p.complete,
    cohort: b,
  }));
}

/** Two bars per period with customers: exposed, then unexposed. */
export function exposureBars(r: RetentionResponse): RateBar[] {
  return r.periods
    .filter((p) => p.exposed.customers + p.unexposed.customers > 0)
    .flatMap((p) => [
      {
        key: `${p.period}-exposed`,
        label: 'met a failure',
        group: p.period,
        tone: 'exposed' as const,
        complete: p.complete,
        cohort: p.exposed,
      },
      {
        key: `${p.period}-unexposed`,
        label: 'no failure',
        group: p.period,
        tone: 'unexposed' as const,
        complete: p.complete,
        cohort: p.unexposed,
      },
    ]);
}

/**
 * The bottom of the scale: 10 points under the lowest whisker, rounded down to a tenth, never below 0, so that bars
 * of 86% and 93% differ visibly while the scale still says where it starts.
 * @example rateFloor([{ cohort: { low: 0.849, … } }, …]) // 0.7
 */
export function rateFloor(bars: readonly RateBar[]): number {
  const lows = bars.map((b) => b.cohort.low ?? b.cohort.rate).filter((v): v is number => v !== null);
  if (lows.length === 0) return 0;
  return Math.max(0, Math.floor((Math.min(...lows) - 0.1) * 10 + 1e-9) / 10);
}

/** Places bars (grouped by `group`, in order) in `frame`, on a scale from rateFloor to 100%. */
export function layoutBars(bars: readonly RateBar[], frame: Frame): BarLayout {
  const floor = rateFloor(bars);
  const plotHeight = frame.height - frame.top - frame.bottom;
  const y = (rate: number) => frame.top + plotHeight * (1 - (Math.max(rate, floor) - floor) / (1 - floor));
  const groups: string[] = [];
  for (const b of bars) if (!groups.includes(b.group)) groups.push(b.group);
  const groupWidth = groups.length === 0 ? 0 : (frame.width - frame.left) / groups.length;
  const placed: PlacedBar[] = [];
  const centres: BarLayout['groups'] = [];
  groups.forEach((group, g) => {
    const members = bars.filter((b) => b.group === group);
    const slot = (groupWidth * 0.8) / members.length;
    const start = frame.left + g * groupWidth + groupWidth * 0.1;
    centres.push({ label: group, x: frame.left + (g + 0.5) * groupWidth });
    members.forEach((b, i) => {
      const { rate, low, high } = b.cohort;
      placed.push({
        ...b,
        x: start + i * slot + slot * 0.1,
        width: slot * 0.8,
        y: rate === null ? null : y(rate),
        whisker: low === null || high === null ? null : { top: y(high), bottom: y(low) },
      });
    });
  });
  const ticks: BarLayout['ticks'] = [];
  for (let step = Math.round(floor * 10); step <= 10; step++) {
    const value = step / 10;
    ticks.push({ value, y: y(value), label: `${step * 10}%` });
  }
  return { bars: placed, ticks, groups: centres, floor };
}

/** "93.0% of 80,114 (92.8–93.2%)", or "no customers". */
export function cohortText(c: RetentionCohort): string {
  if (c.rate === null) return 'no customers';
  const pct = (v: number) => (v * 100).toFixed(1);
  return `${pct(c.rate)}% of ${c.customers.toLocaleString('en-GB')} (${pct(c.low ?? c.rate)}–${pct(c.high ?? c.rate)}%)`;
}

/** "−7.0 pts", "+1.2 pts" or "—". */
export function pointsText(difference: number | null): string {
  if (difference === null) return '—';
  return `${difference < 0 ? '−' : '+'}${Math.abs(difference * 100).toFixed(1)} pts`;
}

/** "< 0.001", two significant figures, or "—". */
export function pText(p: number | null): string {
  if (p === null) return '—';
  return p < 0.001 ? '< 0.001' : String(Number(p.toPrecision(2)));
}
