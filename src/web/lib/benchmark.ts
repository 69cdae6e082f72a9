/**
 * The Competition page's figures (docs/benchmark.md ("The benchmark")): each owner's availability and interval as text and as
 * bar geometry, its rank, and for our own row the gap between what customers saw and what our probe saw.
 */
import type { BenchmarkJourney, BenchmarkRow } from './api-types.js';
import { formatPercent } from './format.js';

/** Below this gap (0.1 percentage point) customers and probe agree. */
export const GAP_THRESHOLD = 0.001;

/** A ratio as a percentage with one decimal, truncated, and 100% written plainly. */
export function percent(ratio: number | null): string {
  if (ratio === 1) return '100%';
  return formatPercent(ratio, 1);
}

export interface CompetitionRow {
  owner: string;
  /** `self` is shown as "Us". */
  label: string;
  self: boolean;
  rank: string;
  /** True when the rank is shared with another owner of the journey. */
  sharedRank: boolean;
  availability: string;
  interval: string;
  /** Bar geometry in percent of the track (0–100%): the bar to the availability, the whisker over the interval. */
  bar: { width: number; whiskerLeft: number; whiskerWidth: number } | null;
  runs: string;
  latency: string;
  statusPage: string;
  /** Our row only: "customers: 99.1% vs probe 100%", and whether they differ by 0.1 point or more. */
  gap: { text: string; highlighted: boolean } | null;
}

const clamp = (x: number) => Math.max(0, Math.min(100, x * 100));

/**
 * One table row per owner, in the answer's order.
 * @example competitionRows(journey)[0]
 * // { label: 'Us', rank: '1', availability: '100%', gap: { text: 'customers: 99.1% vs probe 100%', highlighted: true }, … }
 */
export function competitionRows(journey: BenchmarkJourney): CompetitionRow[] {
  const ranks = journey.owners.map((o) => o.rank).filter((r): r is number => r !== null);
  return journey.owners.map((row: BenchmarkRow): CompetitionRow => {
    const { probes } = row;
    const self = row.owner === 'self';
    const gap =
      self && row.customers && probes.availability !== null
        ? {
            text: `customers: ${percent(row.customers.rate)} vs probe ${percent(probes.availability)}`,
            highlighted: Math.abs(row.customers.rate - probes.availability) >= GAP_THRESHOLD,
          }
        : null;
    return {
      owner: row.owner,
      label: self ? 'Us' : row.owner,
      self,
      rank: row.rank === null ? '—' : String(row.rank),
      sharedRank: row.rank !== null && ranks.filter((r) => r === row.rank).length > 1,
      availability: percent(probes.availability),
      interval: probes.interval ? `${percent(probes.interval.low)}–${percent(probes.interval.high)}` : '—',
      bar:
        probes.availability !== null && probes.interval
          ? {
              width: clamp(probes.availability),
              whiskerLeft: clamp(probes.interval.low),
              whiskerWidth: clamp(probes.interval.high) - clamp(probes.interval.low),
            }
          : null,
      runs: probes.runs === 0 ? 'no runs' : `${probes.ok} of ${probes.runs} ok`,
      latency: probes.p50Ms === null ? '—' : `${Math.round(probes.p50Ms)} ms · p95 ${Math.round(probes.p95Ms ?? probes.p50Ms)} ms`,
      statusPage: row.statusPage ? `${row.statusPage.downMinutes} min down · ${row.statusPage.degradedMinutes} min degraded` : '—',
      gap,
    };
  });
}
