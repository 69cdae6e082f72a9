/**
 * `vigil serve --database postgres://…`: the same server on PostgreSQL, end to end — ingest, status,
 * duplicates, restart. Needs VIGIL_TEST_DATABASE_URL (CI provides it; elsewhere the test skips).
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { E2E_CONFIG, getJson, postEvents, startVigil } from '../helpers/vigil-process.js';

const base = process.env.VIGIL_TEST_DATABASE_URL;
if (!base && process.env.CI === 'true') throw new Error('CI must provide VIGIL_TEST_DATABASE_URL for the PostgreSQL tests');
const schema = `vigil_e2e_${process.pid}_${Date.now() % 1_000_000}`;

function withSchema(url: string): string {
  const u = new URL(url);
  u.searchParams.set('options', `-c search_path=${schema}`);
  return u.href;
}

describe.skipIf(!base)('vigil serve on PostgreSQL', () => {
  let admin: pg.Client;
  beforeAll(async () => {
    admin = new pg.Client({ connectionString: base });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
  });
  afterAll(async () => {
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
  });

  it('ingests, evaluates, deduplicates and keeps everything across a restart', async () => {
    const database = withSchema(base!);
    const now = Date.now();
    const at = new Date(Math.floor(now / 60_000) * 60_000 + 59_000).toISOString();
    const events = Array.from({ length: 500 }, (_, i) => ({
      id: `pg-${i}`,
      journey: 'wire-transfer',
      outcome: i < 5 ? 'failure' : 'success',
      latencyMs: 100,
      timestamp: new Date(now - 120_000 + i * 10).toISOString(),
    }));
    const first = await startVigil(['--config', E2E_CONFIG, '--database', database]);
    try {
      expect(first.output()).toContain('store: postgres');
      expect((await postEvents(first.url, events)).body).toMatchObject({ accepted: 500, duplicates: 0 });
      expect((await postEvents(first.url, events.slice(0, 100))).body).toMatchObject({ accepted: 0, duplicates: 100 });
      const status = (await getJson(`${first.url}/api/v1/journeys/wire-transfer/slos/success/status?at=${at}`)).body;
      expect(status).toMatchObject({ good: 495, total: 500 });
      expect(status.errorBudget.remaining).toBeCloseTo(1 - 5 / 0.5, 9);
    } finally {
      await first.stop();
    }
    const second = await startVigil(['--config', E2E_CONFIG, '--database', database]);
    try {
      const status = (await getJson(`${second.url}/api/v1/journeys/wire-transfer/slos/success/status?at=${at}`)).body;
      expect(status).toMatchObject({ good: 495, total: 500 });
      expect((await getJson(`${second.url}/readyz`)).body).toMatchObject({ status: 'ready', store: 'postgres' });
    } finally {
      await second.stop();
    }
  });
});
