/** Benchmark rows as both backends read and write them. */
import type { ProbeResult } from '../../model/benchmark.js';
import type { ProbeSummary, StatusSummary } from './benchmark-store.js';

export interface ProbeRow {
  probe: string;
  at: number | string;
  owner: string;
  journey: string;
  ok: number | boolean;
  latency_ms: number | string | null;
  error: string | null;
}

export const PROBE_COLUMNS = 'probe, at, owner, journey, ok, latency_ms, error';

export function probeFromRow(row: ProbeRow): ProbeResult {
  return {
    probe: row.probe,
    owner: row.owner,
    journey: row.journey,
    at: Number(row.at),
    ok: row.ok === true || row.ok === 1,
    latencyMs: row.latency_ms === null ? null : Number(row.latency_ms),
    error: row.error,
  };
}

/** Latencies of one owner and journey, in the order the query returned them (ascending). */
export interface LatencyRow {
  owner: string;
  journey: string;
  ok: number | boolean;
  latency_ms: number | string | null;
}

/** Folds rows ordered by journey, owner, latency into summaries. */
export function summariesFromRows(rows: readonly LatencyRow[]): ProbeSummary[] {
  const out: ProbeSummary[] = [];
  let current: ProbeSummary | undefined;
  for (const row of rows) {
    if (!current || current.owner !== row.owner || current.journey !== row.journey) {
      current = { owner: row.owner, journey: row.journey, runs: 0, ok: 0, latencies: [] };
      out.push(current);
    }
    current.runs++;
    if (row.ok === true || row.ok === 1) current.ok++;
    if (row.latency_ms !== null) current.latencies.push(Number(row.latency_ms));
  }
  return out;
}

export interface StatusCountRow {
  owner: string;
  journey: string;
  down: number | string;
  degraded: number | string;
}

export function statusFromRow(row: StatusCountRow): StatusSummary {
  return { owner: row.owner, journey: row.journey, down: Number(row.down), degraded: Number(row.degraded) };
}
