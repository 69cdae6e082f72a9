/**
 * Benchmark: alert intake and hostile bodies against a real `vigil serve` on SQLite (docs/alerting.md ("Limits")):
 * alerts per second in Alertmanager-sized requests against the bare Correlator in the same run, and for
 * each hostile case the time it takes, the server's memory after it and how long `/healthz` waited meanwhile.
 */
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { startBenchServer } from './serve-process.js';
import { loadConfigFromString } from '../config/load.js';
import { Correlator } from '../incidents/correlate.js';
import { buildJourneyMap } from '../incidents/journey-map.js';
import type { IncomingAlert } from '../model/alert.js';

const ALERTS = 10_000;
const PER_REQUEST = 100;
const CLIENTS = 2;

const CONFIG = `version: vigil/v1
journeys:
  - name: wire-transfer
    tier: critical
    steps:
      - { name: initiate, services: [payments-api, fraud-check] }
      - { name: confirm, services: [core-ledger], critical: true }
    slos:
      - { name: success, sli: { kind: success } }
  - name: login
    tier: core
    steps:
      - { name: password, services: [auth-gateway] }
    slos:
      - { name: success, sli: { kind: success } }
`;

const SERVICES = ['payments-api', 'fraud-check', 'core-ledger', 'auth-gateway', 'batch-reports'];

export interface HostileCase {
  name: string;
  bodyBytes: number;
  status: number;
  ms: number;
  /** Server resident memory right after the request answered. */
  rssAfterBytes: number;
  /** Longest `/healthz` answer while the request was in flight. */
  healthzMaxMs: number;
}

export interface HostileBenchResult {
  alerts: number;
  httpAlertsPerSecond: number;
  /** The same alerts through a bare Correlator, in process. */
  correlatorAlertsPerSecond: number;
  ratio: number;
  healthzMaxMs: number;
  cases: HostileCase[];
  serverPeakRssBytes: number;
}

/** Alertmanager alerts of a storm: many instances of a few alert names on a few services, firing within minutes. */
function stormAlerts(count: number, seed: string): Record<string, unknown>[] {
  const start = Date.now() - 10 * 60_000;
  return Array.from({ length: count }, (_, n) => {
    const service = SERVICES[n % SERVICES.length]!;
    return {
      status: 'firing',
      labels: { alertname: `High${n % 7}`, service, instance: `${service}-${n}:9100`, severity: n % 3 === 0 ? 'critical' : 'warning' },
      annotations: { summary: `${service} instance ${n} unhealthy` },
      startsAt: new Date(start + ((n * 37) % 600_000)).toISOString(),
      endsAt: '0001-01-01T00:00:00Z',
      generatorURL: 'http://prometheus:9090/graph',
      fingerprint: `${seed}-${n.toString(16)}`,
    };
  });
}

const payload = (alerts: unknown[]) =>
  JSON.stringify({ version: '4', receiver: 'vigil', status: 'firing', groupKey: '{}', truncatedAlerts: 0, alerts });

/** The same alerts through a fresh Correlator (the pure core), as the baseline of alert intake. */
function correlatorRate(alerts: Record<string, unknown>[]): number {
  const loaded = loadConfigFromString(CONFIG, 'bench.yaml');
  if (!loaded.ok) throw new Error('bench configuration does not load');
  const incoming: IncomingAlert[] = alerts.map((a) => {
    const labels = a['labels'] as Record<string, string>;
    return {
      source: 'alertmanager',
      sourceKey: String(a['fingerprint']),
      status: 'firing',
      name: labels['alertname']!,
      summary: 'x',
      severity: labels['severity']!,
      labels,
      annotations: {},
      startsAt: Date.parse(String(a['startsAt'])),
      endsAt: null,
    };
  });
  let best = Number.POSITIVE_INFINITY;
  for (let round = 0; round < 3; round++) {
    let n = 0;
    const correlator = new Correlator({
      journeyMap: buildJourneyMap(loaded.config),
      alerting: loaded.config.alerting,
      newId: () => `inc-${n++}`,
    });
    const t0 = performance.now();
    for (const alert of incoming) correlator.receive(alert, Date.now());
    best = Math.min(best, performance.now() - t0);
  }
  return alerts.length / (best / 1000);
}

