/** The TokenStore on PostgreSQL. */
import type { CapabilityBackend } from '../capability.js';
import type { PostgresConnection } from '../postgres/connection.js';
import { POSTGRES_TOKENS_MIGRATIONS } from './schema.js';
import { TOKEN_COLUMNS, type TokenRow, tokenFromRow, tokenValues } from './token-rows.js';
import type { StoredToken, TokenStore } from './token-store.js';

/** The active token with this id, else the active token with this name (an id wins, so one call revokes one token). */
const REVOKABLE =
  'revoked_at IS NULL AND (id = $2 OR (name = $2 AND NOT EXISTS (SELECT 1 FROM tokens WHERE id = $2 AND revoked_at IS NULL)))';

class PostgresTokens implements TokenStore {
  constructor(private readonly connection: PostgresConnection) {}

  async createToken(token: StoredToken): Promise<boolean> {
    // The conflict target is the partial index: only an active token of the same name blocks the insert.
    const sql = `INSERT INTO tokens (${TOKEN_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (name) WHERE revoked_at IS NULL DO NOTHING`;
    return (await this.connection.query(sql, tokenValues(token))).rowCount === 1;
  }

  async listTokens(): Promise<StoredToken[]> {
    return (await this.connection.query<TokenRow>(`SELECT ${TOKEN_COLUMNS} FROM tokens ORDER BY created_at, id`)).rows.map(tokenFromRow);
  }

  async revokeToken(nameOrId: string, at: number): Promise<StoredToken | null> {
    const { rows } = await this.connection.query<TokenRow>(
      `UPDATE tokens SET revoked_at = $1 WHERE ${REVOKABLE} RETURNING ${TOKEN_COLUMNS}`,
      [at, nameOrId],
    );
    return rows[0] ? tokenFromRow(rows[0]) : null;
  }

  async touchToken(id: string, at: number): Promise<void> {
    await this.connection.query('UPDATE tokens SET last_used_at = $1 WHERE id = $2 AND (last_used_at IS NULL OR last_used_at < $1)', [
      at,
      id,
    ]);
  }
}

/** The tokens capability's PostgreSQL module, registered in capabilities.ts. */
export const postgresTokens: CapabilityBackend<PostgresConnection, TokenStore> = {
  migrations: POSTGRES_TOKENS_MIGRATIONS,
  open: (connection) => new PostgresTokens(connection),
};
