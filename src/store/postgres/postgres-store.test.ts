/** The PostgreSQL store against a real server (VIGIL_TEST_DATABASE_URL): every contract suite, each store in its own schema. */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import type { SliDefinition } from '../../engine/sli.js';
import { runStoreContracts } from '../contracts.test-suite.js';
import type { Alert } from '../../model/alert.js';
import { openStore } from '../open.js';
import { LEGACY_SENTINEL } from '../migrations.js';
import type { Store } from '../store.js';
import { MIGRATIONS, migratePostgres as migrateLegacy } from './legacy-schema.fixture.js';

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

  runStoreContracts('postgres', async () => {
    const schema = await freshSchema();
    const opened: Store[] = [await openStore(url!, { schema, maxConnections: 4 })];
    return {
      store: opened[0]!,
      reopen: async (options) => {
        const store = await openStore(url!, { schema, maxConnections: 4, ...options });
        opened.push(store);
        return store;
      },
      cleanup: async () => {
        for (const store of opened) await store.close();
        await dropSchema(schema);
      },
    };
  });

  async function versions(schema: string): Promise<Record<string, number>> {
    const { rows } = await admin.query<{ capability: string; version: number }>(
      `SELECT capability, MAX(version) AS version FROM ${schema}.schema_migrations GROUP BY capability`,
    );
    return Object.fromEntries(rows.map((r) => [r.capability, r.version]));
  }

  const SLI: SliDefinition = {
    source: 'events',
    key: 'pay|*|success|abandoned:ok',
    journey: 'pay',
    step: null,
    kind: 'success',
    abandonedIsBad: false,
  };
  const T0 = Date.UTC(2026, 10, 26, 10, 0, 0);

  describe('PostgreSQL store specifics', () => {
    it('keeps every event of concurrent batches and counts shared ids once', async () => {
      const schema = await freshSchema();
      const store = await openStore(url!, { schema, maxConnections: 8 });
      const batches = Array.from({ length: 8 }, (_, b) =>
        Array.from({ length: 200 }, (_, i) => ({
          // ids 0..99 are shared by every batch, in a different order each time; the rest are unique
          id: i < 100 ? `shared-${(i * (b + 1)) % 100}` : `b${b}-${i}`,
          journey: 'pay',
          outcome: 'success' as const,
          timestamp: T0 + ((i * 7919) % 180_000),
        })),
      );
      const results = await Promise.all(batches.map((batch) => store.events.appendEvents(batch, [SLI], T0)));
      const accepted = results.reduce((n, r) => n + r.inserted.filter(Boolean).length, 0);
      expect(accepted).toBe(100 + 8 * 100);
      expect(await store.events.countEvents()).toBe(900);
      const minutes = await store.events.sliMinutes(SLI.key, 0, Number.MAX_SAFE_INTEGER);
      expect(minutes.reduce((n, m) => n + m.total, 0)).toBe(900);
      await store.close();
    });

    it('saves overlapping alerts from concurrent callers without deadlocking, one row per key', async () => {
      const schema = await freshSchema();
      const store = await openStore(url!, { schema, maxConnections: 8 });
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
          store.alerting.saveAlerting({
            alerts: keys.map((_, i) => alert(keys[(i * (w + 1) * 7) % keys.length]!, w)),
            incidents: [],
            outbox: [],
          }),
        ),
      );
      const stored = await store.alerting.alerts({});
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
      const store = await openStore(url!, { schema });
      expect(await versions(schema)).toEqual({
        meta: 1,
        events: 3,
        alerting: 5,
        tokens: 1,
        deployments: 1,
        corrections: 1,
        signals: 1,
        benchmarks: 1,
        disruptions: 1,
        sources: 1,
      });
      expect((await store.events.events({ from: T0, to: T0 + 1 })).map((e) => e.id)).toEqual(['old']);
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
      await store.alerting.saveAlerting({ alerts: [], incidents: [], outbox: [message] });
      expect(await store.alerting.outboxDue(T0, 1)).toEqual([message]);
      await store.close();
    });

    it('upgrades in place a schema written by the single-list code: everything it held reads back, read-only opens wait for it', async () => {
      const schema = await freshSchema();
      const client = await admin.connect();
      try {
        await client.query(`SET search_path TO ${schema}`);
        await migrateLegacy(client, schema);
        await client.query("INSERT INTO events (id, journey, outcome, ts, received_at) VALUES ('old', 'pay', 'success', $1, $1)", [T0]);
        await client.query('INSERT INTO sli_keys (key, definition, materialised_at) VALUES ($1, $2, $3)', [
          SLI.key,
          JSON.stringify(SLI),
          T0,
        ]);
        await client.query('INSERT INTO sli_minutes (key, minute, good, total) VALUES ($1, $2, 1, 1)', [SLI.key, T0 / 60_000]);
        await client.query("INSERT INTO meta (key, value) VALUES ('config', '{}')");
        await client.query(
          'INSERT INTO incidents (id, status, priority, opened_at, resolved_at, paged, merged_into, journeys, data) ' +
            "VALUES ('inc-1', 'open', 'P1', $1, NULL, true, NULL, '[\"pay\"]', $2)",
          [T0, JSON.stringify({ id: 'inc-1', status: 'open', openedAt: T0 })],
        );
        await client.query('RESET search_path');
      } finally {
        client.release();
      }
      await expect(openStore(url!, { schema, readOnly: true })).rejects.toMatchObject({ code: 'store_outdated' });
      const store = await openStore(url!, { schema });
      expect(await versions(schema)).toEqual({
        meta: 1,
        events: 3,
        alerting: 5,
        tokens: 1,
        deployments: 1,
        corrections: 1,
        signals: 1,
        benchmarks: 1,
        disruptions: 1,
        sources: 1,
      });
      // Events migration 2 indexed the upgraded table in place (docs/storage.md ("Tables")).
      const { rows: indexes } = await admin.query<{ indexname: string }>(
        "SELECT indexname FROM pg_indexes WHERE schemaname = $1 AND indexname LIKE 'events_journey_%' ORDER BY indexname",
        [schema],
      );
      expect(indexes.map((r) => r.indexname)).toEqual(['events_journey_outcome_ts', 'events_journey_ts']);
      // Alerting migration 2 added the public texts beside the incident it kept.
      await store.alerting.setPublicText('inc-1', { text: 'Card payments were failing.', setBy: null, setAt: T0 });
      await store.close();
      const reader = await openStore(url!, { schema, readOnly: true });
      expect((await reader.events.events({ from: T0, to: T0 + 1 })).map((e) => e.id)).toEqual(['old']);
      expect(await reader.events.materialisedSliKeys()).toEqual([SLI.key]);
      expect(await reader.events.sliMinutes(SLI.key, 0, Number.MAX_SAFE_INTEGER)).toEqual([
        { key: SLI.key, minute: T0 / 60_000, good: 1, total: 1 },
      ]);
      expect(await reader.meta.getMeta('config')).toBe('{}');
      expect((await reader.alerting.incident('inc-1'))?.openedAt).toBe(T0);
      expect((await reader.alerting.publicTexts(['inc-1'])).get('inc-1')?.text).toBe('Card payments were failing.');
      await reader.close();
      // The single-list code refuses the upgraded schema instead of misreading it.
      const legacy = await admin.connect();
      try {
        await legacy.query(`SET search_path TO ${schema}`);
        await expect(migrateLegacy(legacy, schema)).rejects.toMatchObject({
          code: 'store_unavailable',
          message: expect.stringContaining('Upgrade Vigil'),
        });
        await legacy.query('RESET search_path');
      } finally {
        legacy.release();
      }
    });

    it('a read-only store keeps read-only even when the URL carries its own options', async () => {
      const schema = await freshSchema();
      await (await openStore(url!, { schema })).close();
      const location = `${url!}${url!.includes('?') ? '&' : '?'}options=-c%20search_path%3D${schema}`;
      const reader = await openStore(location, { readOnly: true });
      await expect(reader.meta.setMeta('k', 'v')).rejects.toMatchObject({ code: 'store_read_only' });
      await reader.close();
    });

    it('keeps its tables in the schema it was given', async () => {
      const schema = await freshSchema();
      const store = await openStore(url!, { schema });
      const { rows } = await admin.query<{ table_name: string }>(
        'SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name',
        [schema],
      );
      expect(rows.map((r) => r.table_name)).toEqual([
        'alerts',
        'corrections',
        'deployments',
        'disruptions',
        'events',
        'gate_exceptions',
        'incident_classifications',
        'incident_public_texts',
        'incident_regulatory_flags',
        'incidents',
        'meta',
        'outbox',
        'probe_results',
        'schema_migrations',
        'scope_minutes',
        'signals',
        'sli_keys',
        'sli_minutes',
        'source_minutes',
        'source_watermarks',
        'status_minutes',
        'tokens',
      ]);
      await store.close();
      await store.close();
    });

    it('refuses a schema written by a newer version', async () => {
      const schema = await freshSchema();
      const store = await openStore(url!, { schema });
      await admin.query(`INSERT INTO ${schema}.schema_migrations (capability, version, applied_at) VALUES ('events', 999, 0)`);
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
      expect(await store.meta.getMeta('schema_version')).toBe(String(LEGACY_SENTINEL));
      await store.close();
      const { rows } = await admin.query<{ n: number }>(
        'SELECT COUNT(*)::int AS n FROM information_schema.tables WHERE table_schema = $1',
        [schema],
      );
      expect(rows[0]!.n).toBe(22);
    });
  });
});
