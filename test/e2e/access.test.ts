/**
 * Access end to end with real `vigil` processes (docs/access.md): the no-token rule for addresses other
 * than loopback, `vigil token create | list | revoke` on a database a server is running on, and the
 * CLI's --token / VIGIL_TOKEN.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/alertmanager.js';
import { E2E_CONFIG, getJson, runVigil, startVigil, tempDir, type VigilProcess } from '../helpers/vigil-process.js';

describe('vigil serve without tokens on an address other than loopback', () => {
  let temp: { dir: string; cleanup: () => void };
  beforeAll(() => {
    temp = tempDir('vigil-access-bind-');
  });
  afterAll(() => temp.cleanup());

  it('refuses to start with insecure_bind, naming both fixes', async () => {
    const { code, stderr } = await runVigil([
      'serve',
      '--config',
      E2E_CONFIG,
      '--database',
      join(temp.dir, 'v.db'),
      '--host',
      '0.0.0.0',
      '--port',
      '0',
    ]);
    expect(code).toBe(1);
    expect(stderr).toContain('[insecure_bind]');
    expect(stderr).toContain('vigil token create');
    expect(stderr).toContain('--insecure');
  });

  it('starts with --insecure, open', async () => {
    const vigil = await startVigil(['--config', E2E_CONFIG, '--database', join(temp.dir, 'v.db'), '--host', '0.0.0.0', '--insecure']);
    try {
      expect(vigil.output()).toContain('--insecure');
      expect((await getJson(`${vigil.url}/api/v1/journeys`)).status).toBe(200);
    } finally {
      await vigil.stop();
    }
  });
});

describe('tokens on a running server', () => {
  let temp: { dir: string; cleanup: () => void };
  let vigil: VigilProcess;
  let database: string;
  beforeAll(async () => {
    temp = tempDir('vigil-access-tokens-');
    database = join(temp.dir, 'v.db');
    vigil = await startVigil(['--config', E2E_CONFIG, '--database', database]);
  });
  afterAll(async () => {
    await vigil?.stop();
    temp?.cleanup();
  });

  it('a loopback server without tokens is open; the first token closes it within the cache time; revoking refuses that token', async () => {
    expect((await getJson(`${vigil.url}/api/v1/journeys`)).status).toBe(200);
    const created = await runVigil(['token', 'create', '--name', 'ops', '--scope', 'read', '--database', database]);
    expect(created.code, created.stderr).toBe(0);
    const token = /^(vigil_\S+)$/m.exec(created.stdout)![1]!;
    const auth = { authorization: `Bearer ${token}` };
    await waitFor('the server to require a token', async () =>
      (await getJson(`${vigil.url}/api/v1/journeys`)).status === 401 ? true : undefined,
    );
    expect((await getJson(`${vigil.url}/api/v1/journeys`, auth)).status).toBe(200);
    expect((await getJson(`${vigil.url}/healthz`)).status).toBe(200);

    const withToken = await runVigil(['status', '--server', vigil.url], { VIGIL_TOKEN: token });
    expect(withToken.code, withToken.stderr).toBe(0);
    const flag = await runVigil(['incidents', '--server', vigil.url, '--token', token]);
    expect(flag.code, flag.stderr).toBe(0);
    const without = await runVigil(['status', '--server', vigil.url], { VIGIL_TOKEN: '' });
    expect(without.code).toBe(1);
    expect(without.stderr).toContain('[unauthorized]');

    const listed = await runVigil(['token', 'list', '--json', '--database', database]);
    const tokens = JSON.parse(listed.stdout) as Record<string, unknown>[];
    expect(tokens).toHaveLength(1);
    expect(tokens[0]).toMatchObject({ name: 'ops', scopes: ['read'], revokedAt: null });
    expect(tokens[0]!['lastUsedAt']).not.toBeNull();
    expect(listed.stdout).not.toContain(token.slice(19));
    expect(Object.keys(tokens[0]!)).not.toContain('hash');

    const revoked = await runVigil(['token', 'revoke', 'ops', '--database', database]);
    expect(revoked.code, revoked.stderr).toBe(0);
    // Another active token keeps the server closed once the revoked one is refused.
    expect((await runVigil(['token', 'create', '--name', 'other', '--scope', 'ingest', '--database', database])).code).toBe(0);
    await waitFor('the server to refuse the revoked token', async () =>
      (await getJson(`${vigil.url}/api/v1/journeys`, auth)).status === 401 ? true : undefined,
    );
    const again = await runVigil(['token', 'revoke', 'ops', '--database', database]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('[token_not_found]');
  }, 60_000);
});
