/** Pure transforms from the SLO series and incidents to the column arrays uPlot draws. */
import type { Incident, SeriesPoint } from './api-types.js';
import type { TimeFormat } from './format.js';

/** uPlot's aligned data: x values (epoch seconds) then one array per series, null for gaps. */
export type Columns = [number[], ...(number | null)[][]];

const seconds = (ms: number): number => Math.floor(ms / 1000);

/**
 * The error-budget burn-down: remaining budget in percent over time (100 = untouched, below 0 = overspent).
 * @example burnDown([{ t: 60_000, remaining: 0.5, ... }]) // [[60], [50]]
 */
export function burnDown(points: SeriesPoint[]): Columns {
  return [points.map((p) => seconds(Date.parse(p.t))), points.map((p) => round(p.remaining * 100))];
}

/**
 * The SLI of each interval (good/total in the step ending at t, in percent) and the objective as a flat line.
 * Intervals without events are gaps, not zeros: no traffic is not an outage.
 */
export function sliOverTime(points: SeriesPoint[], objective: number): Columns {
  return [
    points.map((p) => seconds(Date.parse(p.t))),
    points.map((p) => (p.stepTotal > 0 ? round((p.stepGood / p.stepTotal) * 100) : null)),
    points.map(() => objective),
  ];
}

/** The 1 h burn rate over time, with the fastest page threshold drawn beside it. */
export function burnRateOverTime(points: SeriesPoint[], pageFactor: number | null): Columns {
  const columns: Columns = [
    points.map((p) => seconds(Date.parse(p.t))),
    points.map((p) => (p.burnRate1h === null ? null : round(p.burnRate1h))),
  ];
  if (pageFactor !== null) columns.push(points.map(() => pageFactor));
  return columns;
}

export interface IncidentMarker {
  id: string;
  priority: Incident['priority'];
  /** Epoch seconds, clamped to the chart's range. */
  from: number;
  to: number;
  label: string;
}

/**
 * Incidents that overlap [fromMs, toMs], as spans on the time axis (open ones run to the end).
 * @example incidentMarkers(incidents, from, to).map((m) => m.label) // ["P1 INC-12"]
 */
export function incidentMarkers(incidents: Incident[], fromMs: number, toMs: number): IncidentMarker[] {
  return incidents
    .map((i) => ({ ...i, openedMs: Date.parse(i.openedAt), resolvedMs: i.resolvedAt === null ? null : Date.parse(i.resolvedAt) }))
    .filter((i) => i.openedMs <= toMs && (i.resolvedMs ?? toMs) >= fromMs)
    .map((i) => ({
      id: i.id,
      priority: i.priority,
      from: seconds(Math.max(i.openedMs, fromMs)),
      to: seconds(Math.min(i.resolvedMs ?? toMs, toMs)),
      label: `${i.priority} ${i.title}`,
    }))
    .sort((a, b) => a.from - b.from);
}

/** A y range that always shows the objective and the data, padded a little, for the SLI chart. */
export function sliRange(columns: Columns, objective: number): [number, number] {
  let min = objective;
  for (const v of columns[1] ?? []) if (v !== null && v < min) min = v;
  const span = Math.max(100 - min, 0.01);
  return [Math.max(0, min - span * 0.1), 100];
}

function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

/**
 * Labels of the time axis in the configured zone: dates when ticks are a day or more apart, clock times
 * otherwise, with the date at midnight so a multi-day span stays readable.
 * @example timeAxisLabels(timeFormat('UTC'), [0, 21_600], 21_600) // ["1 Jan", "06:00"]
 */
export function timeAxisLabels(time: Pick<TimeFormat, 'clock' | 'date'>, splits: number[], incrementSeconds: number): string[] {
  return splits.map((s) => {
    const ms = s * 1000;
    if (incrementSeconds >= 86_400) return time.date(ms);
    const clock = time.clock(ms);
    return clock === '00:00' ? time.date(ms) : clock;
  });
}

/**
 * The series to request for an SLO window: `points` evenly spaced whole-minute steps ending exactly at the
 * evaluation instant, so the newest point is now (not up to a step earlier) and the first is at the window's start.
 * @example seriesRange(0, 30 * 60_000) // { fromMs: 0, toMs: 1_800_000, step: '1m' }
 */
export function seriesRange(windowStartMs: number, atMs: number, points = 288): { fromMs: number; toMs: number; step: string } {
  const stepMinutes = Math.max(1, Math.ceil((atMs - windowStartMs) / 60_000 / points));
  const stepMs = stepMinutes * 60_000;
  const count = Math.max(1, Math.ceil((atMs - windowStartMs) / stepMs));
  return { fromMs: atMs - count * stepMs, toMs: atMs, step: `${stepMinutes}m` };
}
