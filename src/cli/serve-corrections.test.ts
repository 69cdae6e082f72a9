/**
 * A correction added through one node's API is put in force on every node of one PostgreSQL schema (docs/scale-out.md
 * ("Corrections on every node")): two real servers polling the store, then two nodes driven step by step so that one
 * appends with the SLIs as they were, before it has the correction, and every event still counts in the corrected figures.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClusterNode } from '../app/cluster/cluster-node.js';
import { type RuntimeLog, VigilRuntime } from '../app/runtime.js';
import { schemaUrl } from '../../test/helpers/cluster.js';
import { TWO_JOURNEYS } from '../../test/helpers/configs.js';
import { openStore } from '../store/open.js';
import { type RunningServer, startServer } from './serve.js';

const base = process.env.VIGIL_TEST_DATABASE_URL;
if (!base && process.env.CI === 'true') throw new Error('CI must provide VIGIL_TEST_DATABASE_URL for the PostgreSQL tests');

const NOW = Date.parse('2026-11-26T10:00:30Z');
const silent: RuntimeLog = { info: () => {}, warn: () => {} };
const config = TWO_JOURNEYS;

/** Ten wire-transfer events, six of them inside 09:00–09:30Z, and two of statements (a failure at 09:10). */
const EVENTS = [
  ['wire-transfer', 'success', '08:10:00', 100],
  ['wire-transfer', 'success', '08:10:10', 900],
  ['wire-transfer', 'failure', '08:10:20'],
  ['wire-transfer', 'failure', '08:59:59.999'],
  ['wire-transfer', 'failure', '09:00:00'],
  ['wire-transfer', 'failure', '09:05:00'],
  ['wire-transfer', 'failure', '09:05:30'],
  ['wire-transfer', 'success', '09:20:00', 100],
  ['wire-transfer', 'success', '09:30:00', 100],
  ['wire-transfer', 'failure', '09:45:00'],
  ['statements', 'failure', '09:10:00'],
  ['statements', 'success', '09:40:00'],
].map(([journey, outcome, time, latencyMs], i) => ({
  id: `e-${i}`,
  journey,
  outcome,
  timestamp: `2026-11-26T${time}Z`,
  ...(latencyMs !== undefined && { latencyMs }),
}));
const BEFORE = ['wire-transfer/success 4/10', 'wire-transfer/fast 3/10', 'statements/success 1/2'];
const AFTER = ['wire-transfer/success 3/6', 'wire-transfer/fast 2/6', 'statements/success 1/2'];
const UPGRADE = {
  name: 'ledger-upgrade',
  journeys: ['wire-transfer'],
  from: '2026-11-26T09:00:00Z',
  to: '2026-11-26T09:30:00Z',
  reason: 'Announced core-ledger upgrade',
};

const counts = (runtime: VigilRuntime) => runtime.registry.statuses(NOW).map((s) => `${s.journey}/${s.slo} ${s.good}/${s.total}`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `probe` holds, failing with what it last saw after 20 s (a busy CI machine; the nodes poll every second). */
async function eventually(what: string, probe: () => unknown): Promise<void> {
  const until = Date.now() + 20_000;
  for (;;) {
    let seen: unknown;
    try {
      seen = await probe();
      if (seen === true) return;
    } catch (error) {
      seen = error;
    }
    if (Date.now() > until) throw new Error(`${what}: not within 20 s (last: ${String(seen)})`);
    await sleep(100);
  }
}

async function post(url: string, body: unknown): Promise<{ status: number; body: any }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, body: await response.json() };
}

