/**
 * Deciding whether a request may use an endpoint (docs/access.md ("How a request is checked")): the
 * Bearer token's id is looked up in an in-memory copy of the tokens table, its SHA-256 compared in
 * constant time, its scopes checked. The copy is reloaded when older than `cacheMs` (default 5 s),
 * so a token created or revoked by `vigil token` in another process takes effect within that time.
 */
import { timingSafeEqual } from 'node:crypto';
import { VigilError } from '../errors/catalogue.js';
import type { Scope, StoredToken } from '../model/token.js';
import type { TokenStore } from '../store/tokens/token-store.js';
import { hashToken, tokenIdOf } from './tokens.js';

export const DEFAULT_TOKEN_CACHE_MS = 5_000;
/** last_used_at is kept to the minute: at most one write per token per minute. */
const TOUCH_EVERY_MS = 60_000;

export interface AccessOptions {
  /**
   * With no active token at all: true lets every request through (a loopback server, or `--insecure`),
   * false refuses every protected request. Once a token exists, every protected request needs one.
   */
  openWhenNoTokens: boolean;
  /** How long the in-memory copy of the tokens table is trusted; default 5 s. */
  cacheMs?: number;
  /** Wall clock for the cache and last use (epoch ms); default Date.now. */
  now?: () => number;
}

/** Who made a request: the token that authorised it. */
export interface Principal {
  tokenId: string;
  /** The token's name, recorded as the actor of what it does. */
  name: string;
  scopes: readonly Scope[];
}

interface Snapshot {
  byId: Map<string, StoredToken>;
  loadedAt: number;
}

/**
 * The access decision, shared by every route group's hook.
 * @example const principal = await access.authorize(request.headers.authorization, 'read'); // null: open server, no token needed
 */
export class AccessControl {
  private readonly cacheMs: number;
  private readonly now: () => number;
  private snapshot: Snapshot | undefined;
  private loading: Promise<Snapshot> | undefined;

  constructor(
    private readonly tokens: TokenStore,
    private readonly options: AccessOptions,
  ) {
    this.cacheMs = options.cacheMs ?? DEFAULT_TOKEN_CACHE_MS;
    this.now = options.now ?? Date.now;
  }

  /**
   * The principal for an `Authorization` header and the scope an endpoint needs; null when no token
   * is needed (no token exists and the server is open). Throws unauthorized (no, unknown or revoked
   * token) or forbidden (the token lacks the scope); a store that cannot be read fails closed.
   */
  async authorize(authorization: string | undefined, scope: Scope): Promise<Principal | null> {
    const { byId } = await this.current();
    if (byId.size === 0 && this.options.openWhenNoTokens) return null;
    const presented = bearer(authorization);
    if (presented === null) {
      throw new VigilError('unauthorized', 'This endpoint needs an access token: send Authorization: Bearer <token> (see docs/access.md).');
    }
    const id = tokenIdOf(presented);
    const token = id === null ? undefined : byId.get(id);
    if (!token || !sameHash(token.hash, hashToken(presented))) {
      throw new VigilError('unauthorized', 'The access token is unknown or revoked.');
    }
    if (!token.scopes.includes(scope)) {
      throw new VigilError(
        'forbidden',
        `The token '${token.name}' does not have the scope '${scope}' this endpoint needs (it has: ${token.scopes.join(', ') || 'none'}).`,
      );
    }
    this.touch(token);
    return { tokenId: token.id, name: token.name, scopes: token.scopes };
  }

  /** Forget the in-memory copy: the next request reads the tokens table again. */
  invalidate(): void {
    this.snapshot = undefined;
  }

  /** The copy of the active tokens, reloaded when stale; concurrent requests share one reload. */
  private async current(): Promise<Snapshot> {
    const now = this.now();
    if (this.snapshot && now - this.snapshot.loadedAt < this.cacheMs && now >= this.snapshot.loadedAt) return this.snapshot;
    this.loading ??= this.tokens
      .listTokens()
      .then((all) => {
        const byId = new Map(all.filter((t) => t.revokedAt === null).map((t) => [t.id, t] as const));
        this.snapshot = { byId, loadedAt: now };
        return this.snapshot;
      })
      .catch((cause: unknown) => {
        throw cause instanceof VigilError ? cause : new VigilError('store_unavailable', 'The access tokens cannot be read', { cause });
      })
      .finally(() => {
        this.loading = undefined;
      });
    return this.loading;
  }

  /** Records the use in the store at most once a minute; a failed write never fails the request. */
  private touch(token: StoredToken): void {
    const now = this.now();
    if (token.lastUsedAt !== null && now - token.lastUsedAt < TOUCH_EVERY_MS) return;
    token.lastUsedAt = now;
    this.tokens.touchToken(token.id, now).catch(() => undefined);
  }
}

/** The token of an `Authorization: Bearer <token>` header (the scheme in any case), or null. */
function bearer(header: string | undefined): string | null {
  const match = /^Bearer +(\S+) *$/i.exec(header ?? '');
  return match ? match[1]! : null;
}

/** Equal SHA-256 hex digests, compared in constant time. */
function sameHash(stored: string, computed: string): boolean {
  const a = Buffer.from(stored, 'hex');
  const b = Buffer.from(computed, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}
