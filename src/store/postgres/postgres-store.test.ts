/** PostgresStore against a real server (VIGIL_TEST_DATABASE_URL): the Store contract, each store in its own schema. */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import type { SliDefinition } from '../../engine/sli.js';
import { runStoreContract } from '../contract.test-suite.js';
import { openStore } from '../open.js';
import { PostgresStore } from './postgres-store.js';

const url = process.env.VIGIL_TEST_DATABASE_URL;
const inCi = process.env.CI === 'true';

if (!url && inCi) {
  describe('PostgresStore', () => {
    it('has a database to test against', () => {
      throw new Error('CI must provide VIGIL_TEST_DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/test)');
    });
  });
}

describe.skipIf(!url)('PostgresStore (skipped: set VIGIL_TEST_DATABASE_URL to a PostgreSQL database to run it)', () => {
  const admin = new pg.Pool({ connectionString: url, max: 2 });
  const schemas: string[] = [];

  async function freshSchema(): Promise<string> {
    const schema = `vigil_test_${process.pid}_${randomBytes(4).toString('hex')}`;
    await admin.query(`CREATE SCHEMA ${schema}`);
    schemas.push(schema);
    return schema;
  }

  async function dropSchema(schema: string): Promise<void> {
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  }

  afterAll(async () => {
    // Schemas left behind by a failed test are dropped too.
    for (const schema of schemas) await dropSchema(schema);
    await admin.end();
  });

  runStoreContract('postgres', async () => {
    const schema = await freshSchema();
    const store = new PostgresStore(url!, { schema, maxConnections: 4 });
    await store.migrate();
    return {
      store,
      cleanup: async () => {
        await store.close();
        await dropSchema(schema);
      },
    };
  });

  const SLI: SliDefinition = { key: 'pay|*|success|abandoned:ok', journey: 'pay', step: null, kind: 'success', abandonedIsBad: false };
  const T0 = Date.UTC(2026, 10, 26, 10, 0, 0);

  describe('PostgresStore specifics', () => {
    it('keeps every event of concurrent batches and counts shared ids once', async () => {
      const schema = await freshSchema();
      const store = new PostgresStore(url!, { schema, maxConnections: 8 });
      await store.migrate();
      const batches = Array.from({ length: 8 }, (_, b) =>
        Array.from({ length: 200 }, (_, i) => ({
          // ids 0..99 are shared by every batch, in a different order each time; the rest are unique
          id: i < 100 ? `shared-${(i * (b + 1)) % 100}` : `b${b}-${i}`,
          journey: 'pay',
          outcome: 'success' as const,
          timestamp: T0 + ((i * 7919) % 180_000),
        })),
      );
      const results = await Promise.all(batches.map((batch) => store.appendEvents(batch, [SLI], T0)));
      const accepted = results.reduce((n, r) => n + r.inserted.filter(Boolean).length, 0);
      expect(accepted).toBe(100 + 8 * 100);
      expect(await store.countEvents()).toBe(900);
      const minutes = await store.sliMinutes(SLI.key, 0, Number.MAX_SAFE_INTEGER);
      expect(minutes.reduce((n, m) => n + m.total, 0)).toBe(900);
      await store.close();
    });

    it('keeps its tables in the schema it was given', async () => {
      const schema = await freshSchema();
      const store = new PostgresStore(url!, { schema });
      await store.migrate();
      const { rows } = await admin.query<{ table_name: string }>(
        'SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name',
        [schema],
      );
      expect(rows.map((r) => r.table_name)).toEqual(['events', 'meta', 'scope_minutes', 'sli_keys', 'sli_minutes']);
      await store.close();
      await store.close();
    });

    it('refuses a schema written by a newer version', async () => {
      const schema = await freshSchema();
      const store = new PostgresStore(url!, { schema });
      await store.migrate();
      await store.setMeta('schema_version', '999');
      await expect(store.migrate()).rejects.toMatchObject({ code: 'store_unavailable', message: expect.stringContaining('999') });
      await store.close();
    });

    it('reports an unreachable server as store_unavailable without the password', async () => {
      const unreachable = 'postgres://vigil:s3cret@127.0.0.1:1/vigil';
      const error = await openStore(unreachable).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'store_unavailable', message: expect.stringContaining('127.0.0.1:1') });
      expect((error as Error).message).not.toContain('s3cret');
    });

    it('opens and migrates through openStore from a postgresql:// URL, search_path in its options', async () => {
      const schema = await freshSchema();
      // The form docs/storage.md shows: ?options=-c%20search_path%3D<schema>
      const location = `${url!.replace(/^postgres:\/\//, 'postgresql://')}${url!.includes('?') ? '&' : '?'}options=-c%20search_path%3D${schema}`;
      const store = await openStore(location);
      expect(store.backend).toBe('postgres');
      expect(await store.getMeta('schema_version')).toBe('1');
      await store.close();
      const { rows } = await admin.query<{ n: number }>('SELECT COUNT(*)::int AS n FROM information_schema.tables WHERE table_schema = $1', [schema]);
      expect(rows[0]!.n).toBe(5);
    });
  });
});
