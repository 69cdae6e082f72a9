/**
 * `npm run bench` section 9: GET /api/v1/journeys/{journey}/value over 28 days of the demo's largest journey (with the 4
 * weeks of history its elasticity method reads before them), timed against an SLO status call of the same journey in the
 * same run, on SQLite; then the same at four times the traffic, to show what grows with the number of events; then card
 * payments, whose value makes the abandonment method read raw events (docs/value.md ("Abandonment")).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { vigilApi } from '../app/api.js';
import { VigilRuntime } from '../app/runtime.js';
import { loadBankConfig } from '../demo/bank.js';
import { backfillIncidents } from '../demo/scenario.js';
import { generateTraffic } from '../demo/traffic.js';
import type { JourneyEvent } from '../model/event.js';
import { buildServer } from '../server/app.js';
import { openStore } from '../store/open.js';

const DAY_MS = 86_400_000;
const BATCH = 5_000;

export interface ValueCase {
  journey: string;
  scale: number;
  events: number;
  value: { medianMs: number; p95Ms: number };
  status: { medianMs: number; p95Ms: number };
  /** Median value call ÷ median status call. */
  ratio: number;
}

export interface ValueBench {
  /** The demo's largest journey (no value configured: every figure comes from the minute aggregates). */
  journey: string;
  /** The largest journey at the demo's traffic and at `bigScale` times it, then card payments (valued by fee: raw events read). */
  cases: [ValueCase, ValueCase, ValueCase];
}

const quantile = (xs: number[], q: number): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
};

/** The demo journey that leaves the most events over a day (at scale 1). */
async function largestJourney(now: number): Promise<string> {
  const config = await loadBankConfig();
  const counts = new Map<string, number>();
  for (const batch of generateTraffic({ config, fromMs: now - DAY_MS, toMs: now, seed: 7, incidents: [] }))
    for (const e of batch) counts.set(e.journey, (counts.get(e.journey) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1])[0]![0];
}

async function runCase(journey: string, scale: number, now: number, runs: number): Promise<ValueCase> {
  const bank = await loadBankConfig();
  const config = { ...bank, journeys: bank.journeys.filter((j) => j.name === journey) };
  const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-value-'));
  const store = await openStore(join(dir, 'vigil.db'));
  const runtime = await VigilRuntime.start({ config, store });
  const app = await buildServer({ api: vigilApi(runtime), validateResponses: false });
  try {
    let events = 0;
    let pending: JourneyEvent[] = [];
    const from = now - 56 * DAY_MS;
    for (const minute of generateTraffic({ config, fromMs: from, toMs: now, seed: 7, incidents: backfillIncidents(now), scale })) {
      pending.push(...minute);
      if (pending.length >= BATCH) {
        events += (await runtime.append.append(pending, now)).inserted.filter(Boolean).length;
        pending = [];
      }
    }
    if (pending.length > 0) events += (await runtime.append.append(pending, now)).inserted.filter(Boolean).length;
    const period = `from=${new Date(now - 28 * DAY_MS).toISOString()}&to=${new Date(now).toISOString()}`;
    const slo = config.journeys[0]!.slos[0]!.name;
    const urls = { value: `/api/v1/journeys/${journey}/value?${period}`, status: `/api/v1/journeys/${journey}/slos/${slo}/status` };
    const time = async (url: string): Promise<number> => {
      const start = performance.now();
      const res = await app.inject({ method: 'GET', url });
      const ms = performance.now() - start;
      if (res.statusCode !== 200) throw new Error(`${url} answered ${res.statusCode}: ${res.body.slice(0, 200)}`);
      return ms;
    };
    for (let i = 0; i < 3; i++) {
      await time(urls.value);
      await time(urls.status);
    }
    const value: number[] = [];
    const status: number[] = [];
    // Interleaved, so that both see the same machine.
    for (let i = 0; i < runs; i++) {
      value.push(await time(urls.value));
      for (let k = 0; k < 5; k++) status.push(await time(urls.status));
    }
    const v = { medianMs: quantile(value, 0.5), p95Ms: quantile(value, 0.95) };
    const s = { medianMs: quantile(status, 0.5), p95Ms: quantile(status, 0.95) };
    return { journey, scale, events, value: v, status: s, ratio: v.medianMs / s.medianMs };
  } finally {
    await app.close();
    await runtime.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Time the value endpoint on the largest journey at scale 1 and at `bigScale` times the demo's traffic, and on card
 * payments, whose fee value makes the abandonment method read its bounded sample of raw events.
 * @example const { cases } = await benchJourneyValue(20, 4);
 */
export async function benchJourneyValue(runs = 20, bigScale = 4): Promise<ValueBench> {
  const now = Math.floor(Date.now() / 60_000) * 60_000;
  const journey = await largestJourney(now);
  const cases: ValueBench['cases'] = [
    await runCase(journey, 1, now, runs),
    await runCase(journey, bigScale, now, runs),
    await runCase('card-payment', 1, now, runs),
  ];
  return { journey, cases };
}
