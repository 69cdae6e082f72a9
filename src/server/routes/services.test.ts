/**
 * GET /api/v1/services/ranking (docs/api.md ("Where to invest")) over real events, incidents and alerts in a real SQLite
 * store, hand-computed; the answer is checked against its wire schema (VIGIL_VALIDATE_RESPONSES) and bad periods refused.
 */
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServiceRankingResponse } from '../../api/services.js';
import { vigilApi } from '../../app/api.js';
import { VigilRuntime } from '../../app/runtime.js';
import { loadConfigFromString } from '../../config/load.js';
import type { Alert } from '../../model/alert.js';
import type { Incident } from '../../model/incident.js';
import { openStore } from '../../store/open.js';
import { buildServer } from '../app.js';
import { WORKED_EXAMPLE_CONFIG as CONFIG } from './services.test-data.js';

const NOW = Date.parse('2026-11-26T10:00:30Z');
const MIN = 60_000;
const A = Date.parse('2026-11-26T09:00:00Z');

/**
 * pay/send: 6 failures in minute A (pinned on ledger by inc-1), 4 in A + 1 (shared), 990 successes in A + 2: 1,000 events,
 * 1 % allowed = 10 bad. cards/auth: 3 failures of £100 each at a 1 % fee: £1 an attempt.
 */
function events(): object[] {
  const out: object[] = [];
  for (let i = 0; i < 6; i++) out.push({ journey: 'pay', step: 'send', outcome: 'failure', timestamp: A + i });
  for (let i = 0; i < 4; i++) out.push({ journey: 'pay', step: 'send', outcome: 'failure', timestamp: A + MIN + i });
  for (let i = 0; i < 990; i++) out.push({ journey: 'pay', step: 'send', outcome: 'success', timestamp: A + 2 * MIN });
  for (let i = 0; i < 3; i++) out.push({ journey: 'cards', step: 'auth', outcome: 'failure', timestamp: A, amount: 100, currency: 'GBP' });
  return out;
}

function alert(key: string, service: string | null, over: Partial<Alert> = {}): Alert {
  return {
    key,
    source: 'alertmanager',
    status: 'resolved',
    name: 'HighErrorRate',
    summary: `${service} errors`,
    severity: 'critical',
    service,
    labels: {},
    annotations: {},
    startsAt: A,
    endsAt: A + MIN,
    firstReceivedAt: A,
    lastReceivedAt: A,
    flaps: 0,
    stages: [],
    incidentId: null,
    ...over,
  };
}

const INCIDENT: Incident = {
  id: 'inc-1',
  status: 'resolved',
  priority: 'P2',
  reason: 'pay send step failing',
  title: 'pay: send failing',
  journeys: ['pay'],
  stages: [{ journey: 'pay', step: 'send' }],
  services: ['ledger'],
  alertKeys: ['am:ledger'],
  alertCount: 1,
  lastAlertAt: A,
  openedAt: A,
  acknowledgedAt: null,
  resolvedAt: A + MIN,
  paged: true,
  impact: null,
  mergedFrom: [],
  mergedInto: null,
  timeline: [],
};

let app: FastifyInstance;
let runtime: VigilRuntime;

beforeAll(async () => {
  const loaded = loadConfigFromString(CONFIG, 'vigil.yaml');
  if (!loaded.ok) throw new Error(`test configuration does not load: ${JSON.stringify(loaded)}`);
  const store = await openStore(':memory:');
  runtime = await VigilRuntime.start({ config: loaded.config, store, clock: () => NOW });
  expect((await runtime.ingestor.ingest(JSON.stringify(events()), 'application/json')).accepted).toBe(events().length);
  await store.alerting.saveAlerting({
    alerts: [
      alert('am:ledger', 'ledger', { incidentId: 'inc-1' }),
      alert('am:noisy-1', 'noisy'),
      alert('am:noisy-2', 'noisy'),
      alert('am:noisy-3', 'noisy'),
      alert('slo:pay/send-ok', 'ledger', { source: 'slo' }),
      alert('am:old', 'noisy', { firstReceivedAt: A - 40 * 1440 * MIN }),
    ],
    incidents: [INCIDENT],
    outbox: [],
  });
  app = await buildServer({ api: vigilApi(runtime) });
});
afterAll(async () => {
  await app.close();
  await runtime.close();
});

