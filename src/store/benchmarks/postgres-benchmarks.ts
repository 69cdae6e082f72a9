/** The BenchmarkStore on PostgreSQL. */
import type { CapabilityBackend } from '../capability.js';
import { inBatches, PURGE_BATCH, type PurgeResult } from '../purge.js';
import type { PostgresConnection } from '../postgres/connection.js';
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
import { POSTGRES_BENCHMARKS_MIGRATIONS } from './schema.js';

/** Rows per INSERT statement (7 parameters each, well under PostgreSQL's 65,535). */
const ROWS_PER_STATEMENT = 1000;

function placeholders(rows: number, columns: number): string {
  return Array.from({ length: rows }, (_, r) => `(${Array.from({ length: columns }, (_, c) => `$${r * columns + c + 1}`)})`).join(', ');
}

class PostgresBenchmarks implements BenchmarkStore {
  constructor(private readonly connection: PostgresConnection) {}

  async saveProbeResults(results: readonly ProbeResult[]): Promise<void> {
    if (results.length === 0) return;
    await this.connection.inTransaction(async (client) => {
      for (let start = 0; start < results.length; start += ROWS_PER_STATEMENT) {
        const chunk = results.slice(start, start + ROWS_PER_STATEMENT);
        const sql = `INSERT INTO probe_results (${PROBE_COLUMNS}) VALUES ${placeholders(chunk.length, 7)} ON CONFLICT (probe, at) DO NOTHING`;
        await client.query(
          sql,
          chunk.flatMap((r) => [r.probe, r.at, r.owner, r.journey, r.ok, r.latencyMs, r.error]),
        );
      }
    });
  }

  async probeResults(probe: string, from: number, to: number): Promise<ProbeResult[]> {
    const sql = `SELECT ${PROBE_COLUMNS} FROM probe_results WHERE probe = $1 AND at >= $2 AND at < $3 ORDER BY at`;
    return (await this.connection.query<ProbeRow>(sql, [probe, from, to])).rows.map(probeFromRow);
  }

  async probeSummaries(from: number, to: number): Promise<ProbeSummary[]> {
    const sql =
      'SELECT owner, journey, ok, latency_ms FROM probe_results WHERE at >= $1 AND at < $2 ORDER BY journey, owner, latency_ms ASC NULLS LAST';
    return summariesFromRows((await this.connection.query<LatencyRow>(sql, [from, to])).rows);
  }

  async saveStatusMinutes(minutes: readonly StatusMinute[]): Promise<void> {
    if (minutes.length === 0) return;
    await this.connection.inTransaction(async (client) => {
      for (let start = 0; start < minutes.length; start += ROWS_PER_STATEMENT) {
        // A batch may name a minute twice: keep its worse state before the insert, which may not touch a row twice.
        const worst = new Map<string, StatusMinute>();
        for (const m of minutes.slice(start, start + ROWS_PER_STATEMENT)) {
          const key = `${m.owner}\u0000${m.component}\u0000${m.minute}`;
          const had = worst.get(key);
          if (!had || (had.state === 'degraded' && m.state === 'down')) worst.set(key, m);
        }
        const chunk = [...worst.values()];
        const sql = `INSERT INTO status_minutes (owner, component, minute, journey, state) VALUES ${placeholders(chunk.length, 5)}
          ON CONFLICT (owner, component, minute) DO UPDATE SET state = GREATEST(status_minutes.state, excluded.state), journey = excluded.journey`;
        await client.query(
          sql,
          chunk.flatMap((m) => [m.owner, m.component, m.minute, m.journey, m.state]),
        );
      }
    });
  }

  async statusSummaries(fromMinute: number, toMinute: number): Promise<StatusSummary[]> {
    const sql = `SELECT owner, journey, COUNT(*) FILTER (WHERE state = 'down') AS down, COUNT(*) FILTER (WHERE state = 'degraded') AS degraded
      FROM status_minutes WHERE minute >= $1 AND minute < $2 GROUP BY journey, owner ORDER BY journey, owner`;
    return (await this.connection.query<StatusCountRow>(sql, [fromMinute, toMinute])).rows.map(statusFromRow);
  }

  async purgeBenchmarks(before: number, batch = PURGE_BATCH): Promise<PurgeResult> {
    const run = (sql: string, cut: number) => inBatches(batch, async () => (await this.connection.query(sql, [cut, batch])).rowCount ?? 0);
    const probes = await run(
      'DELETE FROM probe_results WHERE (probe, at) IN (SELECT probe, at FROM probe_results WHERE at < $1 LIMIT $2)',
      before,
    );
    const minutes = await run(
      'DELETE FROM status_minutes WHERE (owner, component, minute) IN (SELECT owner, component, minute FROM status_minutes WHERE minute < $1 LIMIT $2)',
      Math.floor(before / 60_000),
    );
    return { rows: probes.rows + minutes.rows, batches: probes.batches + minutes.batches };
  }
}

/** The benchmarks capability's PostgreSQL module, registered in capabilities.ts. */
export const postgresBenchmarks: CapabilityBackend<PostgresConnection, BenchmarkStore> = {
  migrations: POSTGRES_BENCHMARKS_MIGRATIONS,
  open: (connection) => new PostgresBenchmarks(connection),
};
