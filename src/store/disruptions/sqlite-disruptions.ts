/** The DisruptionStore on SQLite. */
import type { CapabilityBackend } from '../capability.js';
import type { SqliteConnection } from '../sqlite/connection.js';
import type { DisruptionQuery, DisruptionRecord, DisruptionStore } from './disruption-store.js';
import { DISRUPTION_COLUMNS, type DisruptionRow, disruptionFromRow, disruptionValues, UPSERT_SET, whereOf } from './disruption-rows.js';
import { SQLITE_DISRUPTIONS_MIGRATIONS } from './schema.js';

class SqliteDisruptions implements DisruptionStore {
  constructor(private readonly connection: SqliteConnection) {}

  async saveDisruptions(records: readonly DisruptionRecord[]): Promise<void> {
    const sql = `INSERT INTO disruptions (${DISRUPTION_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET ${UPSERT_SET}`;
    this.connection.guard(() => {
      const stmt = this.connection.stmt(sql);
      this.connection.db.transaction(() => {
        for (const r of records) stmt.run(...disruptionValues(r));
      })();
    });
  }

  async disruptions(query: DisruptionQuery): Promise<DisruptionRecord[]> {
    const { where, params } = whereOf(query, () => '?');
    const sql = `SELECT ${DISRUPTION_COLUMNS} FROM disruptions ${where} ORDER BY start_at, id`;
    return this.connection.guard(() => (this.connection.stmt(sql).all(...params) as DisruptionRow[]).map(disruptionFromRow));
  }

  async runningDisruptions(journey?: string): Promise<DisruptionRecord[]> {
    const sql =
      journey === undefined
        ? `SELECT ${DISRUPTION_COLUMNS} FROM disruptions WHERE end_at IS NULL ORDER BY start_at, id`
        : `SELECT ${DISRUPTION_COLUMNS} FROM disruptions WHERE end_at IS NULL AND journey = ? ORDER BY start_at, id`;
    const params = journey === undefined ? [] : [journey];
    return this.connection.guard(() => (this.connection.stmt(sql).all(...params) as DisruptionRow[]).map(disruptionFromRow));
  }
}

/** The disruptions capability's SQLite module, registered in capabilities.ts. */
export const sqliteDisruptions: CapabilityBackend<SqliteConnection, DisruptionStore> = {
  migrations: SQLITE_DISRUPTIONS_MIGRATIONS,
  open: (connection) => new SqliteDisruptions(connection),
};
