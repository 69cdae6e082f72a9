/** The TokenStore on SQLite. */
import type { CapabilityBackend } from '../capability.js';
import type { SqliteConnection } from '../sqlite/connection.js';
import { SQLITE_TOKENS_MIGRATIONS } from './schema.js';
import { TOKEN_COLUMNS, type TokenRow, tokenFromRow, tokenValues } from './token-rows.js';
import type { StoredToken, TokenStore } from './token-store.js';

/** The active token with this id, else the active token with this name (an id wins, so one call revokes one token). */
const REVOKABLE = 'revoked_at IS NULL AND (id = ? OR (name = ? AND NOT EXISTS (SELECT 1 FROM tokens WHERE id = ? AND revoked_at IS NULL)))';

class SqliteTokens implements TokenStore {
  constructor(private readonly connection: SqliteConnection) {}

  async createToken(token: StoredToken): Promise<boolean> {
    // The conflict target is the partial index: only an active token of the same name blocks the insert.
    const sql = `INSERT INTO tokens (${TOKEN_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (name) WHERE revoked_at IS NULL DO NOTHING`;
    return this.connection.guard(() => this.connection.stmt(sql).run(...tokenValues(token)).changes === 1);
  }

  async listTokens(): Promise<StoredToken[]> {
    return this.connection.guard(() =>
      (this.connection.stmt(`SELECT ${TOKEN_COLUMNS} FROM tokens ORDER BY created_at, id`).all() as TokenRow[]).map(tokenFromRow),
    );
  }

  async revokeToken(nameOrId: string, at: number): Promise<StoredToken | null> {
    return this.connection.guard(() => {
      const row = this.connection
        .stmt(`UPDATE tokens SET revoked_at = ? WHERE ${REVOKABLE} RETURNING ${TOKEN_COLUMNS}`)
        .get(at, nameOrId, nameOrId, nameOrId) as TokenRow | undefined;
      return row ? tokenFromRow(row) : null;
    });
  }

  async touchToken(id: string, at: number): Promise<void> {
    this.connection.guard(() =>
      this.connection
        .stmt('UPDATE tokens SET last_used_at = ? WHERE id = ? AND (last_used_at IS NULL OR last_used_at < ?)')
        .run(at, id, at),
    );
  }
}

/** The tokens capability's SQLite module, registered in capabilities.ts. */
export const sqliteTokens: CapabilityBackend<SqliteConnection, TokenStore> = {
  migrations: SQLITE_TOKENS_MIGRATIONS,
  open: (connection) => new SqliteTokens(connection),
};
