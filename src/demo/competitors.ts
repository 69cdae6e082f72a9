/**
 * The demo's simulated competitors (docs/benchmark.md ("In the demo")): two banks served by the demo itself on a loopback
 * port, each with scripted outages, and a Statuspage v2 site for one of them. Nothing here reaches the network.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BenchmarksSpec } from '../model/benchmark.js';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

/** The simulated owners; "simulated" is part of each name, so no one mistakes them for real banks' figures. */
export const RIVAL = 'rival-bank-simulated';
export const OTHER = 'other-bank-simulated';

/** rival-bank answers 503 for minutes 20–25 of every hour. */
export function rivalDown(ms: number): boolean {
  const minute = Math.floor((ms % HOUR_MS) / MINUTE_MS);
  return minute >= 20 && minute < 26;
}

/** other-bank hangs (past the probe's timeout) for minutes 45–47 of every hour. */
export function otherHangs(ms: number): boolean {
  const minute = Math.floor((ms % HOUR_MS) / MINUTE_MS);
  return minute >= 45 && minute < 48;
}

/** rival-bank owns up on its status page to the outages of every third hour (UTC hours divisible by 3) only. */
export function rivalAdmits(ms: number): boolean {
  return Math.floor(ms / HOUR_MS) % 3 === 0;
}

const iso = (ms: number) => new Date(ms).toISOString();
const PAGE = { id: 'simulated1', name: 'Rival Bank (simulated)', url: 'http://127.0.0.1/', time_zone: 'Etc/UTC' };
const PAYMENTS = {
  id: 'payments01',
  name: 'Payments',
  position: 1,
  description: 'Card payments (simulated)',
  group: false,
  group_id: null,
};

/** summary.json of the simulated status page at `now`, in the Statuspage v2 shape. */
export function rivalSummary(now: number): unknown {
  const down = rivalDown(now) && rivalAdmits(now);
  return {
    page: { ...PAGE, updated_at: iso(now) },
    components: [{ ...PAYMENTS, status: down ? 'partial_outage' : 'operational', created_at: iso(0), updated_at: iso(now) }],
    incidents: [],
    scheduled_maintenances: [],
    status: down
      ? { indicator: 'minor', description: 'Partially Degraded Service' }
      : { indicator: 'none', description: 'All Systems Operational' },
  };
}

/** incidents.json of the simulated status page: the admitted outages of the 7 days before `now`, newest first. */
export function rivalIncidents(now: number): unknown {
  const incidents = [];
  for (let hour = Math.floor(now / HOUR_MS); hour > Math.floor(now / HOUR_MS) - 7 * 24; hour--) {
    const start = hour * HOUR_MS + 20 * MINUTE_MS;
    const end = start + 6 * MINUTE_MS;
    if (!rivalAdmits(start) || start > now) continue;
    const resolved = end <= now;
    const update = (id: string, at: number, status: string, from: string, to: string) => ({
      id,
      status,
      body: status === 'resolved' ? 'Payments are working normally.' : 'Some card payments are failing.',
      created_at: iso(at),
      updated_at: iso(at),
      display_at: iso(at),
      affected_components: [{ code: PAYMENTS.id, name: PAYMENTS.name, old_status: from, new_status: to }],
    });
    incidents.push({
      id: `sim${hour}`,
      name: 'Card payments failing (simulated)',
      status: resolved ? 'resolved' : 'investigating',
      created_at: iso(start),
      updated_at: iso(resolved ? end : start),
      resolved_at: resolved ? iso(end) : null,
      impact: 'major',
      incident_updates: [
        ...(resolved ? [update(`u${hour}b`, end, 'resolved', 'partial_outage', 'operational')] : []),
        update(`u${hour}a`, start, 'investigating', 'operational', 'partial_outage'),
      ],
      components: [{ ...PAYMENTS, status: resolved ? 'operational' : 'partial_outage' }],
    });
  }
  return { page: { ...PAGE, updated_at: iso(now) }, incidents };
}

export interface SimulatedCompetitors {
  /** Where they are served, e.g. http://127.0.0.1:41234. */
  url: string;
  /** The demo's benchmarks: our own login through `ownUrl`, the two simulated rivals, the rival's status page. */
  benchmarks(ownUrl: string): BenchmarksSpec;
  close(): Promise<void>;
}

/**
 * Serves the simulated competitors on an ephemeral loopback port.
 * @example const competitors = await startCompetitors(); config.benchmarks = competitors.benchmarks('http://127.0.0.1:8080');
 */
export async function startCompetitors(clock: () => number = Date.now): Promise<SimulatedCompetitors> {
  const server: Server = createServer((req, res) => {
    const now = clock();
    const json = (body: unknown) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(body));
    };
    switch (req.url) {
      case `/${RIVAL}/login`:
        if (rivalDown(now)) {
          res.statusCode = 503;
          return res.end('Service unavailable (simulated)');
        }
        return res.end('<h1>Sign in (simulated)</h1>');
      case `/${OTHER}/login`:
        // During its outage it never answers; the probe's timeout ends the request.
        if (otherHangs(now)) return;
        return res.end('<h1>Sign in (simulated)</h1>');
      case `/${RIVAL}/status/api/v2/summary.json`:
        return json(rivalSummary(now));
      case `/${RIVAL}/status/api/v2/incidents.json`:
        return json(rivalIncidents(now));
      default:
        res.statusCode = 404;
        res.end('not found');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  server.unref();
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const probe = { method: 'GET' as const, intervalMs: 30_000, timeoutMs: 5_000 };
  return {
    url,
    benchmarks: (ownUrl) => ({
      probes: [
        { ...probe, name: 'our-login', owner: 'self', journey: 'login', url: `${ownUrl}/healthz`, expectStatus: 200 },
        { ...probe, name: 'rival-login', owner: RIVAL, journey: 'login', url: `${url}/${RIVAL}/login`, bodyContains: 'Sign in' },
        { ...probe, name: 'other-login', owner: OTHER, journey: 'login', url: `${url}/${OTHER}/login`, bodyContains: 'Sign in' },
      ],
      statusPages: [{ owner: RIVAL, url: `${url}/${RIVAL}/status`, components: ['Payments'], journey: 'card-payment' }],
    }),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
