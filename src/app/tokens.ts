/**
 * Access tokens (docs/access.md ("Access tokens")): their text, their hash, and the use cases of
 * `vigil token` (create, list, revoke) over the tokens capability. The secret exists only in the
 * text handed back once by createToken; the store keeps its SHA-256.
 */
import { createHash, randomBytes } from 'node:crypto';
import { VigilError } from '../errors/catalogue.js';
import type { Scope, StoredToken } from '../model/token.js';
import type { TokenStore } from '../store/tokens/token-store.js';

/** Every token starts with this, so a secret scanner (and a person) can recognise one. */
export const TOKEN_PREFIX = 'vigil_';
const TOKEN_TEXT = /^vigil_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;
const NAME = /^[A-Za-z0-9@][A-Za-z0-9._@-]{0,63}$/;

/**
 * SHA-256 of the whole token text, lowercase hex. A plain hash suffices: the secret is 256 random
 * bits, so there is nothing to guess or precompute (a slow password hash would only slow every request).
 * @example hashToken('vigil_0123456789ab_…') // '9f86d0…'
 */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/**
 * The id part of a token's text, or null when the text is not a Vigil token.
 * @example tokenIdOf('vigil_0123456789ab_' + 'x'.repeat(43)) // '0123456789ab'
 */
export function tokenIdOf(token: string): string | null {
  return TOKEN_TEXT.exec(token)?.[1] ?? null;
}

/**
 * A new token: its text (`vigil_<id>_<secret>`, 12 hex digits of id, 32 random bytes of secret in
 * base64url) and what the store keeps of it.
 * @example const { token, stored } = newToken('ci', ['ingest'], Date.now());
 */
export function newToken(name: string, scopes: readonly Scope[], now: number): { token: string; stored: StoredToken } {
  const id = randomBytes(6).toString('hex');
  const token = `${TOKEN_PREFIX}${id}_${randomBytes(32).toString('base64url')}`;
  const unique = [...new Set(scopes)];
  return { token, stored: { id, name, hash: hashToken(token), scopes: unique, createdAt: now, lastUsedAt: null, revokedAt: null } };
}

/**
 * Creates and stores a token; the text returned is the only copy of its secret.
 * Throws invalid_token_name, or token_exists when an active token has the name.
 * @example const { token } = await createToken(store.tokens, 'ci', ['ingest', 'read'], Date.now());
 */
export async function createToken(
  tokens: TokenStore,
  name: string,
  scopes: readonly Scope[],
  now: number,
): Promise<{ token: string; stored: StoredToken }> {
  if (!NAME.test(name)) {
    throw new VigilError(
      'invalid_token_name',
      `Token name ${JSON.stringify(name)}: use 1 to 64 letters, digits, '.', '-', '_' or '@', starting with a letter, digit or '@'.`,
    );
  }
  if (scopes.length === 0) throw new VigilError('invalid_token_name', 'A token needs at least one scope.');
  const created = newToken(name, scopes, now);
  if (!(await tokens.createToken(created.stored))) {
    throw new VigilError('token_exists', `An active token is already named '${name}': choose another name, or revoke it first.`);
  }
  return created;
}

/**
 * Revokes the active token with this id (or else this name). Throws token_not_found when none matches.
 * @example await revokeToken(store.tokens, 'ci', Date.now());
 */
export async function revokeToken(tokens: TokenStore, nameOrId: string, now: number): Promise<StoredToken> {
  const revoked = await tokens.revokeToken(nameOrId, now);
  if (!revoked) throw new VigilError('token_not_found', `No active token is named or has the id '${nameOrId}' (see vigil token list).`);
  return revoked;
}
