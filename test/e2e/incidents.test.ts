/**
 * Customer-centric alerting end to end on the real process: an SLO that starts burning raises its
 * own alert and incident within seconds, prioritised by the customers and money at stake; a technical
 * alert on a service beneath the journey folds into it; the infrastructure view shows the service.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { E2E_CONFIG, getJson, postEvents, startVigil, tempDir, type VigilProcess } from '../helpers/vigil-process.js';

let vigil: VigilProcess;
const temp = tempDir();

async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 250));
  }
}

beforeAll(async () => {
  vigil = await startVigil(['--config', E2E_CONFIG, '--database', join(temp.dir, 'vigil.db')]);
});
afterAll(async () => {
  await vigil?.stop();
  temp.cleanup();
});

describe('incidents from SLO burn and technical alerts', () => {
  it('a burning SLO opens a prioritised incident that says who is hurt and what it costs', async () => {
    const now = Date.now();
    // 400 wire transfers in the last 4 minutes, every other one failing, from 150 customers.
    const events = Array.from({ length: 400 }, (_, i) => ({
      journey: 'wire-transfer',
      outcome: i % 2 === 0 ? 'failure' : 'success',
      latencyMs: 900,
      customerId: `c-${i % 150}`,
      timestamp: new Date(now - 240_000 + i * 600).toISOString(),
    }));
    expect((await postEvents(vigil.url, events)).body.accepted).toBe(400);

    const incident = await waitFor(async () => {
      const { body } = await getJson(`${vigil.url}/api/v1/incidents?journey=wire-transfer`);
      return body.incidents.find((i: any) => i.priority !== 'P4');
    });
    expect(['P1', 'P2']).toContain(incident.priority);
    expect(incident.journeys).toEqual(['wire-transfer']);
    expect(incident.reason).toMatch(/wire-transfer/);
    expect(incident.reason).toMatch(/75 customers/);
    expect(incident.reason).toMatch(/€/);
    expect(incident.impact.customersAffected).toBe(75);
    expect(incident.impact.valueAtRiskPerHour).toHaveLength(1);
    expect(incident.impact.valueAtRiskPerHour[0].currency).toBe('EUR');
    expect(incident.impact.valueAtRiskPerHour[0].amount).toBeGreaterThan(0);

    const detail = (await getJson(`${vigil.url}/api/v1/incidents/${incident.id}`)).body;
    const sloAlerts = detail.alerts.filter((a: any) => a.source === 'slo');
    expect(sloAlerts.length).toBeGreaterThanOrEqual(1);
    expect(sloAlerts[0].stages).toEqual([{ journey: 'wire-transfer', step: null }]);
  });

  it('a technical alert on a service beneath the journey folds into the same incident', async () => {
    const before = (await getJson(`${vigil.url}/api/v1/incidents?journey=wire-transfer&status=open`)).body.incidents;
    const res = await fetch(`${vigil.url}/api/v1/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        source: 'nagios',
        key: 'ledger-db-down',
        status: 'firing',
        service: 'core-ledger',
        severity: 'critical',
        summary: 'core-ledger database unreachable',
        labels: { alertname: 'LedgerDown' },
      }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ received: 1, created: 1 });
    const after = (await getJson(`${vigil.url}/api/v1/incidents?journey=wire-transfer&status=open`)).body.incidents;
    expect(after.map((i: any) => i.id)).toEqual(before.map((i: any) => i.id));
    expect(after[0].services).toContain('core-ledger');

    const services = (await getJson(`${vigil.url}/api/v1/services`)).body.services;
    const ledger = services.find((s: any) => s.name === 'core-ledger');
    expect(ledger).toMatchObject({ firingAlerts: 1, stages: [{ journey: 'wire-transfer', step: 'confirm' }] });
    expect(services.find((s: any) => s.name === 'payments-api')).toMatchObject({ firingAlerts: 0, owner: 'payments' });
  });

  it('acknowledges through the API, refuses to acknowledge twice, and counts the noise', async () => {
    const [incident] = (await getJson(`${vigil.url}/api/v1/incidents?journey=wire-transfer&status=open`)).body.incidents;
    const ack = await fetch(`${vigil.url}/api/v1/incidents/${incident.id}/ack`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"by":"alice"}',
    });
    expect(ack.status).toBe(200);
    expect((await ack.json()).status).toBe('acknowledged');
    const again = await fetch(`${vigil.url}/api/v1/incidents/${incident.id}/ack`, { method: 'POST' });
    expect(again.status).toBe(409);
    expect((await again.json()).error.code).toBe('invalid_transition');
    const missing = await fetch(`${vigil.url}/api/v1/incidents/nope/ack`, { method: 'POST' });
    expect(missing.status).toBe(404);

    const stats = (await getJson(`${vigil.url}/api/v1/incidents/stats`)).body;
    expect(stats.alertsReceived).toBeGreaterThanOrEqual(2);
    expect(stats.incidentsOpened).toBe(1);
    expect(stats.compressionRatio).toBeCloseTo(1 - 1 / stats.alertsReceived, 12);
  });
});
