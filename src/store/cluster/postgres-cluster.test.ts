/**
 * The cluster sessions on a real PostgreSQL (docs/scale-out.md): the aggregate watermark never skips a transaction
 * that commits after a later one, rows read are totals, and the leader lock is held by one session at a time, its
 * advertised row believed only while it holds it. Needs VIGIL_TEST_DATABASE_URL (CI provides it).
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../open.js';
import type { Store } from '../store.js';
import { AggregateChangeReader, LeaderLock } from './postgres-cluster.js';

const url = process.env.VIGIL_TEST_DATABASE_URL;
if (!url && process.env.CI === 'true') throw new Error('CI must provide VIGIL_TEST_DATABASE_URL for the PostgreSQL tests');
const schema = `vigil_cluster_${process.pid}_${Date.now() % 1_000_000}`;
const MINUTE = 29_000_000;

describe.skipIf(!url)('cluster sessions on PostgreSQL', () => {
  let admin: pg.Client;
  let store: Store;
  const session = () => ({ url: url!, schema });

  beforeAll(async () => {
    admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    store = await openStore(url!, { schema });
  });
  afterAll(async () => {
    await store.close();
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
  });

  async function client(): Promise<pg.Client> {
    const c = new pg.Client({ connectionString: url, options: `-c search_path=${schema}` });
    await c.connect();
    return c;
  }

  const upsert =
    'INSERT INTO sli_minutes (key, minute, good, total) VALUES ($1, $2, $3, $4) ' +
    'ON CONFLICT (key, minute) DO UPDATE SET good = sli_minutes.good + excluded.good, total = sli_minutes.total + excluded.total';
  const keys = (rows: { key: string; good: number; total: number }[]) => rows.map((r) => `${r.key}=${r.good}/${r.total}`).sort();

  it('reads a transaction that commits after a later one, and rows as totals', async () => {
    const reader = new AggregateChangeReader(session());
    const early = await client();
    const late = await client();
    try {
      let watermark = await reader.watermark();
      expect((await reader.changedSince(watermark)).sli).toEqual([]);
      // `early` takes its transaction id first and commits last.
      await early.query('BEGIN');
      await early.query(upsert, ['early', MINUTE, 1, 2]);
      await late.query(upsert, ['late', MINUTE, 3, 3]);
      const first = await reader.changedSince(watermark);
      expect(keys(first.sli)).toEqual(['late=3/3']);
      watermark = first.watermark;
      await early.query('COMMIT');
      const second = await reader.changedSince(watermark);
      expect(keys(second.sli)).toContain('early=1/2');
      watermark = second.watermark;
      // An update re-stamps the row; the row comes back as its new totals, not the increment.
      await late.query(upsert, ['late', MINUTE, 1, 2]);
      const third = await reader.changedSince(watermark);
      expect(keys(third.sli)).toEqual(['late=4/5']);
      // Nothing changed since: nothing read.
      expect((await reader.changedSince(third.watermark)).sli).toEqual([]);
      // Scope rows: the whole journey's step '' is read back as null.
      await late.query(
        "INSERT INTO scope_minutes (journey, step, minute, success, failure, rejected, abandoned) VALUES ('pay', '', $1, 5, 1, 0, 2)",
        [MINUTE],
      );
      const scope = await reader.changedSince(third.watermark);
      expect(scope.scope).toEqual([{ journey: 'pay', step: null, minute: MINUTE, success: 5, failure: 1, rejected: 0, abandoned: 2 }]);
    } finally {
      await early.end();
      await late.end();
      await reader.close();
    }
  });

  it('gives the leader lock to one session at a time, and believes the advertised row only while it is held', async () => {
    const reader = new AggregateChangeReader(session());
    const lost: string[] = [];
    const first = await LeaderLock.tryTake(session(), () => lost.push('first'));
    try {
      expect(first).not.toBeNull();
      expect(await LeaderLock.tryTake(session(), () => lost.push('second'))).toBeNull();
      expect(await reader.leader()).toBeNull();
      await first!.advertise('http://10.0.1.11:8080', 'node-a', 1000);
      expect(await reader.leader()).toEqual({ url: 'http://10.0.1.11:8080', node: 'node-a', since: 1000 });
      await first!.check();
      // The lock's session is terminated (a failover, a killed process): the holder hears it, the row is no longer believed.
      await admin.query(
        "SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND granted AND objid = hashtext($1)::oid",
        [schema],
      );
      await expect(first!.check()).rejects.toThrow();
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(lost).toEqual(['first']);
      expect(await reader.leader()).toBeNull();
      const next = await LeaderLock.tryTake(session(), () => lost.push('next'));
      expect(next).not.toBeNull();
      await next!.release();
    } finally {
      await first?.release();
      await reader.close();
    }
  });

  it('keeps one row per node, stamped by the database clock, and forgets the silent ones', async () => {
    const reader = new AggregateChangeReader(session());
    const other = new AggregateChangeReader(session());
    const beat = (node: string, config: string) =>
      ({ node, url: `http://${node}`, version: '0.1.0', config, role: 'follower', startedAt: 1 }) as const;
    try {
      await reader.beat(beat('a/1', 'aaaaaaaaaaaa'));
      await other.beat(beat('b/2', 'bbbbbbbbbbbb'));
      await reader.beat({ ...beat('a/1', 'cccccccccccc'), role: 'leader' });
      const nodes = await other.nodes();
      expect(nodes.map((n) => `${n.node} ${n.role} ${n.config}`)).toEqual(['a/1 leader cccccccccccc', 'b/2 follower bbbbbbbbbbbb']);
      const { rows } = await admin.query<{ now: string }>('SELECT floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint AS now');
      for (const n of nodes) {
        expect(n.ageMs).toBeGreaterThanOrEqual(0);
        expect(Math.abs(Number(rows[0]!.now) - n.seenAt)).toBeLessThan(60_000);
      }
      // b/2 said so "an hour ago": forgotten by a one-minute horizon, a/1 kept.
      await admin.query(
        `UPDATE ${schema}.meta SET value = jsonb_set(value::jsonb, '{seenAt}', to_jsonb((value::jsonb ->> 'seenAt')::bigint - 3600000))::text WHERE key = $1`,
        ['cluster.node.b/2'],
      );
      expect((await reader.nodes()).find((n) => n.node === 'b/2')!.ageMs).toBeGreaterThanOrEqual(3_600_000);
      expect(await reader.forgetNodes(60_000)).toBe(1);
      expect((await reader.nodes()).map((n) => n.node)).toEqual(['a/1']);
      await other.beat(beat('c/3', 'cccccccccccc'));
      await other.forgetNode('c/3');
      expect((await reader.nodes()).map((n) => n.node)).toEqual(['a/1']);
      // Other meta rows are never taken for nodes, nor forgotten with them.
      expect(
        (await admin.query(`SELECT count(*)::int AS n FROM ${schema}.meta WHERE key NOT LIKE 'cluster.node.%'`)).rows[0].n,
      ).toBeGreaterThan(0);
    } finally {
      await reader.close();
      await other.close();
    }
  });
});
