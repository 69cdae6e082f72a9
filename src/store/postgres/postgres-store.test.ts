/** PostgresStore against a real server (VIGIL_TEST_DATABASE_URL): the Store contract, each store in its own schema. */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import type { SliDefinition } from '../../engine/sli.js';
import { runStoreContract } from '../contract.test-suite.js';
import type { Alert } from '../../model/alert.js';
import { openStore } from '../open.js';
import { PostgresStore } from './postgres-store.js';
import { MIGRATIONS } from './schema.js';

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
    const opened = [new PostgresStore(url!, { schema, maxConnections: 4 })];
    await opened[0]!.migrate();
    return {
      store: opened[0]!,
      reopen: async () => {
        const store = new PostgresStore(url!, { schema, maxConnections: 4 });
        opened.push(store);
        await store.migrate();
        return store;
      },
      cleanup: async () => {
        for (const store of opened) await store.close();
        await dropSchema(schema);
      },
    };
  });

  const SLI: SliDefinition = {
    key: 'pay|*|success|abandoned:ok',
    source: 'events',
    journey: 'pay',
    step: null,
    kind: 'success',
    abandonedIsBad: false,
  };
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

    it('saves overlapping alerts from concurrent callers without deadlocking, one row per key', async () => {
      const schema = await freshSchema();
      const store = new PostgresStore(url!, { schema, maxConnections: 8 });
      await store.migrate();
      const alert = (key: string, writer: number): Alert => ({
        key,
        source: 'generic',
        status: 'firing',
        name: 'Storm',
        summary: `written by ${writer}`,
        severity: null,
        service: null,
        labels: {},
        annotations: {},
        startsAt: T0,
        endsAt: null,
        firstReceivedAt: T0,
        lastReceivedAt: T0,
        flaps: writer,
        stages: [],
        incidentId: null,
      });
      const keys = Array.from({ length: 60 }, (_, i) => `generic:k${i}`);
      // Writers take the keys in different orders; some repeat a key within one call (the last copy wins).
      await Promise.all(
        Array.from({ length: 8 }, (_, w) =>
          store.saveAlerting({ alerts: keys.map((_, i) => alert(keys[(i * (w + 1) * 7) % keys.length]!, w)), incidents: [], outbox: [] }),
        ),
      );
      const stored = await store.alerts({});
      expect(stored.map((a) => a.key).sort()).toEqual([...keys].sort());
      // Each row is one writer's whole version, never a mix of two.
      for (const a of stored) expect(a.summary).toBe(`written by ${a.flaps}`);
      await store.close();
    });

    it('upgrades a schema written at version 1: its events stay, the alerting tables arrive', async () => {
      const schema = await freshSchema();
      const client = await admin.connect();
      try {
        await client.query(`SET search_path TO ${schema}`);
        await client.query('CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)');
        await client.query(MIGRATIONS[0]!);
        await client.query("INSERT INTO meta (key, value) VALUES ('schema_version', '1')");
        await client.query("INSERT INTO events (id, journey, outcome, ts, received_at) VALUES ('old', 'pay', 'success', $1, $1)", [T0]);
        await client.query('RESET search_path');
      } finally {
        client.release();
      }
      const store = new PostgresStore(url!, { schema });
      await store.migrate();
      expect(await store.getMeta('schema_version')).toBe(String(MIGRATIONS.length));
      expect((await store.events({ from: T0, to: T0 + 1 })).map((e) => e.id)).toEqual(['old']);
      const message = {
        id: 'm',
        target: 't',
        dedupKey: 'd',
        payload: '{}',
        createdAt: T0,
        attempts: 0,
        nextAttemptAt: T0,
        deliveredAt: null,
        lastError: null,
      };
      await store.saveAlerting({ alerts: [], incidents: [], outbox: [message] });
      expect(await store.outboxDue(T0, 1)).toEqual([message]);
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
      expect(rows.map((r) => r.table_name)).toEqual([
        'alerts',
        'events',
        'incidents',
        'meta',
        'outbox',
        'scope_minutes',
        'sli_keys',
        'sli_minutes',
      ]);
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
      expect(await store.getMeta('schema_version')).toBe('2');
      await store.close();
      const { rows } = await admin.query<{ n: number }>(
        'SELECT COUNT(*)::int AS n FROM information_schema.tables WHERE table_schema = $1',
        [schema],
      );
      expect(rows[0]!.n).toBe(8);
    });
  });
});
