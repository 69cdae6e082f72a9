/** The BenchmarkStore on SQLite. */
import type { CapabilityBackend } from '../capability.js';
import { inBatches, PURGE_BATCH, type PurgeResult } from '../purge.js';
import type { SqliteConnection } from '../sqlite/connection.js';
import type { BenchmarkStore, ProbeResult, ProbeSummary, StatusMinute, StatusSummary } from './benchmark-store.js';
import {
  type LatencyRow,
  PROBE_COLUMNS,
  type ProbeRow,
  probeFromRow,
  type StatusCountRow,
  statusFromRow,
  summariesFromRows,
} from './benchmark-rows.js';
import { SQLITE_BENCHMARKS_MIGRATIONS } from './schema.js';

const SUMMARY_SQL =
  'SELECT owner, journey, ok, latency_ms FROM probe_results WHERE at >= ? AND at < ? ORDER BY journey, owner, latency_ms IS NULL, latency_ms';
const STATUS_SQL = `SELECT owner, journey, SUM(state = 'down') AS down, SUM(state = 'degraded') AS degraded FROM status_minutes
  WHERE minute >= ? AND minute < ? GROUP BY journey, owner ORDER BY journey, owner`;

class SqliteBenchmarks implements BenchmarkStore {
  constructor(private readonly connection: SqliteConnection) {}

  async saveProbeResults(results: readonly ProbeResult[]): Promise<void> {
    const sql = `INSERT INTO probe_results (${PROBE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (probe, at) DO NOTHING`;
    this.connection.guard(() => {
      const stmt = this.connection.stmt(sql);
      this.connection.db.transaction(() => {
        for (const r of results) stmt.run(r.probe, r.at, r.owner, r.journey, r.ok ? 1 : 0, r.latencyMs, r.error);
      })();
    });
  }

  async probeResults(probe: string, from: number, to: number): Promise<ProbeResult[]> {
    const sql = `SELECT ${PROBE_COLUMNS} FROM probe_results WHERE probe = ? AND at >= ? AND at < ? ORDER BY at`;
    return this.connection.guard(() => (this.connection.stmt(sql).all(probe, from, to) as ProbeRow[]).map(probeFromRow));
  }

  async probeSummaries(from: number, to: number): Promise<ProbeSummary[]> {
    return this.connection.guard(() => summariesFromRows(this.connection.stmt(SUMMARY_SQL).all(from, to) as LatencyRow[]));
  }

  async saveStatusMinutes(minutes: readonly StatusMinute[]): Promise<void> {
    // 'down' > 'degraded' as text, so MAX keeps the worse state.
    const sql = `INSERT INTO status_minutes (owner, component, minute, journey, state) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT (owner, component, minute) DO UPDATE SET state = MAX(state, excluded.state), journey = excluded.journey`;
    this.connection.guard(() => {
      const stmt = this.connection.stmt(sql);
      this.connection.db.transaction(() => {
        for (const m of minutes) stmt.run(m.owner, m.component, m.minute, m.journey, m.state);
      })();
    });
  }

  async statusSummaries(fromMinute: number, toMinute: number): Promise<StatusSummary[]> {
    return this.connection.guard(() => (this.connection.stmt(STATUS_SQL).all(fromMinute, toMinute) as StatusCountRow[]).map(statusFromRow));
  }

  async purgeBenchmarks(before: number, batch = PURGE_BATCH): Promise<PurgeResult> {
    const run = (sql: string, cut: number) =>
      inBatches(batch, () => this.connection.guard(() => this.connection.stmt(sql).run(cut, batch).changes));
    const probes = await run('DELETE FROM probe_results WHERE rowid IN (SELECT rowid FROM probe_results WHERE at < ? LIMIT ?)', before);
    const minutes = await run(
      'DELETE FROM status_minutes WHERE rowid IN (SELECT rowid FROM status_minutes WHERE minute < ? LIMIT ?)',
      Math.floor(before / 60_000),
    );
    return { rows: probes.rows + minutes.rows, batches: probes.batches + minutes.batches };
  }
}

/** The benchmarks capability's SQLite module, registered in capabilities.ts. */
export const sqliteBenchmarks: CapabilityBackend<SqliteConnection, BenchmarkStore> = {
  migrations: SQLITE_BENCHMARKS_MIGRATIONS,
  open: (connection) => new SqliteBenchmarks(connection),
};