describe('GET /api/v1/services/ranking', () => {
  it('ranks by tier, then value lost; sharing a step’s failures unless an incident pins them (hand-computed)', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/v1/services/ranking' });
    expect(res.statusCode).toBe(200);
    const body = ServiceRankingResponse.parse(res.json());
    // The default period: the 30 days before now, from rounded down to its minute, to up.
    expect(body.from).toBe('2026-10-27T10:00:00.000Z');
    expect(body.to).toBe('2026-11-26T10:01:00.000Z');
    expect(body.currencies).toEqual(['EUR', 'GBP']);
    expect(body.services).toEqual([
      // ledger: minute A's 6 (pinned by inc-1) + half of A + 1's 4 = 8, €16; 8 of 10 allowed.
      {
        rank: 1,
        name: 'ledger',
        owner: 'core-banking',
        tier: 'critical',
        failedAttempts: 8,
        valueLost: [{ amount: 16, currency: 'EUR' }],
        slos: [{ journey: 'pay', slo: 'send-ok', bad: 8, spent: 0.8 }],
        incidents: ['inc-1'],
        alerts: 1,
        pinnedAt: ['pay/send'],
      },
      {
        rank: 2,
        name: 'api',
        tier: 'critical',
        failedAttempts: 2,
        valueLost: [{ amount: 4, currency: 'EUR' }],
        slos: [{ journey: 'pay', slo: 'send-ok', bad: 2, spent: 0.2 }],
        incidents: [],
        alerts: 0,
        pinnedAt: [],
      },
      // Loud, harmless: 3 alerts in the period (the SLO alert and the one 40 days ago do not count), 0 failed attempts.
      { rank: 3, name: 'noisy', tier: 'critical', failedAttempts: 0, valueLost: [], slos: [], incidents: [], alerts: 3, pinnedAt: [] },
      {
        rank: 4,
        name: 'cards-api',
        tier: 'standard',
        failedAttempts: 3,
        valueLost: [{ amount: 3, currency: 'GBP' }],
        slos: [],
        incidents: [],
        alerts: 0,
        pinnedAt: [],
      },
    ]);
  });

  it('answers exactly the example of docs/api.md ("Where to invest")', async () => {
    const doc = readFileSync(new URL('../../../docs/api.md', import.meta.url), 'utf8');
    const section = doc.slice(doc.indexOf('### Where to invest'));
    const url = /curl -s [^']*'http:\/\/127\.0\.0\.1:8080(\S+)'/.exec(section)![1]!;
    const json = /```json\n([\s\S]*?)\n```/.exec(section)![1]!;
    const res = await app.inject({ method: 'GET', url });
    expect(res.json()).toEqual(JSON.parse(json));
  });

  it('shares every failure equally in a period the incident does not reach', async () => {
    const from = new Date(A + MIN).toISOString();
    const res = await app.inject({ method: 'GET', url: `/api/v1/services/ranking?from=${from}&to=2026-11-26T10:00:00Z` });
    const body = ServiceRankingResponse.parse(res.json());
    expect(body.services.slice(0, 2).map((s) => [s.name, s.failedAttempts, s.valueLost, s.incidents, s.pinnedAt])).toEqual([
      ['api', 2, [{ amount: 4, currency: 'EUR' }], [], []],
      ['ledger', 2, [{ amount: 4, currency: 'EUR' }], [], []],
    ]);
  });

  it('refuses a reversed, a too long or a malformed period with invalid_query', async () => {
    for (const query of ['from=2026-11-26T10:00:00Z&to=2026-11-26T09:00:00Z', 'from=2026-01-01T00:00:00Z', 'from=yesterday']) {
      const res = await app.inject({ method: 'GET', url: `/api/v1/services/ranking?${query}` });
      expect([res.statusCode, res.json().error.code]).toEqual([400, 'invalid_query']);
    }
  });
});

describe('GET /api/v1/services/ranking with a timeslice SLO', () => {
  it('spends the budget in bad one-minute slices: 1 bad slice of 4 allowed 2', async () => {
    const loaded = loadConfigFromString(
      `version: vigil/v1
journeys:
  - name: login
    tier: core
    steps: [{ name: auth, services: [idp] }]
    slos:
      - { name: minutes, objective: 50, window: 28d, budgeting: timeslices, timeSliceTarget: 95, sli: { kind: success, step: auth } }
`,
      'vigil.yaml',
    );
    if (!loaded.ok) throw new Error(`test configuration does not load: ${JSON.stringify(loaded)}`);
    const store = await openStore(':memory:');
    const rt = await VigilRuntime.start({ config: loaded.config, store, clock: () => NOW });
    // Minute A: 1 of 1 failed (bad slice); A + 1: 10 successes; A + 2: 1 failure in 20 (95%, good); A + 3: 20 successes.
    const ev = (minute: number, outcome: string, n: number) =>
      Array.from({ length: n }, () => ({ journey: 'login', step: 'auth', outcome, timestamp: A + minute * MIN }));
    const all = [...ev(0, 'failure', 1), ...ev(1, 'success', 10), ...ev(2, 'failure', 1), ...ev(2, 'success', 19), ...ev(3, 'success', 20)];
    await rt.ingestor.ingest(JSON.stringify(all), 'application/json');
    const server = await buildServer({ api: vigilApi(rt) });
    try {
      const body = ServiceRankingResponse.parse((await server.inject({ url: '/api/v1/services/ranking' })).json());
      // 4 slices with events, 50% allowed: 2; the one bad slice is idp's alone. Failed attempts count events: 2.
      expect(body.services).toEqual([
        expect.objectContaining({
          name: 'idp',
          tier: 'core',
          failedAttempts: 2,
          slos: [{ journey: 'login', slo: 'minutes', bad: 1, spent: 0.5 }],
        }),
      ]);
    } finally {
      await server.close();
      await rt.close();
    }
  });
});
