/** Access tokens and their scopes (docs/access.md ("Scopes")): what a token may do, as plain data. */

/** What a token may do; `admin` implies no other scope (docs/access.md ("Scopes")). */
export const SCOPES = ['ingest', 'read', 'operate', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

/** A token as stored: never its secret, only the SHA-256 of the whole token. */
export interface StoredToken {
  /** Short, random and not secret: it is part of the token text, listed and used to revoke. */
  id: string;
  /** Unique among active tokens; recorded as the actor of what the token does. */
  name: string;
  /** SHA-256 of the whole token text, lowercase hex. */
  hash: string;
  scopes: Scope[];
  /** Epoch ms. */
  createdAt: number;
  /** Epoch ms of the last request it authorised (kept to the minute), or null. */
  lastUsedAt: number | null;
  /** Epoch ms, or null while the token is active. */
  revokedAt: number | null;
}

/** True for one of SCOPES. */
export function isScope(value: string): value is Scope {
  return (SCOPES as readonly string[]).includes(value);
}
