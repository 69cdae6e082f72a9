/**
 * The browser tests' fixed scenario: a week of the demo bank's seeded traffic (half volume) with its scripted
 * incidents of that week, then a card-payment outage
 * with no technical alert (the green-dashboard paradox), SEPA Instant confirmations failing while
 * instant-clearing alerts, an alert no journey depends on, and a few minutes of ordinary traffic.
 */
import { loadBankConfig } from '../../src/demo/bank.js';
import { backfillIncidents } from '../../src/demo/scenario.js';
import { generateTraffic } from '../../src/demo/traffic.js';
import { postEvents } from '../helpers/vigil-process.js';

const MINUTE = 60_000;
const HISTORY_DAYS = 7;
const SCALE = 0.5;
const SEED = 7;
const BATCH = 20_000;

function cardOutage(now: number): object[] {
  const events = [];
  for (let i = 0; i < 90; i++) {
    const timestamp = now - 15 * MINUTE + i * 10_000;
    const attemptId = `outage-${i}`;
    events.push({
      id: `${attemptId}-s`,
      journey: 'card-payment',
      step: 'screen',
      outcome: 'success',
      latencyMs: 120,
      timestamp,
      attemptId,
      customerId: `c-${i}`,
    });
    events.push({
      id: `${attemptId}-a`,
      journey: 'card-payment',
      step: 'authorise',
      outcome: 'failure',
      latencyMs: 4000,
      timestamp,
      attemptId,
      customerId: `c-${i}`,
      amount: 42.5,
      currency: 'GBP',
    });
    events.push({
      id: `${attemptId}-j`,
      journey: 'card-payment',
      outcome: 'failure',
      latencyMs: 4200,
      timestamp,
      attemptId,
      customerId: `c-${i}`,
      amount: 42.5,
      currency: 'GBP',
    });
  }
  return events;
}

function clearingFailures(now: number): object[] {
  return Array.from({ length: 40 }, (_, i) => ({
    id: `clearing-${i}`,
    journey: 'sepa-instant',
    step: 'confirm',
    outcome: 'failure',
    latencyMs: 9000,
    timestamp: now - 10 * MINUTE + i * 12_000,
    attemptId: `clearing-${i}`,
    customerId: `s-${i}`,
    amount: 250,
    currency: 'EUR',
  }));
}

/** The last few minutes of ordinary traffic for the healthy journeys, so "success now" has events. */
function recentTraffic(now: number): object[] {
  const journeys = ['login', 'view-balance', 'sepa-instant', 'open-account', 'statements'];
  return journeys.flatMap((journey) =>
    Array.from({ length: 24 }, (_, i) => ({
      id: `recent-${journey}-${i}`,
      journey,
      outcome: 'success',
      latencyMs: 250 + i * 10,
      timestamp: now - 4 * MINUTE + i * 10_000,
      customerId: `r-${i}`,
    })),
  );
}

/** Technical alerts: two on instant-clearing (SEPA confirm depends on it), one on a service no journey uses. */
export function scenarioAlerts(now: number): object[] {
  const iso = (ms: number) => new Date(ms).toISOString();
  return [
    {
      source: 'prometheus',
      key: 'instant-clearing-5xx',
      service: 'instant-clearing',
      severity: 'critical',
      summary: 'instant-clearing 5xx above 5%',
      startsAt: iso(now - 11 * MINUTE),
    },
    {
      source: 'prometheus',
      key: 'instant-clearing-latency',
      service: 'instant-clearing',
      severity: 'warning',
      summary: 'instant-clearing p99 above 8 s',
      startsAt: iso(now - 9 * MINUTE),
    },
    {
      source: 'prometheus',
      key: 'etl-lag',
      service: 'data-warehouse-etl',
      severity: 'warning',
      summary: 'ETL lag above 2 h',
      startsAt: iso(now - 20 * MINUTE),
    },
  ];
}

/**
 * Load the scenario into a running `vigil serve` over the demo bank's configuration.
 * @returns the instant the scenario was built around.
 */
export async function loadScenario(url: string): Promise<number> {
  const now = Date.now();
  const config = await loadBankConfig();
  const toMs = Math.floor(now / MINUTE) * MINUTE - 5 * MINUTE;
  let batch: string[] = [];
  const send = async () => {
    if (batch.length === 0) return;
    const { status, body } = await postEvents(url, batch.join('\n'), 'application/x-ndjson');
    if (status !== 200 || body.rejectedCount > 0)
      throw new Error(`history ingest: ${status} ${JSON.stringify(body.rejected?.slice(0, 3))}`);
    batch = [];
  };
  for (const minute of generateTraffic({
    config,
    fromMs: toMs - HISTORY_DAYS * 1440 * MINUTE,
    toMs,
    seed: SEED,
    incidents: backfillIncidents(now),
    scale: SCALE,
  })) {
    for (const event of minute) batch.push(JSON.stringify(event));
    if (batch.length >= BATCH) await send();
  }
  await send();
  const { status, body } = await postEvents(url, [...cardOutage(now), ...clearingFailures(now), ...recentTraffic(now)]);
  if (status !== 200 || body.rejectedCount > 0) throw new Error(`scenario ingest: ${status} ${JSON.stringify(body.rejected)}`);
  const alerts = await fetch(`${url}/api/v1/alerts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(scenarioAlerts(now)),
  });
  if (alerts.status !== 200) throw new Error(`alerts: ${alerts.status} ${await alerts.text()}`);
  return now;
}
