/** The behaviour every TokenStore backend must show; contracts.test-suite.ts runs it on each backend. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StoredToken } from '../../model/token.js';
import type { StoreFactory } from '../store-factory.test-suite.js';
import type { Store } from '../store.js';

const T0 = Date.UTC(2026, 10, 26, 10, 0, 0);

const token = (id: string, name: string, overrides: Partial<StoredToken> = {}): StoredToken => ({
  id,
  name,
  hash: `${id}`.padEnd(64, '0'),
  scopes: ['ingest'],
  createdAt: T0,
  lastUsedAt: null,
  revokedAt: null,
  ...overrides,
});

/** Registers the TokenStore contract suite for one backend (`store.tokens` of a fresh, migrated, empty store). */
export function runTokensContract(name: string, makeStore: StoreFactory): void {
  describe(`TokenStore contract: ${name}`, () => {
    let store: Store;
    let reopen: (options?: { readOnly?: boolean }) => Promise<Store>;
    let cleanup: () => Promise<void>;

    beforeEach(async () => {
      ({ store, reopen, cleanup } = await makeStore());
    });
    afterEach(async () => {
      await cleanup();
    });

    it('stores tokens whole and lists them oldest first, across a reopen and read-only', async () => {
      expect(await store.tokens.listTokens()).toEqual([]);
      const ci = token('aaaa11112222', 'ci', { scopes: ['ingest', 'read'], createdAt: T0 + 1 });
      const ops = token('bbbb11112222', 'ops', { scopes: ['operate', 'read', 'admin'] });
      expect(await store.tokens.createToken(ci)).toBe(true);
      expect(await store.tokens.createToken(ops)).toBe(true);
      expect(await store.tokens.listTokens()).toEqual([ops, ci]);
      const reader = await reopen({ readOnly: true });
      expect(await reader.tokens.listTokens()).toEqual([ops, ci]);
      await expect(reader.tokens.createToken(token('cccc11112222', 'x'))).rejects.toMatchObject({ code: 'store_read_only' });
    });

    it('refuses a second active token of the same name, and allows the name again once revoked', async () => {
      expect(await store.tokens.createToken(token('aaaa11112222', 'ci'))).toBe(true);
      expect(await store.tokens.createToken(token('bbbb11112222', 'ci'))).toBe(false);
      expect((await store.tokens.listTokens()).map((t) => t.id)).toEqual(['aaaa11112222']);
      expect(await store.tokens.revokeToken('ci', T0 + 5)).toMatchObject({ id: 'aaaa11112222', revokedAt: T0 + 5 });
      expect(await store.tokens.createToken(token('bbbb11112222', 'ci', { createdAt: T0 + 6 }))).toBe(true);
      const listed = await store.tokens.listTokens();
      expect(listed.map((t) => [t.id, t.revokedAt])).toEqual([
        ['aaaa11112222', T0 + 5],
        ['bbbb11112222', null],
      ]);
    });

    it('revokes one active token by id or by name, an id winning over a name', async () => {
      await store.tokens.createToken(token('aaaa11112222', 'first'));
      // A token whose name is another token's id: revoking that text revokes the token with the id.
      await store.tokens.createToken(token('bbbb11112222', 'aaaa11112222'));
      expect(await store.tokens.revokeToken('aaaa11112222', T0 + 1)).toMatchObject({ id: 'aaaa11112222', name: 'first' });
      // Now no active token has that id: the same text names the second token.
      expect(await store.tokens.revokeToken('aaaa11112222', T0 + 2)).toMatchObject({ id: 'bbbb11112222' });
      expect(await store.tokens.revokeToken('aaaa11112222', T0 + 3)).toBeNull();
      expect(await store.tokens.revokeToken('nobody', T0 + 3)).toBeNull();
      expect((await store.tokens.listTokens()).map((t) => t.revokedAt)).toEqual([T0 + 1, T0 + 2]);
    });

    it('records the last use, never moving it back', async () => {
      await store.tokens.createToken(token('aaaa11112222', 'ci'));
      await store.tokens.touchToken('aaaa11112222', T0 + 60_000);
      await store.tokens.touchToken('aaaa11112222', T0 + 30_000);
      await store.tokens.touchToken('unknown00000', T0 + 90_000);
      expect((await store.tokens.listTokens())[0]!.lastUsedAt).toBe(T0 + 60_000);
    });

    it('refuses two tokens with the same hash', async () => {
      await store.tokens.createToken(token('aaaa11112222', 'a', { hash: 'f'.repeat(64) }));
      await expect(store.tokens.createToken(token('bbbb11112222', 'b', { hash: 'f'.repeat(64) }))).rejects.toThrow();
      expect(await store.tokens.listTokens()).toHaveLength(1);
    });
  });
}
