/**
 * Status pages (docs/benchmark.md ("Status pages")): Statuspage v2 fixtures in the real shapes, served by a local HTTP
 * server, read into down and degraded minutes in a real SQLite store.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentStates, incidentMinutes } from '../ingest/statuspage.js';
import type { StatusPageSpec } from '../model/benchmark.js';
import { openStore } from '../store/open.js';
import type { Store } from '../store/store.js';
import { StatusPagePoller } from './benchmark-work.js';

const FIXTURES = new URL('../../test/fixtures/statuspage/', import.meta.url);
const summary = JSON.parse(readFileSync(new URL('summary.json', FIXTURES), 'utf8')) as unknown;
const incidents = JSON.parse(readFileSync(new URL('incidents.json', FIXTURES), 'utf8')) as unknown;
const NOW = Date.parse('2026-11-26T10:12:00Z');
const MINUTE = 60_000;

const page = (url: string): StatusPageSpec => ({ owner: 'rival-bank', url, components: ['Payments'], journey: 'card-payment' });

describe('Statuspage v2 answers', () => {
  it('maps component statuses: partial and major outage are down, degraded performance degraded', () => {
    expect(Object.fromEntries(currentStates(summary, ['Payments', 'mobile app', 'Online Banking', 'Missing']))).toEqual({
      Payments: 'down',
      'mobile app': 'degraded',
    });
    expect(() => currentStates({ page: {} }, ['Payments'])).toThrow(/summary\.json/);
  });

  it('reads the history: per-update component statuses, else the incident window by impact', () => {
    const minutes = incidentMinutes(incidents, page('x'), 0, NOW);
    const count = (state: string) => minutes.filter((m) => m.state === state).length;
    // Open incident: major_outage from 10:00, partial_outage from 10:05 (both down) until now, 10:12 → 12 minutes.
    // Resolved minor incident: degraded_performance 08:10 → operational 08:40 → 30 degraded minutes.
    // Critical incident without affected_components: its Payments component from 12:00 to 12:20 → 20 down minutes.
    expect(count('down')).toBe(12 + 20);
    expect(count('degraded')).toBe(30);
    expect(minutes.filter((m) => m.state === 'degraded')[0]).toEqual({
      owner: 'rival-bank',
      component: 'Payments',
      journey: 'card-payment',
      minute: Date.parse('2026-11-25T08:10:00Z') / MINUTE,
      state: 'degraded',
    });
    // Only what falls after notBefore.
    expect(incidentMinutes(incidents, page('x'), Date.parse('2026-11-26T00:00:00Z'), NOW)).toHaveLength(12);
    expect(() => incidentMinutes({ incidents: [{}] }, page('x'), 0, NOW)).toThrow(/incidents\.json/);
  });
});

describe('StatusPagePoller', () => {
  let server: Server;
  let base: string;
  let dir: string;
  let store: Store;

  beforeAll(async () => {
    server = createServer((req, res) => {
      const body = req.url === '/api/v2/summary.json' ? summary : req.url === '/api/v2/incidents.json' ? incidents : undefined;
      res.statusCode = body ? 200 : 404;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(body ?? { error: 'not found' }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    dir = mkdtempSync(join(tmpdir(), 'vigil-status-'));
    store = await openStore(join(dir, 'vigil.db'));
  });
  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('stores the history, then each summary poll for the minutes since the last, without counting a minute twice', async () => {
    let now = NOW;
    const polls: string[] = [];
    const warnings: string[] = [];
    const poller = new StatusPagePoller({
      pages: () => [page(base)],
      store: store.benchmarks,
      log: { info: () => {}, warn: (m) => warnings.push(m) },
      clock: () => now,
      everyMs: 3_600_000,
      onPoll: (_p, kind) => polls.push(kind),
    });
    poller.start();
    await expect.poll(() => polls, { timeout: 10_000 }).toEqual(['history', 'summary']);
    const from = Date.parse('2026-11-24T00:00:00Z') / MINUTE;
    // The first summary stands for the 5 minutes before it (10:07–10:12), already down in the history.
    expect(await store.benchmarks.statusSummaries(from, NOW / MINUTE + 60)).toEqual([
      { owner: 'rival-bank', journey: 'card-payment', down: 32, degraded: 30 },
    ]);
    now = NOW + 5 * MINUTE;
    await poller.poll(page(base), false);
    expect(await store.benchmarks.statusSummaries(from, NOW / MINUTE + 60)).toEqual([
      { owner: 'rival-bank', journey: 'card-payment', down: 37, degraded: 30 },
    ]);
    await poller.stop();
    expect(warnings).toEqual([]);
    // A page that is not Statuspage v2 is a warning, not a crash.
    const broken = new StatusPagePoller({
      pages: () => [],
      store: store.benchmarks,
      log: { info: () => {}, warn: (m) => warnings.push(m) },
    });
    await broken.poll({ ...page(`${base}/nothing`) }, true);
    expect(warnings.map((w) => w.replaceAll(base, 'B'))).toEqual([
      'status page B/nothing: reading incidents.json failed: Error: B/nothing/api/v2/incidents.json answered 404',
      'status page B/nothing: reading summary.json failed: Error: B/nothing/api/v2/summary.json answered 404',
    ]);
  });
});
