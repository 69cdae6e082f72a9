/**
 * `vigil serve` on PostgreSQL while its connections are terminated under write load (a failover, an
 * idle-connection killer): the process stays up, a batch caught in flight is refused with 503
 * store_unavailable and not acknowledged, every acknowledged batch is stored exactly once, and later
 * requests reconnect; each refusal is logged by default with its request id. Needs VIGIL_TEST_DATABASE_URL
 * (CI provides it; elsewhere the test skips).
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { E2E_CONFIG, postEvents, startVigil } from '../helpers/vigil-process.js';

const base = process.env.VIGIL_TEST_DATABASE_URL;
if (!base && process.env.CI === 'true') throw new Error('CI must provide VIGIL_TEST_DATABASE_URL for the PostgreSQL tests');
const tag = `${process.pid}_${Date.now() % 1_000_000}`;
const schema = `vigil_failover_${tag}`;
// The server's sessions carry this application_name, so the killer terminates them and no one else's (the database is shared).
const applicationName = `vigil_failover_${tag}`;

const CLIENTS = 3;
const BATCH = 20;
const TERMINATIONS = 6;

function serverUrl(url: string): string {
  const u = new URL(url);
  u.searchParams.set('options', `-c search_path=${schema}`);
  u.searchParams.set('application_name', applicationName);
  return u.href;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(!base)('vigil serve on PostgreSQL when its connections are terminated', () => {
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

  it('stays up, refuses the batches caught in flight with 503, stores every acknowledged batch once, then recovers', async () => {
    const vigil = await startVigil(['--config', E2E_CONFIG, '--database', serverUrl(base!)]);
    const acknowledged: string[] = [];
    const refused: { status: number; body: any }[] = [];
    let terminated = 0;
    try {
      let writing = true;
      let sequence = 0;
      const writer = async (client: number) => {
        while (writing) {
          const now = Date.now();
          const batch = Array.from({ length: BATCH }, (_, i) => ({
            id: `fo-${client}-${sequence}-${i}`,
            journey: 'wire-transfer',
            outcome: i % 10 === 0 ? 'failure' : 'success',
            latencyMs: 50 + i,
            timestamp: new Date(now - 60_000 + i).toISOString(),
          }));
          sequence++;
          const answer = await postEvents(vigil.url, batch).catch((error: unknown) => {
            writing = false;
            throw new Error(`the server stopped answering (${String(error)}); its output:\n${vigil.output()}`);
          });
          if (answer.status === 200) {
            expect(answer.body).toMatchObject({ accepted: BATCH, duplicates: 0 });
            acknowledged.push(...batch.map((event) => event.id));
          } else {
            refused.push(answer);
          }
        }
      };
      const killer = async () => {
        for (let round = 0; round < TERMINATIONS; round++) {
          await sleep(400);
          const result = await admin.query(
            'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND application_name = $1',
            [applicationName],
          );
          terminated += result.rowCount ?? 0;
        }
        await sleep(300);
        writing = false;
      };
      await Promise.all([killer(), ...Array.from({ length: CLIENTS }, (_, client) => writer(client))]);

      expect(vigil.child.exitCode).toBeNull();
      expect(terminated).toBeGreaterThan(0);
      // Six terminations under three busy writers always catch some batches in flight.
      expect(refused.length).toBeGreaterThan(0);
      // Each refusal is in the server log by default: a warning (pino level 40) on stderr with the answer's request id.
      const warnings = vigil
        .output()
        .split('\n')
        // Complete JSON lines only: the last one may still be on its way.
        .filter((line) => line.startsWith('{') && line.endsWith('}'))
        .map((line) => JSON.parse(line) as { level: number; requestId?: string; code?: string });
      for (const answer of refused) {
        expect(answer.status).toBe(503);
        expect(answer.body).toMatchObject({
          error: { code: 'store_unavailable', message: expect.any(String), requestId: expect.any(String) },
        });
        expect(warnings).toContainEqual(
          expect.objectContaining({ level: 40, requestId: answer.body.error.requestId, code: 'store_unavailable' }),
        );
      }

      // After the terminations, the next request reconnects and succeeds.
      const later = Array.from({ length: BATCH }, (_, i) => ({
        id: `fo-later-${i}`,
        journey: 'wire-transfer',
        outcome: 'success',
        latencyMs: 10,
        timestamp: new Date(Date.now() - 1000).toISOString(),
      }));
      const after = await postEvents(vigil.url, later);
      expect(after.status).toBe(200);
      expect(after.body).toMatchObject({ accepted: BATCH, duplicates: 0 });
      acknowledged.push(...later.map((event) => event.id));
      expect(vigil.child.exitCode).toBeNull();
    } finally {
      await vigil.stop();
    }

    const stored = await admin.query<{ id: string; copies: string }>(`SELECT id, count(*) AS copies FROM ${schema}.events GROUP BY id`);
    const copies = new Map(stored.rows.map((row) => [row.id, Number(row.copies)]));
    const missing = acknowledged.filter((id) => copies.get(id) !== 1);
    expect(missing).toEqual([]);
    expect(acknowledged.length).toBeGreaterThan(BATCH);
  }, 120_000);
});
