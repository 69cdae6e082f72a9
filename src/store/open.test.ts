/** openStore: the location decides the backend; a SQLite file is created and migrated (unless read-only), a bad path is store_unavailable. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from './open.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-open-store-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('openStore', () => {
  it('creates and migrates a SQLite file that does not exist yet', async () => {
    const file = path.join(dir, 'new.db');
    const store = await openStore(file);
    expect(store.backend).toBe('sqlite');
    expect(fs.existsSync(file)).toBe(true);
    expect(store.readOnly).toBe(false);
    expect(await store.events.countEvents()).toBe(0);
    await store.close();
  });

  it('refuses a SQLite path whose directory is missing, naming it', async () => {
    const file = path.join(dir, 'missing', 'vigil.db');
    await expect(openStore(file)).rejects.toMatchObject({ code: 'store_unavailable', message: expect.stringContaining(file) });
    expect(fs.existsSync(path.join(dir, 'missing'))).toBe(false);
  });

  it('refuses a file written by a newer Vigil', async () => {
    const file = path.join(dir, 'newer.db');
    await (await openStore(file)).close();
    const db = new Database(file);
    db.prepare("INSERT INTO schema_migrations (capability, version, applied_at) VALUES ('alerting', 2000, 0)").run();
    db.close();
    await expect(openStore(file)).rejects.toMatchObject({ code: 'store_unavailable', message: expect.stringContaining('2000') });
  });

  it('opens read-only without creating or migrating: a missing file is store_unavailable, and writes are store_read_only', async () => {
    const file = path.join(dir, 'read-only.db');
    await expect(openStore(file, { readOnly: true })).rejects.toMatchObject({ code: 'store_unavailable' });
    expect(fs.existsSync(file)).toBe(false);
    await (await openStore(file)).close();
    const store = await openStore(file, { readOnly: true });
    expect(store.readOnly).toBe(true);
    await expect(store.meta.setMeta('k', 'v')).rejects.toMatchObject({ code: 'store_read_only' });
    await store.close();
  });

  it('treats postgres:// and postgresql:// locations as PostgreSQL', async () => {
    for (const scheme of ['postgres', 'postgresql']) {
      const error = await openStore(`${scheme}://vigil:secret@127.0.0.1:1/vigil`).catch((e: unknown) => e);
      expect(error).toMatchObject({
        code: 'store_unavailable',
        message: expect.stringMatching(/PostgreSQL at postgres(ql)?:\/\/vigil@127\.0\.0\.1:1\/vigil/),
      });
    }
  });
});
