/**
 * Benchmark: NDJSON batches of 1,000 events over HTTP into a real `vigil serve` on a SQLite file,
 * against plain JSON.parse of the same lines in the same run.
 */
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { DISCARDING_SERVE, startBenchServer } from './serve-process.js';
import { floorRows, sqliteFloor } from './sqlite-floor.js';

export interface IngestBenchResult {
  events: number;
  batchSize: number;
  /** Clients sending batches at once. */
  clients: number;
  httpEventsPerSecond: number;
  jsonParseEventsPerSecond: number;
  ratio: number;
  serverPeakRssBytes: number;
  /** With `bounds`: the same HTTP path into a server whose store discards appends (docs/capacity.md ("The ceiling and the floor")). */
  ceiling?: Rate;
  /** With `bounds`: one better-sqlite3 INSERT per event of the same batches, one transaction per batch, without and with Vigil's indexes. */
  floor?: { unindexed: Rate; indexed: Rate };
}

/** Events per second, and as a ratio to the same run's JSON.parse. */
export interface Rate {
  eventsPerSecond: number;
  ratio: number;
}

const BATCH = 1000;
/** Clients sending at once: 2 by default, VIGIL_BENCH_CLIENTS to see what more clients (and group commit) reach. */
const CONCURRENCY = Number(process.env.VIGIL_BENCH_CLIENTS ?? 2);

export const CONFIG = `version: vigil/v1
journeys:
  - name: wire-transfer
    tier: critical
    steps: [ { name: login }, { name: initiate }, { name: confirm, critical: true } ]
    slos:
      - { name: success, sli: { kind: success } }
      - { name: fast, sli: { kind: latency, thresholdMs: 10000 } }
      - { name: confirm-step, sli: { kind: success, step: confirm } }
  - name: card-payment
    tier: critical
    steps: [ { name: authorise }, { name: capture } ]
    slos:
      - { name: success, sli: { kind: success } }
      - { name: fast, sli: { kind: latency, thresholdMs: 2000 } }
  - name: login
    tier: core
    steps: [ { name: password }, { name: otp } ]
    slos:
      - { name: success, sli: { kind: success, abandonedIsBad: true } }
`;

/**
 * When event n of `total` happened: traffic arrives roughly in time order over the last 50 minutes (as
 * from a live system), with 2% of events late by up to 10 minutes.
 */
export function arrival(now: number, n: number, total: number): number {
  const span = 50 * 60_000;
  const onTime = now - 60_000 - span + Math.floor((n / total) * span);
  return n % 50 === 0 ? onTime - ((n * 7919) % 600_000) : onTime;
}

/** Realistic events (ids, attempts, customers, amounts, attributes), as NDJSON bodies. */
export function makeBatches(count: number, seed: string): string[] {
  const now = Date.now();
  const journeys = [
    { name: 'wire-transfer', steps: ['login', 'initiate', 'confirm'] },
    { name: 'card-payment', steps: ['authorise', 'capture'] },
    { name: 'login', steps: ['password', 'otp'] },
  ];
  const outcomes = ['success', 'success', 'success', 'success', 'success', 'success', 'success', 'failure', 'rejected', 'abandoned'];
  const bodies: string[] = [];
  let n = 0;
  for (let b = 0; b < count; b++) {
    const lines: string[] = [];
    for (let i = 0; i < BATCH; i++, n++) {
      const j = journeys[n % journeys.length]!;
      const step = n % 4 === 0 ? undefined : j.steps[n % j.steps.length];
      lines.push(
        JSON.stringify({
          id: `${seed}-${n}`,
          journey: j.name,
          ...(step ? { step } : {}),
          outcome: outcomes[n % outcomes.length],
          latencyMs: 40 + ((n * 7919) % 12_000),
          timestamp: new Date(arrival(now, n, count * BATCH)).toISOString(),
          attemptId: `att-${seed}-${Math.floor(n / 3)}`,
          customerId: `c-${n % 5000}`,
          amount: ((n * 31) % 100_000) / 100 + 0.5,
          currency: 'EUR',
          attributes: { channel: n % 2 === 0 ? 'mobile' : 'web' },
        }),
      );
    }
    bodies.push(lines.join('\n'));
  }
  return bodies;
}

export function jsonParseRate(bodies: string[]): number {
  let best = Number.POSITIVE_INFINITY;
  for (let round = 0; round < 5; round++) {
    const t0 = performance.now();
    let n = 0;
    for (const body of bodies) {
      let start = 0;
      for (let nl = body.indexOf('\n'); ; nl = body.indexOf('\n', start)) {
        const end = nl === -1 ? body.length : nl;
        if (JSON.parse(body.slice(start, end))) n++;
        if (nl === -1) break;
        start = nl + 1;
      }
    }
    const ms = performance.now() - t0;
    if (n !== bodies.length * BATCH) throw new Error('parsed the wrong number of lines');
    best = Math.min(best, ms);
  }
  return (bodies.length * BATCH) / (best / 1000);
}

