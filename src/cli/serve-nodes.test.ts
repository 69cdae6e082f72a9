/**
 * The nodes serving one store (docs/scale-out.md ("The nodes")): real servers on one PostgreSQL schema say who they are,
 * every node lists them all, and a node started with another configuration is named by every node, in a warning, in
 * `GET /api/v1/cluster` and in `vigil_cluster_agree`. A server on a SQLite file is its own one node.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { stripVTControlCharacters } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RuntimeLog } from '../app/runtime.js';
import { loadConfigFromString } from '../config/load.js';
import type { VigilConfig } from '../model/config.js';
import { clusterOf, untilCluster } from '../../test/helpers/cluster.js';
import { payConfig, sloSpec } from '../../test/helpers/configs.js';
import { statusCommand } from './commands/status.js';
import { type RunningServer, startServer } from './serve.js';

const base = process.env.VIGIL_TEST_DATABASE_URL;
if (!base && process.env.CI === 'true') throw new Error('CI must provide VIGIL_TEST_DATABASE_URL for the PostgreSQL tests');

const ONE = payConfig([sloSpec('success')]);
const TWO = payConfig([sloSpec('success'), sloSpec('strict')]);
const cluster = clusterOf;
const until = untilCluster;
const capture = () => {
  const warnings: string[] = [];
  const log: RuntimeLog = { info: () => {}, warn: (m) => warnings.push(m) };
  return { log, warnings };
};

describe('the nodes of one store', () => {
  it('a server on a SQLite file is its own one node', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-nodes-'));
    const server = await startServer({ config: ONE, database: join(dir, 'vigil.db'), host: '127.0.0.1', port: 0, log: capture().log });
    try {
      const answer = await cluster(server);
      expect(answer).toMatchObject({ mode: 'single', agree: true, differences: [] });
      expect(answer.nodes).toEqual([expect.objectContaining({ url: server.url, role: 'single', live: true, self: true })]);
      expect(answer.nodes[0]!.config).toMatch(/^[0-9a-f]{12}$/);
      const metrics = await (await fetch(`${server.url}/metrics`)).text();
      expect(metrics).toContain('vigil_cluster_nodes{state="live"} 1');
      expect(metrics).toContain('vigil_cluster_agree 1');
    } finally {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  describe.skipIf(!base)('on one PostgreSQL schema', () => {
    let admin: pg.Client;
    const schema = `vigil_nodes_${process.pid}_${randomBytes(4).toString('hex')}`;
    beforeAll(async () => {
      admin = new pg.Client({ connectionString: base });
      await admin.connect();
      await admin.query(`CREATE SCHEMA ${schema}`);
    });
    afterAll(async () => {
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.end();
    });

    it('every node lists every node; one started with another configuration is named by all', async () => {
      const u = new URL(base!);
      u.searchParams.set('options', `-c search_path=${schema}`);
      const start = (cfg: VigilConfig, log: RuntimeLog) => startServer({ config: cfg, database: u.href, host: '127.0.0.1', port: 0, log });
      const servers: RunningServer[] = [];
      const logA = capture();
      try {
        const a = await start(ONE, logA.log);
        servers.push(a);
        const b = await start(ONE, capture().log);
        servers.push(b);
        const both = await until(a, 'A lists two live nodes', (c) => c.nodes.filter((n) => n.live).length === 2);
        expect(both).toMatchObject({ mode: 'cluster', agree: true, differences: [] });
        expect(both.nodes.map((n) => n.url).sort()).toEqual([a.url, b.url].sort());
        expect(both.nodes.filter((n) => n.self).map((n) => n.url)).toEqual([a.url]);
        // One leader among them, seen alike from both (each node's own role is the one it has now).
        await until(
          b,
          'one leader and one follower',
          (c) =>
            c.nodes
              .map((n) => n.role)
              .sort()
              .join() === 'follower,leader',
        );
        expect(logA.warnings.filter((w) => w.includes('differ'))).toEqual([]);

        const c = await start(TWO, capture().log);
        servers.push(c);
        const apart = await until(a, 'A sees that C differs', (x) => x.nodes.filter((n) => n.live).length === 3 && !x.agree);
        const configs = new Map(apart.nodes.map((n) => [n.url, n.config]));
        expect(configs.get(a.url)).toBe(configs.get(b.url));
        expect(configs.get(c.url)).not.toBe(configs.get(a.url));
        const names = new Map(apart.nodes.map((n) => [n.url, n.node]));
        expect(apart.differences).toEqual([
          `configurations differ: ${configs.get(a.url)} on ${[names.get(a.url), names.get(b.url)].sort().join(', ')}; ` +
            `${configs.get(c.url)} on ${names.get(c.url)}`,
        ]);
        expect((await until(c, 'C sees it too', (x) => !x.agree)).differences).toEqual(apart.differences);
        await until(a, 'A has logged it', () => logA.warnings.some((w) => w.includes('configurations differ')));
        expect(logA.warnings.filter((w) => w.includes('the live nodes differ'))).toHaveLength(1);
        await until(b, 'B has read C', (x) => x.nodes.filter((n) => n.live).length === 3);
        const metrics = await (await fetch(`${b.url}/metrics`)).text();
        expect(metrics).toContain('vigil_cluster_nodes{state="live"} 3');
        expect(metrics).toMatch(/vigil_cluster_agree 0/);

        // `vigil status --server` against one node says so under the table (docs/cli.md ("vigil status")).
        const written: string[] = [];
        const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
          written.push(String(chunk));
          return true;
        });
        try {
          await statusCommand().parseAsync(['--server', b.url], { from: 'user' });
        } finally {
          spy.mockRestore();
        }
        const line = stripVTControlCharacters(written.join(''))
          .split('\n')
          .find((l) => l.includes('nodes live'));
        const leader = apart.nodes.find((n) => n.role === 'leader')!.node;
        expect(line).toBe(`3 nodes live, leader ${leader}; ${apart.differences[0]}`);

        // C stopped on purpose leaves the list (not "gone"), and the two left agree again.
        await servers.pop()!.close();
        const after = await until(a, 'C has left', (x) => x.nodes.length === 2);
        expect(after).toMatchObject({ agree: true, differences: [] });
        expect(after.nodes.every((n) => n.live)).toBe(true);
      } finally {
        for (const server of servers.reverse()) await server.close();
      }
    }, 120_000);

    it('POST /api/v1/admin/reload?nodes=all reloads every live node from its own file and says how each went', async () => {
      const u = new URL(base!);
      u.searchParams.set('options', `-c search_path=${schema}_reload`);
      await admin.query(`CREATE SCHEMA ${schema}_reload`);
      const dir = mkdtempSync(join(tmpdir(), 'vigil-reload-all-'));
      const file = (name: string, text: string) => {
        writeFileSync(join(dir, name), text);
        return join(dir, name);
      };
      const yaml = (slos: string) =>
        `version: vigil/v1\njourneys:\n  - name: pay\n    tier: core\n    steps: [ { name: send, critical: true } ]\n    slos:\n${slos}`;
      const ONE_YAML = yaml('      - { name: success, objective: 99, window: 1d, sli: { kind: success } }\n');
      const TWO_YAML = `${ONE_YAML}      - { name: fast, objective: 99, window: 1d, sli: { kind: latency, thresholdMs: 500 } }\n`;
      const start = async (configPath: string) => {
        const loaded = loadConfigFromString(readFileSync(configPath, 'utf8'), configPath);
        if (!loaded.ok) throw new Error('test configuration does not validate');
        return startServer({ config: loaded.config, configPath, database: u.href, host: '127.0.0.1', port: 0, log: capture().log });
      };
      const reloadAll = async (server: RunningServer, nodes = 'all') => {
        const response = await fetch(`${server.url}/api/v1/admin/reload?nodes=${nodes}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{}',
        });
        return { status: response.status, body: (await response.json()) as any };
      };
      const servers: RunningServer[] = [];
      try {
        const a = await start(file('a.yaml', ONE_YAML));
        servers.push(a);
        const b = await start(file('b.yaml', ONE_YAML));
        servers.push(b);
        await until(a, 'A lists two live nodes', (c) => c.nodes.filter((n) => n.live).length === 2);
        // Events of one minute: two fast, one slow.
        const minute = Math.floor(Date.now() / 60_000) * 60_000 - 120_000;
        const event = (n: number, latencyMs: number) => ({
          id: `r-${n}`,
          journey: 'pay',
          outcome: 'success',
          latencyMs,
          timestamp: new Date(minute + n * 1000).toISOString(),
        });
        const post = async (server: RunningServer, events: unknown[]) =>
          (
            (await (
              await fetch(`${server.url}/api/v1/events`, {
                method: 'POST',
                headers: { 'content-type': 'application/json' },
                body: JSON.stringify(events),
              })
            ).json()) as { accepted: number }
          ).accepted;
        expect(await post(a, [event(1, 100), event(2, 100), event(3, 900)])).toBe(3);
        const fast = (server: RunningServer) => {
          const s = server.runtime.registry.statuses(Date.now()).find((x) => x.slo === 'fast');
          return s ? `${s.good}/${s.total}` : 'none';
        };

        // Only A's file changed: both reload, each from its own file, and the nodes now differ.
        file('a.yaml', TWO_YAML);
        const first = await reloadAll(a);
        expect(first.status).toBe(200);
        expect(first.body.slos).toBe(2);
        expect(first.body.nodes).toEqual([
          {
            node: expect.any(String),
            url: a.url,
            status: 'reloaded',
            recomputed: ['pay|*|latency:500|abandoned:ok'],
            dropped: [],
            error: null,
          },
          { node: expect.any(String), url: b.url, status: 'reloaded', recomputed: [], dropped: [], error: null },
        ]);
        expect(b.runtime.registry.allSlos()).toHaveLength(1);
        expect(fast(a)).toBe('2/3');
        // B, still without the new SLI, kept its aggregates in the store: A's next event in the same minute adds to them.
        expect(await post(a, [event(4, 100)])).toBe(1);
        expect(fast(a)).toBe('3/4');
        await until(a, 'A sees that B differs', (c) => !c.agree);

        // B's file too, the request sent to B this time: both on the new file, the SLI already materialised by A.
        file('b.yaml', TWO_YAML);
        const second = await reloadAll(b);
        expect(second.body.nodes.map((n: any) => `${n.url} ${n.status} ${n.recomputed.length}`)).toEqual([
          `${b.url} reloaded 0`,
          `${a.url} reloaded 0`,
        ]);
        expect(b.runtime.registry.allSlos()).toHaveLength(2);
        await until(a, 'the nodes agree again', (c) => c.agree && c.nodes.filter((n) => n.live).length === 2);

        // A file that does not validate on B: A reloads, B answers for itself and keeps its configuration.
        file('b.yaml', 'version: vigil/v1\njourneys: [ { name: 7 } ]\n');
        const third = await reloadAll(a);
        expect(third.status).toBe(200);
        expect(third.body.nodes[1]).toMatchObject({ url: b.url, status: 'failed', error: { code: 'config_invalid' } });
        expect(b.runtime.registry.allSlos()).toHaveLength(2);

        expect((await reloadAll(a, 'some')).body.error.code).toBe('invalid_query');
      } finally {
        for (const server of servers.reverse()) await server.close();
        await admin.query(`DROP SCHEMA IF EXISTS ${schema}_reload CASCADE`);
        rmSync(dir, { recursive: true, force: true });
      }
    }, 120_000);
  });
});
