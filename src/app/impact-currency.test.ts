/**
 * An incident spanning a euro journey and a sterling journey: value at risk stays one amount per
 * currency from the measurement through the priority to every text people read (docs/alerting.md,
 * "Money and currencies").
 */
import { describe, expect, it } from 'vitest';
import { renderIncidentTable } from '../cli/commands/incidents.js';
import { loadConfigFromString } from '../config/load.js';
import { SloRegistry } from '../engine/slo-registry.js';
import { buildJourneyMap } from '../incidents/journey-map.js';
import { prioritise } from '../incidents/priority.js';
import type { StoredEvent } from '../model/event.js';
import type { Incident } from '../model/incident.js';
import { minuteOf } from '../model/minutes.js';
import { buildNotifications } from '../notify/build.js';
import { incidentJson } from './read-models/incident-views.js';
import { assessImpact } from './impact.js';

const NOW = Date.parse('2026-11-26T10:00:30Z');
const SINCE = NOW - 60 * 60_000;

const loaded = loadConfigFromString(
  `version: vigil/v1
journeys:
  - name: sepa-instant
    tier: critical
    value: { currency: EUR, revenuePerSuccess: 0.35 }
    steps: [{ name: confirm, services: [core-ledger], critical: true }]
    slos: [{ name: success, objective: 99.9, sli: { kind: success } }]
  - name: card-payment
    tier: core
    value: { currency: GBP, feeRate: 0.01 }
    steps: [{ name: authorise, services: [core-ledger] }]
notifications:
  targets:
    - { name: itsm, type: webhook, url: "https://itsm.bank.example/hooks/vigil", minPriority: P4 }
    - { name: chat, type: slack, url: "https://hooks.slack.com/services/T0/B0/XYZ", minPriority: P4 }
    - { name: oncall, type: pagerduty, routingKey: R0123456789abcdef0123456789abcdef, minPriority: P4 }
  routing: { P1: page, P2: page, P3: page, P4: page }
`,
  'vigil.yaml',
);
if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
const config = loaded.config;

/** Every minute of the last hour: `failures` failed and 100 successful final outcomes of the journey (and its SLIs). */
function lastHour(registry: SloRegistry, journey: string, failures: number): void {
  const now = minuteOf(NOW);
  for (let m = now - 59; m <= now; m++) {
    registry.applyScopeMinutes([{ journey, step: null, minute: m, success: 100, failure: failures, rejected: 0, abandoned: 0 }]);
    for (const sli of registry.slis.filter((s) => s.journey === journey)) {
      registry.applySliMinutes([{ key: sli.key, minute: m, good: 100, total: 100 + failures }]);
    }
  }
}

const failedPayment = (amount: number, currency?: string): StoredEvent => ({
  id: `e-${amount}-${currency}`,
  journey: 'card-payment',
  outcome: 'failure',
  timestamp: NOW - 60_000,
  receivedAt: NOW - 60_000,
  amount,
  ...(currency !== undefined && { currency }),
});

describe('value at risk across currencies', () => {
  it('an incident spanning a EUR journey and a GBP journey reports both amounts, never summed', async () => {
    const registry = new SloRegistry(config);
    // sepa-instant: 20 failures a minute = 1,200/h × €0.35 = €420/h.
    lastHour(registry, 'sepa-instant', 20);
    // card-payment: 10 failures a minute = 600/h; the fee is 1% of the mean failed amount (£90, £110
    // and one unnamed, so the journey's GBP: £100 → mean £100 → £600/h).
    lastHour(registry, 'card-payment', 10);
    const sample = [failedPayment(90, 'GBP'), failedPayment(110, 'GBP'), failedPayment(100)];
    const store = { distinctCustomers: async () => 25, events: async () => sample };
    const stages = [
      { journey: 'sepa-instant', step: 'confirm' },
      { journey: 'card-payment', step: 'authorise' },
    ];

    const impact = await assessImpact(registry, store, stages, SINCE, NOW);

    expect(impact.valueAtRiskPerHour).toEqual([
      { amount: 600, currency: 'GBP' },
      { amount: 420, currency: 'EUR' },
    ]);

    // Priority: each currency against the thresholds on its own (600 and 420: one point), not 1,020 (two).
    const map = buildJourneyMap(config);
    const subject = { journeys: ['sepa-instant', 'card-payment'], stages, services: ['core-ledger'] };
    const decision = prioritise(subject, impact, [], map);
    expect(decision.score?.valueAtRisk).toBe(1);
    expect(decision.reason).toContain('£600/h + €420/h at risk');

    const incident: Incident = {
      id: 'inc-1',
      status: 'open',
      priority: decision.priority,
      reason: decision.reason,
      title: 'core-ledger failing',
      ...subject,
      alertKeys: ['alertmanager:aa01'],
      alertCount: 1,
      lastAlertAt: SINCE,
      openedAt: SINCE,
      acknowledgedAt: null,
      resolvedAt: null,
      paged: decision.paged,
      impact,
      mergedFrom: [],
      mergedInto: null,
      timeline: [],
    };
    let n = 0;
    const payloads = new Map(
      buildNotifications(incident, 'opened', config, NOW, () => `m-${++n}`).map((m) => [m.target, JSON.parse(m.payload)]),
    );
    expect(payloads.get('itsm').incident.valueAtRiskPerHour).toEqual([
      { amount: 600, currency: 'GBP' },
      { amount: 420, currency: 'EUR' },
    ]);
    expect(payloads.get('itsm').summary).toContain('£600/h + €420/h at risk');
    expect(JSON.stringify(payloads.get('chat').blocks)).toContain('£600/h + €420/h');
    expect(payloads.get('oncall').payload.custom_details.value_at_risk).toBe('£600/h + €420/h');

    const cli = renderIncidentTable([incidentJson(incident)]);
    expect(cli).toContain('£600/h + €420/h');
    // No text anywhere adds the two: 1,020 in any currency.
    for (const text of [...[...payloads.values()].map((p) => JSON.stringify(p)), cli]) expect(text).not.toMatch(/1[,.]?020|1k\/h/);
  });

  it('a fee-rate journey takes each failed payment’s own currency', async () => {
    const registry = new SloRegistry(config);
    lastHour(registry, 'card-payment', 10);
    // 600 failures/h; mean amount over the three is (90 + 110 + 100) / 3 = 100, split £200/3 + €100/3 per
    // failure: £400/h and €200/h at a 1% fee.
    const sample = [failedPayment(90, 'GBP'), failedPayment(110, 'GBP'), failedPayment(100, 'EUR')];
    const store = { distinctCustomers: async () => 3, events: async () => sample };
    const impact = await assessImpact(registry, store, [{ journey: 'card-payment', step: 'authorise' }], SINCE, NOW);
    expect(impact.valueAtRiskPerHour).toEqual([
      { amount: 400, currency: 'GBP' },
      { amount: 200, currency: 'EUR' },
    ]);
  });
});
