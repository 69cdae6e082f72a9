/**
 * `vigil serve --queue nats://…` (docs/nats.md): three nodes on one PostgreSQL schema and one JetStream stream take
 * traffic on all of them; one is killed with SIGKILL mid-stream and started again. Every acknowledged event is then
 * in the store exactly once — events with a client id and events without one (tracked here by their attemptId) —
 * and the stored aggregates, read by a node started after the traffic, count each once. The figures are read from
 * the store and from that fresh node, not from the nodes that took the traffic (whose memory holds only what each
 * consumed itself). Needs VIGIL_TEST_DATABASE_URL and VIGIL_TEST_NATS_URL (CI provides both; elsewhere it skips).
 */
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { E2E_CONFIG, getJson, postEvents, startVigil, type VigilProcess } from '../helpers/vigil-process.js';

const base = process.env.VIGIL_TEST_DATABASE_URL;
const nats = process.env.VIGIL_TEST_NATS_URL;
if ((!base || !nats) && process.env.CI === 'true') {
  throw new Error('CI must provide VIGIL_TEST_DATABASE_URL and VIGIL_TEST_NATS_URL for the NATS ingest test');
}
const tag = `${process.pid}_${Date.now() % 1_000_000}`;
const schema = `vigil_nats_${tag}`;
const stream = `VIGIL_E2E_${tag}`;

const CLIENTS = 3;
const BATCH = 20;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function withSchema(url: string): string {
  const u = new URL(url);
  u.searchParams.set('options', `-c search_path=${schema}`);
  return u.href;
}

/** A sample of an unlabelled metric family, or undefined when absent. */
async function metric(url: string, name: string): Promise<number | undefined> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.split(' ')[1]);
}

