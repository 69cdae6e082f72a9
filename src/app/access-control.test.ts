// The access decision over a real SQLite tokens table: the cache, revocation within its lifetime, the open mode.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../store/open.js';
import type { Store, TokenStore } from '../store/store.js';
import { AccessControl } from './access-control.js';
import { createToken, revokeToken } from './tokens.js';

/** The store's tokens capability with listTokens replaced. */
function withList(store: Store, listTokens: TokenStore['listTokens']): TokenStore {
  const tokens = store.tokens;
  return {
    listTokens,
    createToken: (token) => tokens.createToken(token),
    revokeToken: (nameOrId, at) => tokens.revokeToken(nameOrId, at),
    touchToken: (id, at) => tokens.touchToken(id, at),
  };
}

let dir: string;
let store: Store;
let now: number;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-access-'));
  store = await openStore(join(dir, 'vigil.db'));
  now = Date.UTC(2026, 10, 26, 10, 0, 0);
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('AccessControl', () => {
  it('honours a revocation once the cached copy is older than cacheMs, and sees new tokens then too', async () => {
    const access = new AccessControl(store.tokens, { openWhenNoTokens: true, cacheMs: 5_000, now: () => now });
    const { token } = await createToken(store.tokens, 'ci', ['read'], now);
    await createToken(store.tokens, 'other', ['read'], now);
    expect(await access.authorize(`Bearer ${token}`, 'read')).toMatchObject({ name: 'ci', scopes: ['read'] });
    await revokeToken(store.tokens, 'ci', now);
    now += 4_999;
    // Within the cache's lifetime the copy still holds it: the documented bound, not a leak.
    expect(await access.authorize(`Bearer ${token}`, 'read')).toMatchObject({ name: 'ci' });
    now += 1;
    await expect(access.authorize(`Bearer ${token}`, 'read')).rejects.toMatchObject({ code: 'unauthorized' });
    await expect(access.authorize(undefined, 'read')).rejects.toMatchObject({ code: 'unauthorized' });
    // No active token left: an open server is open again, once its copy is refreshed.
    await revokeToken(store.tokens, 'other', now);
    now += 5_000;
    expect(await access.authorize(undefined, 'read')).toBeNull();
  });

  it('reads the table once per cache lifetime, whatever the number of requests', async () => {
    let reads = 0;
    const counting = withList(store, async () => {
      reads++;
      return store.tokens.listTokens();
    });
    const access = new AccessControl(counting, { openWhenNoTokens: false, now: () => now });
    const { token } = await createToken(store.tokens, 'ci', ['ingest'], now);
    await Promise.all(Array.from({ length: 50 }, () => access.authorize(`bearer ${token}`, 'ingest')));
    expect(reads).toBe(1);
  });

  it('records the last use at most once a minute', async () => {
    const access = new AccessControl(store.tokens, { openWhenNoTokens: false, cacheMs: 0, now: () => now });
    const { token } = await createToken(store.tokens, 'ci', ['ingest'], now);
    await access.authorize(`Bearer ${token}`, 'ingest');
    const first = now;
    now += 30_000;
    await access.authorize(`Bearer ${token}`, 'ingest');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect((await store.tokens.listTokens())[0]!.lastUsedAt).toBe(first);
  });

  it('refuses with no tokens when not open, and fails closed when the table cannot be read', async () => {
    const closed = new AccessControl(store.tokens, { openWhenNoTokens: false });
    await expect(closed.authorize(undefined, 'read')).rejects.toMatchObject({ code: 'unauthorized' });
    const broken = new AccessControl(
      withList(store, async () => {
        throw new Error('disk gone');
      }),
      { openWhenNoTokens: true },
    );
    await expect(broken.authorize(undefined, 'read')).rejects.toMatchObject({ code: 'store_unavailable' });
  });
});
