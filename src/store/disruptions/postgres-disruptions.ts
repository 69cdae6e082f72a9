/** The DisruptionStore on PostgreSQL. */
import type { CapabilityBackend } from '../capability.js';
import type { PostgresConnection } from '../postgres/connection.js';
import type { DisruptionQuery, DisruptionRecord, DisruptionStore } from './disruption-store.js';
import { DISRUPTION_COLUMNS, type DisruptionRow, disruptionFromRow, disruptionValues, UPSERT_SET, whereOf } from './disruption-rows.js';
import { POSTGRES_DISRUPTIONS_MIGRATIONS } from './schema.js';

class PostgresDisruptions implements DisruptionStore {
  constructor(private readonly connection: PostgresConnection) {}

  async saveDisruptions(records: readonly DisruptionRecord[]): Promise<void> {
    if (records.length === 0) return;
    const sql = `INSERT INTO disruptions (${DISRUPTION_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
      ON CONFLICT (id) DO UPDATE SET ${UPSERT_SET}`;
    // One statement per record: a batch naming one id twice would make a single INSERT touch its row twice.
    await this.connection.inTransaction(async (client) => {
      for (const r of records) await client.query(sql, disruptionValues(r));
    });
  }

  async disruptions(query: DisruptionQuery): Promise<DisruptionRecord[]> {
    const { where, params } = whereOf(query, (n) => `$${n}`);
    const sql = `SELECT ${DISRUPTION_COLUMNS} FROM disruptions ${where} ORDER BY start_at, id`;
    return (await this.connection.query<DisruptionRow>(sql, params)).rows.map(disruptionFromRow);
  }

  async runningDisruptions(journey?: string): Promise<DisruptionRecord[]> {
    const sql =
      journey === undefined
        ? `SELECT ${DISRUPTION_COLUMNS} FROM disruptions WHERE end_at IS NULL ORDER BY start_at, id`
        : `SELECT ${DISRUPTION_COLUMNS} FROM disruptions WHERE end_at IS NULL AND journey = $1 ORDER BY start_at, id`;
    return (await this.connection.query<DisruptionRow>(sql, journey === undefined ? [] : [journey])).rows.map(disruptionFromRow);
  }
}

/** The disruptions capability's PostgreSQL module, registered in capabilities.ts. */
export const postgresDisruptions: CapabilityBackend<PostgresConnection, DisruptionStore> = {
  migrations: POSTGRES_DISRUPTIONS_MIGRATIONS,
  open: (connection) => new PostgresDisruptions(connection),
};
