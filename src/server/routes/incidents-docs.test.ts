// Runs the request/response examples of the Incidents section of docs/api.md through the HTTP layer.
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../model/alert.js';
import type { Incident } from '../../model/incident.js';
import { type IncidentServer, startIncidentServer } from '../../../test/helpers/incident-server.js';

const markdown = readFileSync(new URL('../../../docs/api.md', import.meta.url), 'utf8');
const start = markdown.indexOf('\n## Incidents\n');
const next = markdown.indexOf('\n## ', start + 1);
const section = start === -1 ? '' : markdown.slice(start, next === -1 ? undefined : next);

interface HttpMessage {
  startLine: string;
  headers: Record<string, string>;
  body: string;
}

function messages(kind: 'request' | 'response'): HttpMessage[] {
  return [...section.matchAll(new RegExp(`<!-- incidents example: ${kind} -->\\n\`\`\`http\\n([\\s\\S]*?)\\n\`\`\``, 'g'))].map((match) => {
    const [startLine = '', ...rest] = match[1]!.split('\n');
    const blank = rest.indexOf('');
    const headerLines = blank === -1 ? rest : rest.slice(0, blank);
    const headers = Object.fromEntries(
      headerLines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]),
    );
    return { startLine, headers, body: blank === -1 ? '' : rest.slice(blank + 1).join('\n') };
  });
}

const ms = (iso: string) => Date.parse(iso);

/** The stored state the examples describe, in model form (epoch milliseconds). */
const incident: Incident = {
  id: 'inc-2f6c1a9e',
  status: 'acknowledged',
  priority: 'P1',
  reason: 'wire-transfer confirm step failing for 2,140 customers, €38k/h at risk (critical tier, burn 31× the sustainable rate)',
  title: 'Wire transfer: confirm failing',
  journeys: ['wire-transfer'],
  stages: [{ journey: 'wire-transfer', step: 'confirm' }],
  services: ['core-ledger'],
  alertKeys: ['alertmanager:5f2d6a8e1c3b4d7f'],
  alertCount: 1,
  lastAlertAt: ms('2026-11-26T09:58:12Z'),
  openedAt: ms('2026-11-26T09:58:14Z'),
  acknowledgedAt: ms('2026-11-26T10:03:40Z'),
  resolvedAt: null,
  paged: true,
  impact: {
    customerImpact: true,
    maxBurnRate: 31.2,
    customersAffected: 2140,
    failuresPerHour: 8450,
    valueAtRiskPerHour: [{ amount: 38_025, currency: 'EUR' }],
    tier: 'critical',
    criticalStage: true,
    assessedAt: ms('2026-11-26T10:03:00Z'),
  },
  figures: {
    from: ms('2026-11-26T09:43:12Z'),
    to: ms('2026-11-26T10:03:00Z'),
    peakBurnRate: 31.2,
    peakFailuresPerHour: 8450,
    peakCustomersAffected: 2140,
    customersFailed: 2140,
    failedAttempts: 2790,
    valueLost: [{ amount: 976.5, currency: 'EUR' }],
    firstFailureAt: ms('2026-11-26T09:56:00Z'),
    peakPriority: 'P1',
  },
  mergedFrom: [],
  mergedInto: null,
  timeline: [
    {
      at: ms('2026-11-26T09:58:14Z'),
      kind: 'opened',
      // The correlator's own wording (src/incidents/correlate.ts), so the example shows what Vigil writes.
      message: 'opened by CoreLedgerDown on core-ledger',
      alertKey: 'alertmanager:5f2d6a8e1c3b4d7f',
    },
    { at: ms('2026-11-26T10:03:40Z'), kind: 'acknowledged', message: 'acknowledged by alice' },
  ],
};

const alert: Alert = {
  key: 'alertmanager:5f2d6a8e1c3b4d7f',
  source: 'alertmanager',
  status: 'firing',
  name: 'CoreLedgerDown',
  summary: 'core-ledger ledger-1 is down',
  severity: 'critical',
  service: 'core-ledger',
  labels: { alertname: 'CoreLedgerDown', service: 'core-ledger', instance: 'ledger-1:9100', severity: 'critical' },
  annotations: { summary: 'core-ledger ledger-1 is down' },
  startsAt: ms('2026-11-26T09:58:12Z'),
  endsAt: null,
  firstReceivedAt: ms('2026-11-26T09:58:14Z'),
  lastReceivedAt: ms('2026-11-26T10:02:14Z'),
  flaps: 0,
  generatorUrl: 'http://prometheus:9090/graph?g0.expr=up%7Bjob%3D%22core-ledger%22%7D',
  stages: [{ journey: 'wire-transfer', step: 'confirm' }],
  incidentId: 'inc-2f6c1a9e',
};

let server: IncidentServer;
let app: FastifyInstance;

beforeAll(async () => {
  // The real IncidentManager over a store holding the incident and alert the examples show.
  server = await startIncidentServer({ seed: { incidents: [incident], alerts: [alert] } });
  app = server.app;
});
afterAll(async () => server.close());

describe('docs/api.md: Incidents', () => {
  const requests = messages('request');
  const responses = messages('response');

  it('has request/response pairs', () => {
    expect(requests.length).toBeGreaterThanOrEqual(3);
    expect(responses).toHaveLength(requests.length);
  });

  requests.forEach((request, i) => {
    it(request.startLine, async () => {
      const [method, url] = request.startLine.split(' ') as ['GET' | 'POST', string];
      const res = await app.inject({ method, url, ...(request.body && { payload: request.body, headers: request.headers }) });
      const documented = responses[i]!;
      expect(`HTTP/1.1 ${res.statusCode} ${res.statusMessage}`).toBe(documented.startLine);
      expect(res.headers['content-type']).toContain(documented.headers['content-type']);
      const shown = JSON.parse(documented.body);
      const served = res.json();
      // A request id is fresh on every request: the example shows one of the same form (docs/errors.md ("Request ids")).
      if (served.error) {
        expect(shown.error.requestId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
        expect(served.error.requestId).toBe(res.headers['x-request-id']);
        served.error.requestId = shown.error.requestId;
      }
      expect(served).toEqual(shown);
    });
  });

  it('the stats example has the served fields and a consistent compression ratio', async () => {
    const shown = JSON.parse(/### `GET \/api\/v1\/incidents\/stats`[\s\S]*?```json\n([\s\S]*?)\n```/.exec(section)![1]!);
    const served = (await app.inject({ method: 'GET', url: '/api/v1/incidents/stats' })).json();
    expect(Object.keys(shown).sort()).toEqual(Object.keys(served).sort());
    expect(shown.compressionRatio).toBeCloseTo(1 - shown.incidentsOpened / shown.alertsReceived, 4);
  });
});
