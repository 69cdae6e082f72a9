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

/**
 * The 1 h burn rate over time, with the fastest page threshold drawn beside it. A step without events is a
 * gap, as on the SLI chart: the hour's rate carried into a silent minute would draw traffic that was not there.
 * @example burnRateOverTime([{ t, burnRate1h: 2, stepTotal: 0, … }], null)[1] // [null]
 */
export function burnRateOverTime(points: SeriesPoint[], pageFactor: number | null): Columns {
  const columns: Columns = [
    points.map((p) => seconds(Date.parse(p.t))),
    points.map((p) => (p.burnRate1h === null || p.stepTotal === 0 ? null : round(p.burnRate1h))),
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

/** Where an incident's label sits: its row under the chart's top edge, or null when no row has room (the span is still shaded). */
export interface MarkerPlacement {
  row: number | null;
  /** The label: the priority, or the priorities of the markers it stands for where they start at the same pixel. */
  label: string;
}

/**
 * Labels of incident markers laid out so that none overlaps another: each takes the first row whose last
 * label ends left of its start; markers starting within a label's width of the same x join one label
 * ("P2 ×3") instead of printing "P2P4P4"; beyond `maxRows` a label is left out.
 * @example layoutMarkers([{ x: 0, priority: 'P2' }, { x: 4, priority: 'P4' }], 30, 2) // [{ row: 0, label: 'P2 P4' }, { row: null, label: '' }]
 */
export function layoutMarkers(
  markers: readonly { x: number; priority: Incident['priority'] }[],
  labelWidth: number,
  maxRows = 3,
): MarkerPlacement[] {
  const placed: MarkerPlacement[] = markers.map(() => ({ row: null, label: '' }));
  const order = markers.map((m, i) => ({ ...m, i })).sort((a, b) => a.x - b.x || a.i - b.i);
  const rowEnds: number[] = [];
  for (let k = 0; k < order.length; ) {
    // Markers starting within half a label of this one share its label.
    const group = [order[k]!];
    while (k + group.length < order.length && order[k + group.length]!.x - order[k]!.x < labelWidth / 2)
      group.push(order[k + group.length]!);
    k += group.length;
    const priorities = [...new Set(group.map((g) => g.priority))].sort();
    const label =
      group.length === 1 ? group[0]!.priority : priorities.length === 1 ? `${priorities[0]} ×${group.length}` : priorities.join(' ');
    const start = group[0]!.x;
    const width = labelWidth * Math.max(1, label.length / 2);
    let row = rowEnds.findIndex((end) => end <= start);
    if (row === -1 && rowEnds.length < maxRows) row = rowEnds.push(0) - 1;
    if (row === -1) continue;
    rowEnds[row] = start + width;
    placed[group[0]!.i] = { row, label };
  }
  return placed;
}

/** The ranges the SLO page offers; `window` is the SLO's own window. */
export const CHART_RANGES = ['1h', '6h', '1d', '7d', 'window'] as const;
export type ChartRange = (typeof CHART_RANGES)[number];
export const DEFAULT_CHART_RANGE: ChartRange = '6h';

const RANGE_MINUTES: Record<Exclude<ChartRange, 'window'>, { minutes: number; step: number }> = {
  // At most a few hundred points each, and a 15-minute dip at least 7 points wide up to a day.
  '1h': { minutes: 60, step: 1 },
  '6h': { minutes: 360, step: 1 },
  '1d': { minutes: 1440, step: 2 },
  '7d': { minutes: 7 * 1440, step: 30 },
};

/**
 * The series to request for a range picked on the SLO page, ending at the evaluation instant.
 * @example chartRange('6h', windowStart, at) // { fromMs: at - 21_600_000, toMs: at, step: '1m' }
 */
export function chartRange(range: ChartRange, windowStartMs: number, atMs: number): { fromMs: number; toMs: number; step: string } {
  if (range === 'window') return seriesRange(windowStartMs, atMs);
  const { minutes, step } = RANGE_MINUTES[range];
  return { fromMs: atMs - minutes * 60_000, toMs: atMs, step: `${step}m` };
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
