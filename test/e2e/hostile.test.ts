// Hostile inputs against a real `vigil serve` on SQLite (docs/alerting.md ("Limits"), docs/api.md ("Response")):
// work per request stays bounded, health probes keep answering, oversized payloads get coded errors.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startVigil, tempDir, type VigilProcess } from '../helpers/vigil-process.js';

const CONFIG = `version: vigil/v1
journeys:
  - name: wire-transfer
    tier: critical
    steps:
      - { name: confirm, services: [core-ledger], critical: true }
    slos:
      - { name: success, sli: { kind: success } }
`;

let vigil: VigilProcess;
let cleanup: () => void;

beforeAll(async () => {
  const temp = tempDir('vigil-hostile-');
  cleanup = temp.cleanup;
  writeFileSync(join(temp.dir, 'vigil.yaml'), CONFIG);
  vigil = await startVigil(['--config', join(temp.dir, 'vigil.yaml'), '--database', join(temp.dir, 'vigil.db')]);
}, 120_000);
afterAll(async () => {
  await vigil?.stop();
  cleanup?.();
});

const rssBytes = () => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${vigil.child.pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;

const alert = (n: number) => ({
  status: 'firing',
  labels: { alertname: 'LedgerDown', service: 'core-ledger', instance: `ledger-${n}:9100` },
  annotations: { summary: `ledger ${n} down` },
  startsAt: new Date(Date.now() - 60_000).toISOString(),
  fingerprint: `hostile-${n}`,
});
const postAlerts = (alerts: unknown[]) =>
  fetch(`${vigil.url}/api/v1/alerts/alertmanager`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ version: '4', alerts }),
  });

describe('vigil serve under hostile input', () => {
  it('answers /healthz while a 10 MB body of invalid NDJSON is read, counts every rejection and stays within memory', async () => {
    const line = '{"journey": "wire-transfer", "outcome": success}\n';
    const body = line.repeat(Math.floor(10_000_000 / line.length));
    const ingest = fetch(`${vigil.url}/api/v1/events`, { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body });
    // Probe until the ingest answers: every probe must be answered promptly (generous bound for a busy machine).
    let done = false;
    const answered = ingest.then(async (response) => {
      done = true;
      return { status: response.status, body: (await response.json()) as { rejected: unknown[]; rejectedCount: number } };
    });
    let slowest = 0;
    let probes = 0;
    while (!done) {
      const t0 = performance.now();
      expect((await fetch(`${vigil.url}/healthz`)).status).toBe(200);
      slowest = Math.max(slowest, performance.now() - t0);
      probes++;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    const result = await answered;
    expect(result.status).toBe(400);
    expect(result.body.rejectedCount).toBe(Math.floor(10_000_000 / line.length));
    expect(result.body.rejected).toHaveLength(1000);
    expect(probes).toBeGreaterThan(0);
    expect(slowest).toBeLessThan(2000);
    expect(rssBytes()).toBeLessThan(500 * 1024 * 1024);
  }, 120_000);

  it('refuses an alert payload over 1,000 alerts with too_many_alerts and stores nothing of it', async () => {
    const response = await postAlerts(Array.from({ length: 1001 }, (_, n) => alert(100_000 + n)));
    expect(response.status).toBe(413);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('too_many_alerts');
    const list = (await (await fetch(`${vigil.url}/api/v1/incidents`)).json()) as { incidents: unknown[] };
    expect(list.incidents).toEqual([]);
  });

  it('keeps the detail of an incident with thousands of alerts bounded', async () => {
    for (let start = 0; start < 3000; start += 1000) {
      const response = await postAlerts(Array.from({ length: 1000 }, (_, n) => alert(start + n)));
      expect(response.status).toBe(200);
    }
    const list = (await (await fetch(`${vigil.url}/api/v1/incidents`)).json()) as {
      incidents: { id: string; alertKeys: string[]; alertCount: number }[];
    };
    expect(list.incidents).toHaveLength(1);
    // The incident lists its first 200 alert keys and counts them all.
    expect(list.incidents[0]!.alertCount).toBe(3000);
    expect(list.incidents[0]!.alertKeys).toEqual(Array.from({ length: 200 }, (_, n) => `alertmanager:${alert(n).fingerprint}`));
    const detail = (await (await fetch(`${vigil.url}/api/v1/incidents/${list.incidents[0]!.id}`)).json()) as {
      alerts: unknown[];
      alertsOmitted: number;
      timeline: { kind: string; message: string }[];
    };
    expect(detail.alerts).toHaveLength(500);
    expect(detail.alertsOmitted).toBe(2500);
    // The opening entry, 199 alerts added, then one entry counting the other 2,800.
    expect(detail.timeline).toHaveLength(201);
    const folded = detail.timeline.find((entry) => entry.kind === 'alerts_folded');
    expect(folded?.message).toMatch(/^2800 more timeline entries not listed/);
  }, 120_000);
});
