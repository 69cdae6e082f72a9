/** The TokenStore capability: access tokens, stored hashed, with their scopes (docs/access.md ("How tokens are kept")). */
import type { StoredToken } from '../../model/token.js';

export type { StoredToken };

/** Persistence of access tokens. Secrets never reach the store: only their SHA-256. */
export interface TokenStore {
  /** Stores a new token; false (and nothing stored) when an active token already has its name. */
  createToken(token: StoredToken): Promise<boolean>;
  /** Every token, revoked ones included, oldest first (then by id). */
  listTokens(): Promise<StoredToken[]>;
  /** Revokes the active token with this name or id at `at`; the token as revoked, or null when no active token matches. */
  revokeToken(nameOrId: string, at: number): Promise<StoredToken | null>;
  /** Records a use at `at` unless a later or equal use is already recorded. */
  touchToken(id: string, at: number): Promise<void>;
}
