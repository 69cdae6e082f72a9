/**
 * The incident history's query (docs/api.md ("Incident history")): a text-filtered page with its count
 * over many stored incidents, as a ratio to the newest page without filters, on SQLite.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Incident } from '../model/incident.js';
import { openStore } from '../store/open.js';

export interface HistoryBench {
  incidents: number;
  /** Mean time of the newest page of 50, no filter (the baseline). */
  pageMs: number;
  /** Mean time of a text-filtered page of 50 with its total. */
  textPageMs: number;
  ratio: number;
}

function incident(i: number): Incident {
  const service = `svc-${i % 300}`;
  return {
    id: `inc-${String(i).padStart(6, '0')}`,
    status: 'resolved',
    priority: (['P1', 'P2', 'P3', 'P4'] as const)[i % 4]!,
    reason: `${service} failing for ${i % 900} customers`,
    title: `${i % 7 === 0 ? 'Core ledger' : 'Card payment'}: ${service} errors`,
    journeys: [i % 2 === 0 ? 'card-payment' : 'login'],
    stages: [],
    services: [service],
    alertKeys: [`generic:${i}`],
    alertCount: 1,
    lastAlertAt: 1_700_000_000_000 + i * 60_000,
    openedAt: 1_700_000_000_000 + i * 60_000,
    acknowledgedAt: null,
    resolvedAt: 1_700_000_000_000 + i * 60_000 + 30_000,
    paged: i % 4 === 0,
    impact: null,
    mergedFrom: [],
    mergedInto: null,
    timeline: [{ at: 1_700_000_000_000 + i * 60_000, kind: 'opened', message: 'opened' }],
  };
}

const mean = async (runs: number, run: () => Promise<unknown>): Promise<number> => {
  await run();
  const start = performance.now();
  for (let i = 0; i < runs; i++) await run();
  return (performance.now() - start) / runs;
};

/**
 * Store `count` incidents, then time both queries `runs` times.
 * @example const { ratio } = await benchIncidentHistory(20_000);
 */
export async function benchIncidentHistory(count = 20_000, runs = 20): Promise<HistoryBench> {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-history-'));
  const store = await openStore(join(dir, 'vigil.db'));
  try {
    for (let from = 0; from < count; from += 1000) {
      const batch = Array.from({ length: Math.min(1000, count - from) }, (_, k) => incident(from + k));
      await store.alerting.saveAlerting({ alerts: [], incidents: batch, outbox: [] });
    }
    const pageMs = await mean(runs, () => store.alerting.incidents({ limit: 50 }));
    const query = { text: 'core ledger', journey: 'card-payment', limit: 50 };
    const textPageMs = await mean(runs, () => Promise.all([store.alerting.incidents(query), store.alerting.incidentCount(query)]));
    return { incidents: count, pageMs, textPageMs, ratio: textPageMs / pageMs };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
