/** The BenchmarkStore capability: probe results and status-page minutes (docs/benchmark.md). */
import type { ComponentState, ProbeResult, StatusMinute } from '../../model/benchmark.js';
import type { PurgeResult } from '../purge.js';

export type { ProbeResult, StatusMinute };

/** Per owner and journey: probe runs, how many were ok, and each run's latency (ms, null when none came). */
export interface ProbeSummary {
  owner: string;
  journey: string;
  runs: number;
  ok: number;
  /** Latencies of the runs that got an answer, ascending. */
  latencies: number[];
}

/** Per owner and journey: status-page minutes down and degraded. */
export interface StatusSummary {
  owner: string;
  journey: string;
  down: number;
  degraded: number;
}

/** Persistence of benchmark data. */
export interface BenchmarkStore {
  /** Stores probe results (each run once: a result with the same probe and time as a stored one is ignored). */
  saveProbeResults(results: readonly ProbeResult[]): Promise<void>;
  /** A probe's results with at in [from, to), oldest first. */
  probeResults(probe: string, from: number, to: number): Promise<ProbeResult[]>;
  /** Probe figures per owner and journey over runs with at in [from, to), by journey then owner. */
  probeSummaries(from: number, to: number): Promise<ProbeSummary[]>;
  /**
   * Stores status-page minutes; a minute already stored for the same owner and component keeps the worse state
   * (down over degraded), so the history and the live poll may both write it.
   */
  saveStatusMinutes(minutes: readonly StatusMinute[]): Promise<void>;
  /** Down and degraded minutes per owner and journey over epoch minutes [fromMinute, toMinute), by journey then owner. */
  statusSummaries(fromMinute: number, toMinute: number): Promise<StatusSummary[]>;
  /**
   * Deletes probe results before `before` (ms) and status minutes before its minute, at most `batch` rows per
   * transaction (docs/storage.md ("Purging old data")); rows and batches count both tables.
   */
  purgeBenchmarks(before: number, batch?: number): Promise<PurgeResult>;
}

/** The worse of two states. */
export function worse(a: ComponentState, b: ComponentState): ComponentState {
  return a === 'down' || b === 'down' ? 'down' : 'degraded';
}