/** Send every body with `clients` at once (CONCURRENCY by default); client k sends to urls[k % urls.length]. */
export async function send(url: string | readonly string[], bodies: string[], clients = CONCURRENCY): Promise<void> {
  const urls = typeof url === 'string' ? [url] : url;
  let next = 0;
  const worker = async (k: number) => {
    while (next < bodies.length) {
      const body = bodies[next++]!;
      const response = await fetch(`${urls[k % urls.length]}/api/v1/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-ndjson' },
        body,
      });
      const answer = (await response.json()) as { accepted: number };
      if (answer.accepted !== BATCH) throw new Error(`a batch was not fully accepted: ${JSON.stringify(answer).slice(0, 300)}`);
    }
  };
  await Promise.all(Array.from({ length: clients }, (_, k) => worker(k)));
}

/** Events per second of sending `bodies` to a fresh server started by `command` (warmed up first), and its peak RSS. */
async function measureServer(bodies: string[], database?: string, command?: readonly string[]): Promise<{ rate: number; rss: number }> {
  const { child, url, stop } = await startBenchServer('vigil-bench-', CONFIG, database, [], command);
  try {
    await send(url, makeBatches(10, 'warm'));
    const t0 = performance.now();
    await send(url, bodies);
    const seconds = (performance.now() - t0) / 1000;
    const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
    return { rate: (bodies.length * BATCH) / seconds, rss: Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024 };
  } finally {
    await stop();
  }
}

/**
 * Start a server (on a fresh SQLite file, or on `database`, a postgres:// URL), warm it up, send `batches`
 * batches, and compare with JSON.parse of the same lines. With `bounds`, the same batches also measure the
 * ceiling (a server whose store discards appends) and the SQLite floor (one INSERT per event, no server).
 */
export async function runIngestBench(batches = 100, database?: string, bounds = false): Promise<IngestBenchResult> {
  const bodies = makeBatches(batches, 'bench');
  const parseRate = jsonParseRate(bodies);
  const vigil = await measureServer(bodies, database);
  const rate = (eventsPerSecond: number): Rate => ({ eventsPerSecond, ratio: eventsPerSecond / parseRate });
  const result: IngestBenchResult = {
    events: batches * BATCH,
    batchSize: BATCH,
    clients: CONCURRENCY,
    httpEventsPerSecond: vigil.rate,
    jsonParseEventsPerSecond: parseRate,
    ratio: vigil.rate / parseRate,
    serverPeakRssBytes: vigil.rss,
  };
  if (!bounds) return result;
  result.ceiling = rate((await measureServer(bodies, undefined, DISCARDING_SERVE)).rate);
  const rows = floorRows(bodies, Date.now());
  result.floor = { unindexed: rate(sqliteFloor(rows, false)), indexed: rate(sqliteFloor(rows, true)) };
  return result;
}

/** A schema of its own on PostgreSQL at `baseUrl` for `run` (given the URL that selects it), dropped after it. */
async function inFreshSchema<T>(baseUrl: string, run: (url: string) => Promise<T>): Promise<T> {
  const schema = `vigil_bench_${process.pid}_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE SCHEMA ${schema}`);
    const url = new URL(baseUrl);
    url.searchParams.set('options', `-c search_path=${schema}`);
    return await run(url.toString());
  } finally {
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
    await admin.end();
  }
}

export interface ClusterIngestResult extends Omit<IngestBenchResult, 'serverPeakRssBytes'> {
  nodes: number;
}

/**
 * Several `vigil serve` nodes on one PostgreSQL schema (docs/scale-out.md), started one after the other, the same
 * batches sent by CONCURRENCY clients per node, each client to its own node; against JSON.parse of the same lines.
 * @example const result = await runClusterIngestBench('postgres://postgres@127.0.0.1:5432/test', 3, 100);
 */
export async function runClusterIngestBench(baseUrl: string, nodes = 3, batches = 100): Promise<ClusterIngestResult> {
  return inFreshSchema(baseUrl, async (database) => {
    const servers: Awaited<ReturnType<typeof startBenchServer>>[] = [];
    try {
      for (let i = 0; i < nodes; i++) servers.push(await startBenchServer(`vigil-bench-node${i}-`, CONFIG, database));
      const urls = servers.map((s) => s.url);
      await send(urls, makeBatches(10, 'warm'), urls.length);
      const bodies = makeBatches(batches, 'bench');
      const parseRate = jsonParseRate(bodies);
      const clients = CONCURRENCY * nodes;
      const t0 = performance.now();
      await send(urls, bodies, clients);
      const rate = (batches * BATCH) / ((performance.now() - t0) / 1000);
      return {
        nodes,
        events: batches * BATCH,
        batchSize: BATCH,
        clients,
        httpEventsPerSecond: rate,
        jsonParseEventsPerSecond: parseRate,
        ratio: rate / parseRate,
      };
    } finally {
      await Promise.all(servers.map((s) => s.stop()));
    }
  });
}

/**
 * The same bench on PostgreSQL at `baseUrl`, in a schema of its own created for the run and dropped after it.
 * @example const result = await runPostgresIngestBench('postgres://postgres@127.0.0.1:5432/test', 100);
 */
export async function runPostgresIngestBench(baseUrl: string, batches = 100): Promise<IngestBenchResult> {
  return inFreshSchema(baseUrl, (url) => runIngestBench(batches, url));
}
