/** The CorrectionStore on SQLite. */
import type { CapabilityBackend } from '../capability.js';
import type { SqliteConnection } from '../sqlite/connection.js';
import type { CorrectionStore, StoredCorrection } from './correction-store.js';
import { CORRECTION_COLUMNS, type CorrectionRow, correctionFromRow, correctionValues } from './correction-rows.js';
import { SQLITE_CORRECTIONS_MIGRATIONS } from './schema.js';

class SqliteCorrections implements CorrectionStore {
  constructor(private readonly connection: SqliteConnection) {}

  async addCorrection(correction: StoredCorrection): Promise<boolean> {
    const sql = `INSERT INTO corrections (${CORRECTION_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO NOTHING`;
    return this.connection.guard(() => this.connection.stmt(sql).run(...correctionValues(correction)).changes === 1);
  }

  async listCorrections(): Promise<StoredCorrection[]> {
    const sql = `SELECT ${CORRECTION_COLUMNS} FROM corrections ORDER BY created_at, name`;
    return this.connection.guard(() => (this.connection.stmt(sql).all() as CorrectionRow[]).map(correctionFromRow));
  }
}

/** The corrections capability's SQLite module, registered in capabilities.ts. */
export const sqliteCorrections: CapabilityBackend<SqliteConnection, CorrectionStore> = {
  migrations: SQLITE_CORRECTIONS_MIGRATIONS,
  open: (connection) => new SqliteCorrections(connection),
};
