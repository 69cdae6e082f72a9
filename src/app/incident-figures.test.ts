// What an incident keeps (docs/alerting.md ("What an incident keeps")): one outage is one incident, its figures survive recovery,
// and alerts on a step that hurts nobody stay P4 while another step of the same journey fails.
import { describe, expect, it } from 'vitest';
import { loadConfigFromString } from '../config/load.js';
import type { IncomingAlert } from '../model/alert.js';
import { openStore } from '../store/open.js';
import { IncidentManager } from './incident-manager.js';
import { VigilRuntime } from './runtime.js';

const MIN = 60_000;
const at = (hhmm: string) => Date.parse(`2026-11-26T${hhmm}:00Z`);
const silent = { info: () => {}, warn: () => {} };

const CONFIG = `version: vigil/v1
services:
  - { name: valuation-api, owner: mortgages }
journeys:
  - name: mortgage
    tier: critical
    value: { currency: GBP, revenuePerSuccess: 250 }
    steps:
      - { name: apply, services: [mortgage-web] }
      - { name: affordability, services: [credit-bureau] }
      - { name: valuation, services: [valuation-api], critical: true }
      - { name: offer, services: [offer-service] }
    slos:
      - { name: valuation-step, objective: 99.5, window: 28d, sli: { kind: success, step: valuation } }
  - name: card-payment
    tier: critical
    steps:
      - { name: screen, services: [fraud-check] }
      - { name: authorise, services: [core-ledger], critical: true }
    slos:
      - { name: success, objective: 99.9, window: 28d, sli: { kind: success } }
`;

const technical = (key: string, service: string, startsAt: number, endsAt: number | null = null): IncomingAlert => ({
  source: 'generic',
  sourceKey: key,
  status: endsAt === null ? 'firing' : 'resolved',
  name: 'HighErrorRate',
  summary: `${service} failing`,
  severity: 'critical',
  service,
  labels: { alertname: 'HighErrorRate' },
  annotations: {},
  startsAt,
  endsAt,
});

async function start(events: Record<string, unknown>[], clockAt: number) {
  const loaded = loadConfigFromString(CONFIG, 'vigil.yaml');
  if (!loaded.ok) throw new Error(`test configuration does not load: ${JSON.stringify(loaded)}`);
  const store = await openStore(':memory:');
  const runtime = await VigilRuntime.start({ config: loaded.config, store, clock: () => clockAt });
  const result = await runtime.ingestor.ingest(JSON.stringify(events), 'application/json');
  expect(result.accepted).toBe(events.length);
  return { runtime, manager: await IncidentManager.start(runtime, silent) };
}

/** The mortgage valuation step: 20 attempts a minute from 12:00 to 15:00, all failing from 13:54 to 14:09 (15 minutes). */
function mortgageEvents(): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (let t = at('12:00'); t < at('15:00'); t += MIN) {
    const failing = t >= at('13:54') && t < at('14:09');
    for (let i = 0; i < 20; i++)
      out.push({
        journey: 'mortgage',
        step: 'valuation',
        outcome: failing ? 'failure' : 'success',
        customerId: `m${t}-${i}`,
        timestamp: t,
      });
  }
  return out;
}

describe('one mortgage outage', () => {
  it('is one incident: the burn alert is stamped when it first held, beside the technical alert of 13:56', async () => {
    const { runtime, manager } = await start(mortgageEvents(), at('15:00'));
    await manager.receiveAlerts([technical('val', 'valuation-api', at('13:56'))], at('13:56'));
    await manager.tick(at('14:11'));
    const open = await manager.listIncidents({ status: ['open'] });
    expect(open).toHaveLength(1);
    expect(open[0]!.alertKeys).toEqual(expect.arrayContaining(['generic:val', 'slo:mortgage/valuation-step/page']));
    const burn = (await runtime.store.alerting.alerts({ keys: ['slo:mortgage/valuation-step/page'] }))[0]!;
    expect(burn.startsAt).toBeGreaterThanOrEqual(at('13:54'));
    // The fast pair's hour needs four failing minutes of sixty to pass its factor: 13:57, not 14:11.
    expect(burn.startsAt).toBeLessThanOrEqual(at('13:58'));
    expect(open[0]!.priority).toBe('P1');
    await manager.stop();
    await runtime.close();
  });

  it('keeps its figures once resolved: customers, attempts, value lost, peaks and the time to detect', async () => {
    const { runtime, manager } = await start(mortgageEvents(), at('15:00'));
    await manager.receiveAlerts([technical('val', 'valuation-api', at('13:56'))], at('13:56'));
    await manager.tick(at('14:11'));
    await manager.receiveAlerts([technical('val', 'valuation-api', at('13:56'), at('14:12'))], at('14:12'));
    // The slow-burn ticket pairs (2 h and 6 h short windows) clear last, at 20:09.
    for (const time of ['14:20', '14:40', '16:30', '20:30']) await manager.tick(at(time));
    const [incident] = await manager.listIncidents({});
    expect(incident!.status).toBe('resolved');
    const figures = incident!.figures!;
    // 15 minutes × 20 failures, each a different customer, each worth £250.
    expect(figures).toMatchObject({ failedAttempts: 300, customersFailed: 300, valueLost: [{ amount: 75_000, currency: 'GBP' }] });
    expect(figures.firstFailureAt).toBe(at('13:54'));
    expect(figures.peakBurnRate).toBeGreaterThan(14.4);
    expect(figures.peakPriority).toBe('P1');
    expect(incident!.impact!.customersAffected).toBeGreaterThan(0);
    // Long after recovery nothing re-measures it.
    await manager.tick(at('23:00'));
    const [later] = await manager.listIncidents({});
    expect(later!.figures).toEqual(figures);
    expect(later!.impact).toEqual(incident!.impact);
    await manager.stop();
    await runtime.close();
  });
});

describe('impact belongs to its stage', () => {
  it('a storm of critical fraud-check alerts that hurt nobody stays P4 while a ledger outage fails the same journey', async () => {
    const out: Record<string, unknown>[] = [];
    for (let t = at('11:00'); t < at('13:30'); t += MIN) {
      const ledgerDown = t >= at('13:00');
      for (let i = 0; i < 20; i++) {
        const customerId = `c${t}-${i}`;
        out.push({ journey: 'card-payment', step: 'screen', outcome: 'success', customerId, timestamp: t });
        const outcome = ledgerDown ? 'failure' : 'success';
        out.push({ journey: 'card-payment', step: 'authorise', outcome, customerId, timestamp: t });
        out.push({ journey: 'card-payment', outcome, customerId, timestamp: t });
      }
    }
    const { runtime, manager } = await start(out, at('13:30'));
    const fraud = [0, 2, 4, 6, 8].map((m, i) => technical(`fraud-${i}`, 'fraud-check', at('12:00') + m * MIN));
    await manager.receiveAlerts(fraud, at('12:10'));
    await manager.tick(at('12:15'));
    await manager.receiveAlerts([technical('ledger', 'core-ledger', at('13:01'))], at('13:01'));
    await manager.tick(at('13:20'));
    const incidents = await manager.listIncidents({ status: ['open'] });
    const fraudIncident = incidents.find((i) => i.services.includes('fraud-check'))!;
    const ledgerIncident = incidents.find((i) => i.services.includes('core-ledger'))!;
    expect(fraudIncident.id).not.toBe(ledgerIncident.id);
    expect(fraudIncident).toMatchObject({ priority: 'P4', paged: false });
    expect(ledgerIncident.priority).toBe('P1');
    await manager.stop();
    await runtime.close();
  });
});