describe.skipIf(!base || !nats)('vigil serve --queue: NATS JetStream ingest on three nodes', () => {
  let admin: pg.Client;
  beforeAll(async () => {
    admin = new pg.Client({ connectionString: base });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
  });
  afterAll(async () => {
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
    const nc = await connect({ servers: nats! });
    await (await jetstreamManager(nc)).streams.delete(stream).catch(() => {});
    await nc.close();
  });

  it('stores every acknowledged event exactly once although a node is killed mid-stream', { timeout: 180_000 }, async () => {
    const args = [
      '--config',
      E2E_CONFIG,
      '--database',
      withSchema(base!),
      '--queue',
      nats!,
      '--queue-stream',
      stream,
      '--queue-ack-wait',
      '2',
    ];
    const nodes: (VigilProcess | undefined)[] = [];
    // One at a time: the first migrates the schema.
    for (let i = 0; i < 3; i++) nodes.push(await startVigil(args));
    expect(nodes[0]!.output()).toContain(`queue: ${nats} stream ${stream}`);
    const now = Date.now();
    /** Acknowledged events: by id (those sent with one) and by attemptId (those sent without an id). */
    const ackedIds: string[] = [];
    const ackedAttempts: string[] = [];
    let acknowledged = 0;
    let failuresAcked = 0;
    let unanswered = 0;
    let writing = true;
    let sent = 0;
    const writer = async (client: number) => {
      for (let sequence = 0; writing; sequence++) {
        const live = nodes.filter((n): n is VigilProcess => n !== undefined);
        const node = live[(client + sequence) % live.length]!;
        // Half the events carry an id; the others only an attemptId, so that each can be found once in the store.
        const batch = Array.from({ length: BATCH }, (_, i) => ({
          ...(i % 2 === 0 ? { id: `nq-${client}-${sequence}-${i}` } : {}),
          attemptId: `at-${client}-${sequence}-${i}`,
          journey: 'wire-transfer',
          outcome: i % 7 === 0 ? 'failure' : 'success',
          latencyMs: 20,
          timestamp: new Date(now - 60_000 + i).toISOString(),
        }));
        sent++;
        const answer = await postEvents(node.url, batch).catch(() => undefined);
        if (answer === undefined) {
          // The node died with the request: not acknowledged, so it may or may not be stored; never twice.
          unanswered++;
          continue;
        }
        expect(answer.status).toBe(200);
        expect(answer.body).toMatchObject({ accepted: BATCH, duplicates: 0, rejected: [] });
        acknowledged += BATCH;
        failuresAcked += batch.filter((e) => e.outcome === 'failure').length;
        for (const e of batch) {
          if (e.id) ackedIds.push(e.id);
          else ackedAttempts.push(e.attemptId);
        }
      }
    };
    const chaos = async () => {
      while (sent < 60) await sleep(20);
      // SIGKILL mid-stream: batches it took from the stream and had not acknowledged go to the others after 2 s.
      const victim = nodes[1]!;
      nodes[1] = undefined;
      victim.child.kill('SIGKILL');
      await new Promise((resolve) => victim.child.once('exit', resolve));
      const killedAt = sent;
      while (sent < killedAt + 60) await sleep(20);
      nodes[1] = await startVigil(args);
      const restartedAt = sent;
      while (sent < restartedAt + 60) await sleep(20);
      writing = false;
    };
    try {
      await Promise.all([chaos(), ...Array.from({ length: CLIENTS }, (_, client) => writer(client))]);

      // Settled: every acknowledged event is in the store and the stream holds nothing unacknowledged.
      const storedIds = async () =>
        (await admin.query<{ n: string }>(`SELECT count(*) AS n FROM ${schema}.events WHERE id = ANY($1)`, [ackedIds])).rows[0]!.n;
      const deadline = Date.now() + 90_000;
      while (Number(await storedIds()) < ackedIds.length || (await metric(nodes[0]!.url, 'vigil_queue_pending')) !== 0) {
        if (Date.now() > deadline) throw new Error(`not settled: ${await storedIds()} of ${ackedIds.length} ids stored`);
        await sleep(500);
      }
      await sleep(2_500);
      expect(await metric(nodes[0]!.url, 'vigil_queue_pending')).toBe(0);

      // Every acknowledged event exactly once: ids by the unique key, id-less events by their attemptId.
      expect(Number(await storedIds())).toBe(ackedIds.length);
      const attempts = await admin.query<{ attempt_id: string; n: string }>(
        `SELECT attempt_id, count(*) AS n FROM ${schema}.events WHERE id NOT LIKE 'nq-%' GROUP BY attempt_id`,
      );
      const stored = new Map(attempts.rows.map((r) => [r.attempt_id, Number(r.n)]));
      expect([...stored.values()].filter((n) => n !== 1)).toEqual([]);
      expect(ackedAttempts.filter((a) => stored.get(a) !== 1)).toEqual([]);
      // Nothing beyond what was sent: the acknowledged events, and at most the batches the killed node never answered.
      const total = Number((await admin.query<{ n: string }>(`SELECT count(*) AS n FROM ${schema}.events`)).rows[0]!.n);
      expect(total).toBeGreaterThanOrEqual(acknowledged);
      expect(total - acknowledged).toBeLessThanOrEqual(unanswered * BATCH);

      // The stored aggregates count each stored event once: a node started now reads them.
      const failuresStored = Number(
        (await admin.query<{ n: string }>(`SELECT count(*) AS n FROM ${schema}.events WHERE outcome = 'failure'`)).rows[0]!.n,
      );
      expect(failuresStored).toBeGreaterThanOrEqual(failuresAcked);
      const fresh = await startVigil(args);
      try {
        const at = new Date(Math.floor(Date.now() / 60_000) * 60_000 + 59_000).toISOString();
        const status = (await getJson(`${fresh.url}/api/v1/journeys/wire-transfer/slos/success/status?at=${at}`)).body;
        expect(status).toMatchObject({ good: total - failuresStored, total });
      } finally {
        await fresh.stop();
      }
    } finally {
      writing = false;
      for (const node of nodes) await node?.stop();
    }
  });
});
