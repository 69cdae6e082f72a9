/**
 * Pure parts of reading an SLI from Prometheus (docs/prometheus.md ("Prometheus as an SLI source")): the PromQL Vigil
 * sends, the minute arithmetic of `query_range`, the chunks a backfill is cut into, and the reading of an answer into
 * per-minute good and total counts. No I/O: src/app/prometheus-sources.ts does the requests.
 */
import type { PrometheusSliQueries } from '../model/config.js';
import type { EpochMinute } from '../model/minutes.js';

/** Prometheus refuses a range query of more than 11,000 points per series; a week of minutes is 10,080. */
export const MAX_CHUNK_MINUTES = 7 * 1440;
/** The step of every range query: one point per minute. */
export const STEP_SECONDS = 60;

/**
 * The query Vigil sends for one of an SLI's expressions: the sum over every series of its increase in the minute that
 * ends at each evaluation time.
 * @example minuteQuery('http_requests_total{code!~"5.."}') // 'sum(increase(http_requests_total{code!~"5.."}[1m]))'
 */
export function minuteQuery(expression: string): string {
  return `sum(increase(${expression.trim()}[1m]))`;
}

/** The queries sent for an SLI: `good` or `bad` (whichever is configured) and `total`. */
export function sliQueries(q: PrometheusSliQueries): { side: 'good' | 'bad'; sideQuery: string; totalQuery: string } {
  const side = q.good !== undefined ? 'good' : 'bad';
  return { side, sideQuery: minuteQuery(q.good ?? q.bad ?? ''), totalQuery: minuteQuery(q.total) };
}

/**
 * The `query_range` parameters that read minutes [fromMinute, toMinute): a point evaluated at time t covers the minute
 * that ends at t, so the first evaluation is at the end of `fromMinute` and the last at the end of `toMinute - 1`.
 * @example rangeParams(100, 103) // { start: 6060, end: 6180, step: 60 }
 */
export function rangeParams(fromMinute: EpochMinute, toMinute: EpochMinute): { start: number; end: number; step: number } {
  return { start: (fromMinute + 1) * STEP_SECONDS, end: toMinute * STEP_SECONDS, step: STEP_SECONDS };
}

/**
 * The minute a point at `seconds` (an evaluation time of rangeParams) covers: the one ending then.
 * @example pointMinute(6060) // 100
 */
export function pointMinute(seconds: number): EpochMinute {
  return Math.round(seconds / STEP_SECONDS) - 1;
}

/**
 * Minutes [fromMinute, toMinute) cut into consecutive chunks of at most `size` minutes, oldest first.
 * @example chunks(0, 25, 10) // [[0, 10], [10, 20], [20, 25]]
 */
export function chunks(fromMinute: EpochMinute, toMinute: EpochMinute, size = MAX_CHUNK_MINUTES): [EpochMinute, EpochMinute][] {
  const out: [EpochMinute, EpochMinute][] = [];
  for (let from = fromMinute; from < toMinute; from += size) out.push([from, Math.min(from + size, toMinute)]);
  return out;
}

/** A `matrix` answer of `/api/v1/query_range`, as Prometheus sends it (values are strings). */
export interface RangeData {
  resultType: string;
  result: { metric: Record<string, string>; values: [number, string][] }[];
}

/**
 * Minute → value of a range answer of a `sum(...)` query (one series at most). Points that are not finite numbers
 * (NaN, ±Inf) are left out, so they read as a gap rather than as a figure.
 * @example seriesMinutes({ resultType: 'matrix', result: [{ metric: {}, values: [[6060, '3']] }] }) // Map { 100 => 3 }
 */
export function seriesMinutes(data: RangeData): Map<EpochMinute, number> {
  const out = new Map<EpochMinute, number>();
  if (data.resultType !== 'matrix') throw new TypeError(`expected a matrix answer, got ${data.resultType}`);
  for (const series of data.result) {
    for (const [seconds, text] of series.values) {
      const value = Number(text);
      if (!Number.isFinite(value)) continue;
      const minute = pointMinute(seconds);
      out.set(minute, (out.get(minute) ?? 0) + value);
    }
  }
  return out;
}

/** One minute read from Prometheus: good and total; a minute without a `total` point is a gap and has no row. */
export interface ReadMinute {
  minute: EpochMinute;
  good: number;
  total: number;
}

/**
 * Per-minute good and total from the two answers, over minutes [fromMinute, toMinute). A minute counts only when
 * `total` has a point there; without one it is a gap (Prometheus had no samples), listed in `gaps` and never a zero.
 * When total has a point and the good (or bad) query has none, no good (or bad) series moved in that minute: it reads
 * 0 (a bad-request counter that does not exist yet is the common case). Good is kept within [0, total]; a negative or
 * larger figure (queries over different series, extrapolation) is clamped and counted in `clamped`.
 * @example readMinutes('bad', new Map([[100, 1]]), new Map([[100, 10], [101, 5]]), 100, 103)
 * // { minutes: [{ minute: 100, good: 9, total: 10 }, { minute: 101, good: 5, total: 5 }], gaps: [102], clamped: 0 }
 */
export function readMinutes(
  side: 'good' | 'bad',
  sideValues: ReadonlyMap<EpochMinute, number>,
  totalValues: ReadonlyMap<EpochMinute, number>,
  fromMinute: EpochMinute,
  toMinute: EpochMinute,
): { minutes: ReadMinute[]; gaps: EpochMinute[]; clamped: number } {
  const minutes: ReadMinute[] = [];
  const gaps: EpochMinute[] = [];
  let clamped = 0;
  for (let minute = fromMinute; minute < toMinute; minute++) {
    const total = totalValues.get(minute);
    if (total === undefined) {
      gaps.push(minute);
      continue;
    }
    const other = sideValues.get(minute) ?? 0;
    const raw = side === 'good' ? other : total - other;
    const good = Math.min(Math.max(raw, 0), Math.max(total, 0));
    if (good !== raw) clamped++;
    minutes.push({ minute, good, total: Math.max(total, 0) });
  }
  return { minutes, gaps, clamped };
}

/**
 * Gap minutes as ranges [from, to), oldest first.
 * @example gapRanges([3, 4, 5, 9]) // [[3, 6], [9, 10]]
 */
export function gapRanges(gaps: readonly EpochMinute[]): [EpochMinute, EpochMinute][] {
  const out: [EpochMinute, EpochMinute][] = [];
  for (const minute of [...gaps].sort((a, b) => a - b)) {
    const last = out[out.length - 1];
    if (last && last[1] === minute) last[1] = minute + 1;
    else out.push([minute, minute + 1]);
  }
  return out;
}
