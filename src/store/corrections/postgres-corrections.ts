/** The CorrectionStore on PostgreSQL. */
import type { CapabilityBackend } from '../capability.js';
import type { PostgresConnection } from '../postgres/connection.js';
import type { CorrectionStore, StoredCorrection } from './correction-store.js';
import { CORRECTION_COLUMNS, type CorrectionRow, correctionFromRow, correctionValues } from './correction-rows.js';
import { POSTGRES_CORRECTIONS_MIGRATIONS } from './schema.js';

class PostgresCorrections implements CorrectionStore {
  constructor(private readonly connection: PostgresConnection) {}

  async addCorrection(correction: StoredCorrection): Promise<boolean> {
    const sql = `INSERT INTO corrections (${CORRECTION_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (name) DO NOTHING`;
    return (await this.connection.query(sql, correctionValues(correction))).rowCount === 1;
  }

  async listCorrections(): Promise<StoredCorrection[]> {
    const { rows } = await this.connection.query<CorrectionRow>(`SELECT ${CORRECTION_COLUMNS} FROM corrections ORDER BY created_at, name`);
    return rows.map(correctionFromRow);
  }
}

/** The corrections capability's PostgreSQL module, registered in capabilities.ts. */
export const postgresCorrections: CapabilityBackend<PostgresConnection, CorrectionStore> = {
  migrations: POSTGRES_CORRECTIONS_MIGRATIONS,
  open: (connection) => new PostgresCorrections(connection),
};