/** Polls `/healthz` every 20 ms until stopped; resolves to the longest answer time. */
function watchHealth(url: string): { stop: () => Promise<number> } {
  let running = true;
  let max = 0;
  const loop = (async () => {
    while (running) {
      const t0 = performance.now();
      const ok = await fetch(`${url}/healthz`).then(
        (r) => r.text().then(() => r.ok),
        () => false,
      );
      if (!ok) break;
      max = Math.max(max, performance.now() - t0);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return max;
    },
  };
}

function rss(child: ChildProcess, field: 'VmRSS' | 'VmHWM'): number {
  const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
  return Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0) * 1024;
}

async function hostileCase(url: string, child: ChildProcess, name: string, path: string, type: string, body: string): Promise<HostileCase> {
  const health = watchHealth(url);
  const t0 = performance.now();
  // A body over the route's limit is answered 413 and the connection closed while the client may still be sending (status 0 then).
  const status = await fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': type }, body }).then(
    async (response) => {
      await response.arrayBuffer();
      return response.status;
    },
    () => 0,
  );
  const ms = performance.now() - t0;
  const healthzMaxMs = await health.stop();
  return { name, bodyBytes: Buffer.byteLength(body), status, ms, rssAfterBytes: rss(child, 'VmRSS'), healthzMaxMs };
}

/** Start `vigil serve`, send the storm in requests of 100 from 2 clients, then the hostile bodies. */
export async function runHostileBench(): Promise<HostileBenchResult> {
  const { child, url, stop } = await startBenchServer('vigil-bench-hostile-', CONFIG);
  try {
    const post = (body: string) =>
      fetch(`${url}/api/v1/alerts/alertmanager`, { method: 'POST', headers: { 'content-type': 'application/json' }, body }).then(
        async (r) => {
          if (r.status !== 200) throw new Error(`alert intake answered ${r.status}: ${(await r.text()).slice(0, 300)}`);
        },
      );
    await post(payload(stormAlerts(PER_REQUEST, 'warm')));

    const alerts = stormAlerts(ALERTS, 'storm');
    const baseline = correlatorRate(alerts);
    const bodies: string[] = [];
    for (let i = 0; i < alerts.length; i += PER_REQUEST) bodies.push(payload(alerts.slice(i, i + PER_REQUEST)));
    const health = watchHealth(url);
    const t0 = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        while (next < bodies.length) await post(bodies[next++]!);
      }),
    );
    const seconds = (performance.now() - t0) / 1000;
    const healthzMaxMs = await health.stop();

    const cases: HostileCase[] = [];
    const invalidLine = '{"journey": "wire-transfer", "outcome": success}\n';
    const invalidNdjson = invalidLine.repeat(Math.ceil(10_000_000 / invalidLine.length));
    cases.push(
      await hostileCase(url, child, '10 MB NDJSON, every line invalid JSON', '/api/v1/events', 'application/x-ndjson', invalidNdjson),
    );
    const unknownLine = '{"journey":"no-such-journey","outcome":"success"}\n';
    const unknownNdjson = unknownLine.repeat(Math.ceil(10_000_000 / unknownLine.length));
    cases.push(await hostileCase(url, child, '10 MB NDJSON, every event invalid', '/api/v1/events', 'application/x-ndjson', unknownNdjson));
    const over = payload(stormAlerts(1001, 'over'));
    cases.push(await hostileCase(url, child, '1,001 alerts in one payload', '/api/v1/alerts/alertmanager', 'application/json', over));
    const big = payload(stormAlerts(40_000, 'huge'));
    cases.push(
      await hostileCase(
        url,
        child,
        `${(big.length / 1e6).toFixed(0)} MB, 40,000 alerts in one payload`,
        '/api/v1/alerts/alertmanager',
        'application/json',
        big,
      ),
    );
    const detail = (await (await fetch(`${url}/api/v1/incidents?limit=1`)).json()) as { incidents: { id: string }[] };
    const first = detail.incidents[0];
    if (first) {
      const t1 = performance.now();
      const text = await (await fetch(`${url}/api/v1/incidents/${first.id}`)).text();
      cases.push({
        name: `detail of an incident of the storm`,
        bodyBytes: text.length,
        status: 200,
        ms: performance.now() - t1,
        rssAfterBytes: rss(child, 'VmRSS'),
        healthzMaxMs: 0,
      });
    }
    const httpRate = ALERTS / seconds;
    return {
      alerts: ALERTS,
      httpAlertsPerSecond: httpRate,
      correlatorAlertsPerSecond: baseline,
      ratio: httpRate / baseline,
      healthzMaxMs,
      cases,
      serverPeakRssBytes: rss(child, 'VmHWM'),
    };
  } finally {
    await stop();
  }
}

/** `node dist/bench/hostile-http.js` runs this section alone. */
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(JSON.stringify(await runHostileBench(), null, 2));
}
