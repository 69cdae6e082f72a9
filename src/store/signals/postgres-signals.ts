/** The SignalStore on PostgreSQL. */
import type { CapabilityBackend } from '../capability.js';
import { inBatches, PURGE_BATCH, type PurgeResult } from '../purge.js';
import type { PostgresConnection } from '../postgres/connection.js';
import type { Signal, SignalQuery, SignalStore } from './signal-store.js';
import { insertedFlags, SIGNAL_COLUMN_COUNT, SIGNAL_COLUMNS, type SignalRow, signalFromRow, signalValues } from './signal-rows.js';
import { POSTGRES_SIGNALS_MIGRATIONS } from './schema.js';

/** Rows per INSERT statement (8 parameters each, well under PostgreSQL's 65,535). */
const ROWS_PER_STATEMENT = 1000;

class PostgresSignals implements SignalStore {
  constructor(private readonly connection: PostgresConnection) {}

  async saveSignals(signals: readonly Signal[]): Promise<boolean[]> {
    if (signals.length === 0) return [];
    // One transaction: the batch is stored whole or not at all.
    const inserted = await this.connection.inTransaction(async (client) => {
      const ids = new Set<string>();
      for (let start = 0; start < signals.length; start += ROWS_PER_STATEMENT) {
        const chunk = signals.slice(start, start + ROWS_PER_STATEMENT);
        const rows = chunk.map(
          (_, r) => `(${Array.from({ length: SIGNAL_COLUMN_COUNT }, (_, c) => `$${r * SIGNAL_COLUMN_COUNT + c + 1}`)})`,
        );
        const sql = `INSERT INTO signals (${SIGNAL_COLUMNS}) VALUES ${rows.join(', ')} ON CONFLICT (id) DO NOTHING RETURNING id`;
        const result = await client.query<{ id: string }>(sql, chunk.flatMap(signalValues));
        for (const row of result.rows) ids.add(row.id);
      }
      return ids;
    });
    return insertedFlags(signals, inserted);
  }

  async listSignals(query: SignalQuery): Promise<Signal[]> {
    const params: unknown[] = [query.from ?? Number.MIN_SAFE_INTEGER, query.to ?? Number.MAX_SAFE_INTEGER];
    const clauses = ['at >= $1', 'at < $2'];
    if (query.journey === null) clauses.push('journey IS NULL');
    else if (query.journey !== undefined) {
      params.push(query.journey);
      clauses.push(`journey = $${params.length}`);
    }
    if (query.after) {
      params.push(query.after.at, query.after.id);
      clauses.push(`(at < $${params.length - 1} OR (at = $${params.length - 1} AND id < $${params.length}))`);
    }
    params.push(query.limit);
    const sql = `SELECT ${SIGNAL_COLUMNS} FROM signals WHERE ${clauses.join(' AND ')} ORDER BY at DESC, id DESC LIMIT $${params.length}`;
    const { rows } = await this.connection.query<SignalRow>(sql, params);
    return rows.map(signalFromRow);
  }

  async signalCounts(from: number, to: number): Promise<{ journey: string | null; count: number }[]> {
    const sql = 'SELECT journey, SUM(count) AS count FROM signals WHERE at >= $1 AND at < $2 GROUP BY journey ORDER BY journey NULLS LAST';
    const { rows } = await this.connection.query<{ journey: string | null; count: string | number }>(sql, [from, to]);
    return rows.map((r) => ({ journey: r.journey, count: Number(r.count) }));
  }

  async purgeSignals(before: number, batch = PURGE_BATCH): Promise<PurgeResult> {
    const sql = 'DELETE FROM signals WHERE id IN (SELECT id FROM signals WHERE at < $1 LIMIT $2)';
    return inBatches(batch, async () => (await this.connection.query(sql, [before, batch])).rowCount ?? 0);
  }
}

/** The signals capability's PostgreSQL module, registered in capabilities.ts. */
export const postgresSignals: CapabilityBackend<PostgresConnection, SignalStore> = {
  migrations: POSTGRES_SIGNALS_MIGRATIONS,
  open: (connection) => new PostgresSignals(connection),
};
