/** Token rows as both backends read and write them: scopes as a JSON array in a text column. */
import { isScope, type StoredToken } from '../../model/token.js';

export interface TokenRow {
  id: string;
  name: string;
  hash: string;
  scopes: string;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
}

export const TOKEN_COLUMNS = 'id, name, hash, scopes, created_at, last_used_at, revoked_at';

/** The stored token of a row; a scope this Vigil does not know (written by a newer one) is dropped, never granted. */
export function tokenFromRow(row: TokenRow): StoredToken {
  const scopes = (JSON.parse(row.scopes) as unknown[]).filter(
    (s): s is StoredToken['scopes'][number] => typeof s === 'string' && isScope(s),
  );
  return {
    id: row.id,
    name: row.name,
    hash: row.hash,
    scopes,
    createdAt: Number(row.created_at),
    lastUsedAt: row.last_used_at === null ? null : Number(row.last_used_at),
    revokedAt: row.revoked_at === null ? null : Number(row.revoked_at),
  };
}

/** The row values of a token, in TOKEN_COLUMNS order. */
export function tokenValues(token: StoredToken): unknown[] {
  return [token.id, token.name, token.hash, JSON.stringify(token.scopes), token.createdAt, token.lastUsedAt, token.revokedAt];
}
