/**
 * Store.appendEvents throughput: batches of 1,000 events with 5 SLI definitions, each batch one durable
 * commit, into a fresh SQLite file (and PostgreSQL when VIGIL_TEST_DATABASE_URL is set). Prints the
 * median and best of several rounds, wall time and this process's CPU time per event.
 * Run: npx tsc -p . --noEmit false --outDir /tmp/vigil-bench && ln -sfn "$PWD/node_modules" /tmp/vigil-bench/node_modules
 *      && cp package.json /tmp/vigil-bench/ && node /tmp/vigil-bench/bench/store-append.js
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { SliDefinition } from '../src/engine/sli.js';
import type { JourneyEvent } from '../src/model/event.js';
import { openStore } from '../src/store/open.js';
import type { Store } from '../src/store/store.js';

const BATCH = 1_000;
const BATCHES = Number(process.env.BENCH_BATCHES ?? 200);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const JOURNEYS = ['wire-transfer', 'login', 'card-payment'];
const STEPS = [undefined, 'login', 'initiate', 'confirm'];
const OUTCOMES = ['success', 'success', 'success', 'success', 'success', 'success', 'failure', 'rejected', 'abandoned'] as const;

const SLIS: SliDefinition[] = [
  { key: 'wire-transfer|*|success|abandoned:ok', journey: 'wire-transfer', step: null, kind: 'success', abandonedIsBad: false },
  { key: 'wire-transfer|*|latency:10000|abandoned:ok', journey: 'wire-transfer', step: null, kind: 'latency', thresholdMs: 10_000, abandonedIsBad: false },
  { key: 'wire-transfer|confirm|success|abandoned:bad', journey: 'wire-transfer', step: 'confirm', kind: 'success', abandonedIsBad: true },
  { key: 'login|*|success|abandoned:ok', journey: 'login', step: null, kind: 'success', abandonedIsBad: false },
  { key: 'card-payment|*|latency:2000|abandoned:ok', journey: 'card-payment', step: null, kind: 'latency', thresholdMs: 2_000, abandonedIsBad: false },
];

function makeBatch(batch: number, start: number): JourneyEvent[] {
  const events: JourneyEvent[] = [];
  for (let i = 0; i < BATCH; i++) {
    const n = batch * BATCH + i;
    const step = STEPS[n % STEPS.length];
    const event: JourneyEvent = {
      id: `evt-${n}`,
      journey: JOURNEYS[n % JOURNEYS.length]!,
      outcome: OUTCOMES[n % OUTCOMES.length]!,
      latencyMs: (n * 37) % 12_000,
      timestamp: start + n * 20,
      attemptId: `att-${Math.floor(n / 4)}`,
      customerId: `c-${n % 5_000}`,
    };
    if (step !== undefined) event.step = step;
    events.push(event);
  }
  return events;
}

/** One round: a fresh store, one warm-up batch, then the timed batches. */
async function round(store: Store): Promise<{ perSecond: number; cpuMicrosPerEvent: number }> {
  const start = Date.UTC(2026, 10, 26, 10, 0, 0);
  const batches = Array.from({ length: BATCHES }, (_, b) => makeBatch(b, start));
  await store.appendEvents(batches[0]!, SLIS, start); // warm-up: statements prepared, keys registered
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  for (let b = 1; b < BATCHES; b++) await store.appendEvents(batches[b]!, SLIS, start);
  const cpu = process.cpuUsage(cpu0);
  const events = (BATCHES - 1) * BATCH;
  return { perSecond: events / ((performance.now() - t0) / 1000), cpuMicrosPerEvent: (cpu.user + cpu.system) / events };
}

/** Several rounds, because on a shared machine wall time swings with the neighbours' load. */
async function measure(label: string, open: () => Promise<{ store: Store; done: () => Promise<void> }>): Promise<void> {
  const results: { perSecond: number; cpuMicrosPerEvent: number }[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const { store, done } = await open();
    try {
      results.push(await round(store));
    } finally {
      await done();
    }
  }
  const rates = results.map((x) => x.perSecond).sort((a, b) => a - b);
  const cpu = results.map((x) => x.cpuMicrosPerEvent).sort((a, b) => a - b);
  const fmt = (n: number) => Math.round(n).toLocaleString('en');
  console.log(
    `${label}: median ${fmt(rates[Math.floor(ROUNDS / 2)]!)} events/s, best ${fmt(rates[ROUNDS - 1]!)} events/s ` +
      `(${ROUNDS} rounds of ${(BATCHES - 1) * BATCH} events; this process: ${cpu[Math.floor(ROUNDS / 2)]!.toFixed(2)} µs CPU per event)`,
  );
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-bench-'));
try {
  let n = 0;
  await measure('sqlite   (batch 1000, 5 SLIs)', async () => {
    const store = await openStore(path.join(dir, `bench-${++n}.db`));
    return { store, done: () => store.close() };
  });
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}

const url = process.env.VIGIL_TEST_DATABASE_URL;
if (url) {
  const { PostgresStore } = await import('../src/store/postgres/postgres-store.js');
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    let n = 0;
    await measure('postgres (batch 1000, 5 SLIs)', async () => {
      const schema = `vigil_bench_${process.pid}_${++n}`;
      await admin.query(`CREATE SCHEMA ${schema}`);
      const store = new PostgresStore(url, { schema });
      await store.migrate();
      return {
        store,
        done: async () => {
          await store.close();
          await admin.query(`DROP SCHEMA ${schema} CASCADE`);
        },
      };
    });
  } finally {
    await admin.end();
  }
}
