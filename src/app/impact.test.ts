// The impact figures of an incident (docs/alerting.md), hand-computed over real events in a real SQLite store.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfigFromString } from '../config/load.js';
import type { Stage } from '../model/alert.js';
import type { Impact } from '../model/incident.js';
import { openStore } from '../store/open.js';
import type { Store } from '../store/store.js';
import { assessImpact } from './impact.js';
import { VigilRuntime } from './runtime.js';

const NOW = Date.parse('2026-11-26T10:00:30Z');
const MIN = 60_000;

const CONFIG = `version: vigil/v1
journeys:
  - name: checkout
    tier: critical
    value: { currency: EUR, revenuePerSuccess: 4.5 }
    steps:
      - { name: pay }
    slos:
      - { name: success, objective: 99, window: 1d, sli: { kind: success } }
  - name: transfer
    tier: core
    value: { currency: EUR, feeRate: 0.005 }
    steps:
      - { name: send, critical: true }
      - { name: verify }
    slos:
      - { name: send, objective: 99.9, window: 1d, sli: { kind: success, step: send } }
`;

/**
 * checkout reports whole-journey outcomes: c1…c4 fail three times each in the last 12 minutes
 * (minutes 0…11 ago), c5 fails 20 minutes ago, c6 50 minutes ago, c7 90 minutes ago (outside the hour);
 * 336 successes 30 minutes ago. Over the last hour: 14 failures of 350, 4 % at a 1 % budget, burn 4.
 *
 * transfer reports steps only: send fails 6 times in the last 6 minutes (d1…d3, amounts 100 ×3 and 300 ×3),
 * verify twice (d4, d5, amounts 200 and 200); send has 594 successes 30 minutes ago. Over the hour the
 * send SLO sees 6 failures of 600, 1 % at a 0.1 % budget, burn 10. Mean failed amount: 1,600 / 8 = 200.
 */
function events(): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  const fail = (journey: string, customerId: string, ageMinutes: number, extra: Record<string, unknown> = {}) =>
    out.push({ journey, outcome: 'failure', customerId, timestamp: NOW - ageMinutes * MIN, ...extra });
  for (let i = 0; i < 12; i++) fail('checkout', `c${(i % 4) + 1}`, i);
  fail('checkout', 'c5', 20);
  fail('checkout', 'c6', 50);
  fail('checkout', 'c7', 90);
  for (let i = 0; i < 336; i++) out.push({ journey: 'checkout', outcome: 'success', customerId: `ok${i}`, timestamp: NOW - 30 * MIN });
  for (let i = 0; i < 6; i++) fail('transfer', `d${(i % 3) + 1}`, i, { step: 'send', amount: i < 3 ? 100 : 300 });
  fail('transfer', 'd4', 1, { step: 'verify', amount: 200 });
  fail('transfer', 'd5', 2, { step: 'verify', amount: 200 });
  for (let i = 0; i < 594; i++) out.push({ journey: 'transfer', step: 'send', outcome: 'success', timestamp: NOW - 30 * MIN });
  return out;
}

let store: Store;
let runtime: VigilRuntime;

beforeAll(async () => {
  const loaded = loadConfigFromString(CONFIG, 'vigil.yaml');
  if (!loaded.ok) throw new Error(`test configuration does not load: ${JSON.stringify(loaded)}`);
  store = await openStore(':memory:');
  runtime = await VigilRuntime.start({ config: loaded.config, store, clock: () => NOW });
  const result = await runtime.ingestor.ingest(JSON.stringify(events()), 'application/json');
  expect(result.accepted).toBe(events().length);
});
afterAll(async () => runtime.close());

const assess = (stages: Stage[], sinceMinutesAgo: number) =>
  assessImpact(runtime.registry, store.events, stages, NOW - sinceMinutesAgo * MIN, NOW);

const checkout: Stage[] = [{ journey: 'checkout', step: null }];
const transfer: Stage[] = [
  { journey: 'transfer', step: 'send' },
  { journey: 'transfer', step: 'verify' },
];

describe('assessImpact: revenue per success', () => {
  // Failures per hour are counted over the incident so far, at least 15 and at most 60 minutes, then
  // scaled to an hour; customers from 15 minutes before the first alert, over at most the last hour.
  const cases: { since: number; span: string; failuresPerHour: number; customers: number; valueAtRiskPerHour: number }[] = [
    // 15-minute span: the 12 failures of minutes 0…11 → 12 × 4 = 48/h; customers from 25 minutes ago: c1…c5.
    { since: 10, span: '15 minutes', failuresPerHour: 48, customers: 5, valueAtRiskPerHour: 48 * 4.5 },
    // 40-minute span: 12 + c5 = 13 → 13 × 1.5 = 19.5/h; customers from 55 minutes ago: c1…c6.
    { since: 40, span: '40 minutes', failuresPerHour: 19.5, customers: 6, valueAtRiskPerHour: 19.5 * 4.5 },
    // Capped at the hour: 12 + c5 + c6 = 14/h; customers over the last hour: c1…c6 (c7 is older).
    { since: 180, span: 'the hour', failuresPerHour: 14, customers: 6, valueAtRiskPerHour: 14 * 4.5 },
  ];
  it.each(cases)(
    'an incident opened $since minutes ago counts over $span',
    async ({ since, failuresPerHour, customers, valueAtRiskPerHour }) => {
      const impact = await assess(checkout, since);
      expect(impact).toEqual<Impact>({
        customerImpact: true,
        maxBurnRate: 4,
        customersAffected: customers,
        failuresPerHour,
        valueAtRiskPerHour: [{ amount: valueAtRiskPerHour, currency: 'EUR' }],
        tier: 'critical',
        criticalStage: false,
        assessedAt: NOW,
      });
    },
  );
});

describe('assessImpact: amount × fee rate', () => {
  it('takes the worst step when the journey reports no final outcome, and the mean failed amount', async () => {
    const impact = await assess(transfer, 5);
    // send: 6 failures in 15 minutes → 24/h; value 24 × 200 × 0.005 = 24/h; customers d1…d3 on send + d4, d5 on verify.
    expect(impact).toEqual<Impact>({
      customerImpact: true,
      maxBurnRate: 10,
      customersAffected: 5,
      failuresPerHour: 24,
      valueAtRiskPerHour: [{ amount: 24, currency: 'EUR' }],
      tier: 'core',
      criticalStage: true,
      assessedAt: NOW,
    });
  });

  it('adds up the journeys of an incident that spans both', async () => {
    const impact = await assess([...checkout, ...transfer], 10);
    expect(impact).toMatchObject({
      maxBurnRate: 10,
      customersAffected: 10,
      failuresPerHour: 48 + 24,
      tier: 'critical',
      criticalStage: true,
    });
    expect(impact.valueAtRiskPerHour).toEqual([{ amount: 216 + 24, currency: 'EUR' }]);
  });

  it('a journey with no failures in the span has no failures, customers or value at risk', async () => {
    // An hour and a half later every transfer event is more than an hour old: nothing is left in any span.
    const later = await assessImpact(runtime.registry, store.events, transfer, NOW + 60 * MIN, NOW + 90 * MIN);
    expect(later).toMatchObject({ customersAffected: 0, failuresPerHour: 0, valueAtRiskPerHour: [], maxBurnRate: null });
  });
});