describe.skipIf(!base)('corrections on every node of one PostgreSQL schema', () => {
  let admin: pg.Client;
  const schemas: string[] = [];
  const newSchema = async () => {
    const schema = `vigil_corr_${process.pid}_${randomBytes(4).toString('hex')}`;
    await admin.query(`CREATE SCHEMA ${schema}`);
    schemas.push(schema);
    return schemaUrl(base!, schema);
  };
  beforeAll(async () => {
    admin = new pg.Client({ connectionString: base });
    await admin.connect();
  });
  afterAll(async () => {
    for (const schema of schemas) await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
  });

  it('two servers: a correction posted to one is listed and in force on the other, and later events count alike', async () => {
    const database = await newSchema();
    const options = { config, database, host: '127.0.0.1', port: 0, log: silent, clock: () => NOW };
    const nodes: RunningServer[] = [];
    try {
      nodes.push(await startServer(options));
      nodes.push(await startServer(options));
      const [a, b] = nodes as [RunningServer, RunningServer];
      expect((await post(`${a.url}/api/v1/events`, EVENTS)).body.accepted).toBe(12);
      await eventually('B counts what A took', () => counts(b.runtime).join() === BEFORE.join());

      const added = await post(`${a.url}/api/v1/corrections`, UPGRADE);
      expect(added.status).toBe(201);
      expect(counts(a.runtime)).toEqual(AFTER);
      await eventually('B lists the correction', async () => {
        const listed = (await (await fetch(`${b.url}/api/v1/corrections`)).json()) as { corrections: { name: string }[] };
        return listed.corrections.some((c) => c.name === 'ledger-upgrade');
      });
      await eventually('B shows the corrected figures', () => counts(b.runtime).join() === AFTER.join());
      expect(b.runtime.registry.statuses(NOW)).toEqual(a.runtime.registry.statuses(NOW));

      // Through B now: a failure inside the correction counts for nothing, a success after it counts, on both nodes.
      const late = [
        { id: 'late-1', journey: 'wire-transfer', outcome: 'failure', timestamp: '2026-11-26T09:10:00Z' },
        { id: 'late-2', journey: 'wire-transfer', outcome: 'success', timestamp: '2026-11-26T09:59:00Z', latencyMs: 100 },
      ];
      expect((await post(`${b.url}/api/v1/events`, late)).body.accepted).toBe(2);
      expect(counts(b.runtime)[0]).toBe('wire-transfer/success 4/7');
      await eventually('A counts what B took', () => counts(a.runtime)[0] === 'wire-transfer/success 4/7');
      // The same name again, through the node that did not take it first: refused, nothing changes.
      expect((await post(`${b.url}/api/v1/corrections`, UPGRADE)).status).toBe(409);
    } finally {
      for (const node of nodes.reverse()) await node.close();
    }
  });

  it('a node that appends before it holds the correction recomputes the corrected SLI, so no event is lost from it', async () => {
    const database = await newSchema();
    const started: Array<{ node: ClusterNode; runtime: VigilRuntime }> = [];
    const start = async () => {
      const node = await ClusterNode.before({ url: database }, silent);
      const runtime = await VigilRuntime.start({ config, store: await openStore(database), clock: () => NOW });
      node.attach(runtime);
      started.push({ node, runtime });
      return runtime;
    };
    try {
      const a = await start();
      const b = await start();
      expect((await a.ingestor.ingest(JSON.stringify(EVENTS), 'application/json')).accepted).toBe(12);
      await eventually('B counts what A took', () => counts(b).join() === BEFORE.join());
      // Statements: the 09:10 failure falls inside this correction, the 09:40 success outside.
      const added = await a.addCorrection({
        name: 'statements-move',
        journeys: ['statements'],
        from: Date.parse('2026-11-26T09:00:00Z'),
        to: Date.parse('2026-11-26T09:30:00Z'),
        reason: null,
        author: null,
        createdAt: NOW,
      });
      expect(added).toEqual({ added: true, recomputed: [expect.stringMatching(/^statements\|\*\|success\|abandoned:ok\|corrections:/)] });
      expect(counts(a)[2]).toBe('statements/success 1/1');

      // B has not looked yet: its batch (one failure inside the correction, one success after it) goes to the SLI it knows.
      const late = [
        { id: 's-late-1', journey: 'statements', outcome: 'failure', timestamp: '2026-11-26T09:15:00Z' },
        { id: 's-late-2', journey: 'statements', outcome: 'success', timestamp: '2026-11-26T09:50:00Z' },
      ];
      expect((await b.ingestor.ingest(JSON.stringify(late), 'application/json')).accepted).toBe(2);
      expect(counts(b)[2]).toBe('statements/success 2/4');

      // B puts it in force: the corrected SLI is no longer complete in the store (B appended without it), so B recomputes it.
      const adopted = await b.adoptStoredCorrections();
      expect(adopted.adopted).toEqual(['statements-move']);
      expect(adopted.recomputed).toEqual(added.recomputed);
      expect(counts(b)).toEqual(['wire-transfer/success 4/10', 'wire-transfer/fast 3/10', 'statements/success 2/2']);
      await eventually('A reads the recomputed totals', () => counts(a).join() === counts(b).join());
      // Nothing more to adopt; a third look changes nothing.
      expect(await b.adoptStoredCorrections()).toEqual({ adopted: [], recomputed: [] });
      expect(await a.adoptStoredCorrections()).toEqual({ adopted: [], recomputed: [] });
    } finally {
      for (const { node, runtime } of started.reverse()) {
        await node.close();
        await runtime.close();
      }
    }
  });
});
