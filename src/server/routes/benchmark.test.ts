/**
 * GET /api/v1/benchmark (docs/benchmark.md ("The benchmark"), docs/api.md ("Benchmark")) on SQLite and PostgreSQL, over the
 * real server and runtime, every answer checked against its wire schema: availability, Wilson intervals, shared ranks,
 * latency percentiles, status-page minutes and our customers' success beside our probe.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { BenchmarkResponse } from '../../api/benchmark.js';
import { toInstant } from '../../api/common.js';
import { vigilApi } from '../../app/api.js';
import { VigilRuntime } from '../../app/runtime.js';
import { loadConfigFromString } from '../../config/load.js';
import type { ProbeResult } from '../../model/benchmark.js';
import { openStore } from '../../store/open.js';
import type { Store } from '../../store/store.js';
import { buildServer } from '../app.js';

const T0 = Date.parse('2026-11-26T08:00:00Z');
const MINUTE = 60_000;
const NOW = T0 + 100 * MINUTE;
const url = process.env.VIGIL_TEST_DATABASE_URL;

const CONFIG = `version: vigil/v1
journeys:
  - name: login
    displayName: Log in
    steps: [{ name: auth, services: [auth-api] }]
    slos: [{ name: success, objective: 99, window: 28d, sli: { kind: success } }]
  - name: card-payment
    displayName: Card payment
    steps: [{ name: pay, services: [cards-api] }]
  - name: statements
    steps: [{ name: view, services: [docs-api] }]
benchmarks:
  probes:
    - { name: rival-b-login, owner: rival-b, journey: login, url: "https://b.example/login" }
    - { name: our-login, owner: self, journey: login, url: "https://bank.example/login" }
    - { name: rival-a-login, owner: rival-a, journey: login, url: "https://a.example/login" }
  statusPages:
    - { owner: rival-a, url: "https://status.a.example", components: [Payments], journey: card-payment }
`;

/** n runs of one probe a minute apart from T0: ok ones first (latency by index), then failures. */
function runs(probe: string, owner: string, n: number, ok: number, latency: (i: number) => number | null, error: string): ProbeResult[] {
  return Array.from({ length: n }, (_, i) => ({
    probe,
    owner,
    journey: 'login',
    at: T0 + i * MINUTE,
    ok: i < ok,
    latencyMs: latency(i),
    error: i < ok ? null : error,
  }));
}

type Backend = [string, () => Promise<{ store: Store; cleanup: () => Promise<void> }>];
const backends: Backend[] = [
  [
    'sqlite',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-'));
      const store = await openStore(join(dir, 'v.db'));
      const cleanup = async () => {
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      };
      return { store, cleanup };
    },
  ],
];
let admin: pg.Pool | undefined;
if (url) {
  admin = new pg.Pool({ connectionString: url, max: 2 });
  backends.push([
    'postgres',
    async () => {
      const schema = `vigil_test_${process.pid}_${randomBytes(4).toString('hex')}`;
      await admin!.query(`CREATE SCHEMA ${schema}`);
      const store = await openStore(url, { schema, maxConnections: 4 });
      return {
        store,
        cleanup: async () => {
          await store.close();
          await admin!.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        },
      };
    },
  ]);
} else if (process.env.CI === 'true') {
  it('has a PostgreSQL database to test against', () => {
    throw new Error('CI must provide VIGIL_TEST_DATABASE_URL');
  });
}
afterAll(async () => {
  await admin?.end();
});

