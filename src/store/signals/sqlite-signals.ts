/** The SignalStore on SQLite. */
import type { CapabilityBackend } from '../capability.js';
import { inBatches, PURGE_BATCH, type PurgeResult } from '../purge.js';
import type { SqliteConnection } from '../sqlite/connection.js';
import type { Signal, SignalQuery, SignalStore } from './signal-store.js';
import { SIGNAL_COLUMNS, type SignalRow, signalFromRow, signalValues } from './signal-rows.js';
import { SQLITE_SIGNALS_MIGRATIONS } from './schema.js';

/** The WHERE clause and parameters of a listing. */
function listing(query: SignalQuery): { where: string; params: unknown[] } {
  const clauses = ['at >= ?', 'at < ?'];
  const params: unknown[] = [query.from ?? Number.MIN_SAFE_INTEGER, query.to ?? Number.MAX_SAFE_INTEGER];
  if (query.journey === null) clauses.push('journey IS NULL');
  else if (query.journey !== undefined) {
    clauses.push('journey = ?');
    params.push(query.journey);
  }
  if (query.after) {
    clauses.push('(at < ? OR (at = ? AND id < ?))');
    params.push(query.after.at, query.after.at, query.after.id);
  }
  return { where: clauses.join(' AND '), params };
}

class SqliteSignals implements SignalStore {
  constructor(private readonly connection: SqliteConnection) {}

  async saveSignals(signals: readonly Signal[]): Promise<boolean[]> {
    const sql = `INSERT INTO signals (${SIGNAL_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`;
    return this.connection.guard(() => {
      const stmt = this.connection.stmt(sql);
      // One transaction: the batch is stored whole or not at all.
      return this.connection.db.transaction(() => signals.map((s) => stmt.run(...signalValues(s)).changes === 1))();
    });
  }

  async listSignals(query: SignalQuery): Promise<Signal[]> {
    const { where, params } = listing(query);
    const sql = `SELECT ${SIGNAL_COLUMNS} FROM signals WHERE ${where} ORDER BY at DESC, id DESC LIMIT ?`;
    return this.connection.guard(() => (this.connection.stmt(sql).all(...params, query.limit) as SignalRow[]).map(signalFromRow));
  }

  async signalCounts(from: number, to: number): Promise<{ journey: string | null; count: number }[]> {
    const sql =
      'SELECT journey, SUM(count) AS count FROM signals WHERE at >= ? AND at < ? GROUP BY journey ORDER BY journey IS NULL, journey';
    return this.connection.guard(() =>
      (this.connection.stmt(sql).all(from, to) as { journey: string | null; count: number }[]).map((r) => ({
        journey: r.journey,
        count: Number(r.count),
      })),
    );
  }

  async purgeSignals(before: number, batch = PURGE_BATCH): Promise<PurgeResult> {
    const sql = 'DELETE FROM signals WHERE id IN (SELECT id FROM signals WHERE at < ? LIMIT ?)';
    return inBatches(batch, () => this.connection.guard(() => this.connection.stmt(sql).run(before, batch).changes));
  }
}

/** The signals capability's SQLite module, registered in capabilities.ts. */
export const sqliteSignals: CapabilityBackend<SqliteConnection, SignalStore> = {
  migrations: SQLITE_SIGNALS_MIGRATIONS,
  open: (connection) => new SqliteSignals(connection),
};