describe.each(backends)('GET /api/v1/benchmark: %s', (_name, open) => {
  it('ranks owners with Wilson intervals, shares ranks on overlap, and puts our customers beside our probe', async () => {
    const { store, cleanup } = await open();
    const loaded = loadConfigFromString(CONFIG, 'vigil.yaml');
    if (!loaded.ok) throw new Error('test configuration does not load');
    const runtime = await VigilRuntime.start({ config: loaded.config, store, clock: () => NOW });
    const app = await buildServer({ api: vigilApi(runtime) });
    try {
      await store.benchmarks.saveProbeResults([
        ...runs('our-login', 'self', 100, 100, (i) => (i + 1) * 10, ''),
        ...runs('rival-a-login', 'rival-a', 100, 95, (i) => (i < 95 ? 20 : null), 'timeout after 10s'),
        ...runs('rival-b-login', 'rival-b', 100, 80, (i) => (i < 80 ? 30 : 5), 'status 503'),
        // Outside the range asked for.
        ...runs('our-login', 'self', 1, 0, () => null, 'timeout after 10s').map((r) => ({ ...r, at: T0 - MINUTE })),
      ]);
      const minute = (m: number, state: 'down' | 'degraded') => ({
        owner: 'rival-a',
        component: 'Payments',
        journey: 'card-payment',
        minute: T0 / MINUTE + m,
        state,
      });
      await store.benchmarks.saveStatusMinutes([
        ...Array.from({ length: 12 }, (_, m) => minute(m, 'down')),
        ...Array.from({ length: 30 }, (_, m) => minute(20 + m, 'degraded')),
      ]);
      // Customers: 99 successes and one failure on login — 99% beside a probe that never failed.
      await runtime.append.append(
        Array.from({ length: 100 }, (_, i) => ({
          id: `e${i}`,
          journey: 'login',
          outcome: i === 0 ? 'failure' : 'success',
          timestamp: T0 + i * 30_000,
        })),
        NOW,
      );

      const response = await app.inject({ url: `/api/v1/benchmark?from=${new Date(T0).toISOString()}&to=${new Date(NOW).toISOString()}` });
      expect(response.statusCode).toBe(200);
      const body = BenchmarkResponse.parse(response.json());
      expect([body.from, body.to]).toEqual([toInstant(T0), toInstant(NOW)]);
      expect(body.journeys.map((j) => [j.journey, j.displayName, j.owners.map((o) => [o.owner, o.rank])])).toEqual([
        [
          'login',
          'Log in',
          [
            ['self', 1],
            ['rival-a', 1],
            ['rival-b', 3],
          ],
        ],
        ['card-payment', 'Card payment', [['rival-a', null]]],
      ]);
      const [self, rivalA, rivalB] = body.journeys[0]!.owners;
      // 100/100: centre 0.981503, half 0.018497 → [0.9630, 1]; 95/100 → [0.8882, 0.9785] overlaps it; 80/100 → [0.7112, 0.8666] clear of both.
      expect(self!.probes).toMatchObject({ runs: 100, ok: 100, availability: 1, p50Ms: 500, p95Ms: 950 });
      expect(self!.probes.interval!.low).toBeCloseTo(0.963, 4);
      expect(self!.probes.interval!.high).toBe(1);
      expect(self!.customers).toEqual({ success: 99, failure: 1, rate: 0.99 });
      expect(self!.statusPage).toBeNull();
      expect(rivalA!.probes).toMatchObject({ runs: 100, ok: 95, availability: 0.95, p50Ms: 20, p95Ms: 20 });
      expect(rivalA!.probes.interval!.low).toBeCloseTo(0.8882, 4);
      expect(rivalA!.probes.interval!.high).toBeCloseTo(0.9785, 4);
      expect(rivalA!.customers).toBeNull();
      expect(rivalB!.probes).toMatchObject({ runs: 100, ok: 80, availability: 0.8, p50Ms: 30, p95Ms: 30 });
      expect(rivalB!.probes.interval!.low).toBeCloseTo(0.7112, 4);
      expect(rivalB!.probes.interval!.high).toBeCloseTo(0.8666, 4);
      expect(body.journeys[1]!.owners[0]).toEqual({
        owner: 'rival-a',
        rank: null,
        probes: { runs: 0, ok: 0, availability: null, interval: null, p50Ms: null, p95Ms: null },
        statusPage: { downMinutes: 12, degradedMinutes: 30 },
        customers: null,
      });

      for (const [query, message] of [
        ['from=2026-11-26T10:00:00Z&to=2026-11-26T09:00:00Z', /from .* must be before to/],
        ['from=yesterday', /from: expected an RFC 3339 time/],
        ['from=2024-01-01T00:00:00Z&to=2026-01-01T00:00:00Z', /longer than 400 days/],
      ] as const) {
        const bad = await app.inject({ url: `/api/v1/benchmark?${query}` });
        expect(bad.statusCode).toBe(400);
        expect(bad.json()).toMatchObject({ error: { code: 'invalid_query', message: expect.stringMatching(message) } });
      }
    } finally {
      await app.close();
      await runtime.close();
      await cleanup();
    }
  });
});
