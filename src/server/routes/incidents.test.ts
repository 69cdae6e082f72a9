import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Alert } from '../../model/alert.js';
import { NOW, RecordingIncidentService, sampleIncident, startRouteServer } from './recording-incidents.test-suite.js';

const service = new RecordingIncidentService();
let app: FastifyInstance;
let close: () => Promise<void>;

const alert: Alert = {
  key: 'alertmanager:5f2d6a8e1c3b4d7f',
  source: 'alertmanager',
  status: 'firing',
  name: 'CoreLedgerDown',
  summary: 'core-ledger is down',
  severity: 'critical',
  service: 'core-ledger',
  labels: { alertname: 'CoreLedgerDown', service: 'core-ledger' },
  annotations: { summary: 'core-ledger is down' },
  startsAt: NOW - 120_000,
  endsAt: null,
  firstReceivedAt: NOW - 110_000,
  lastReceivedAt: NOW - 10_000,
  flaps: 0,
  stages: [{ journey: 'wire-transfer', step: 'confirm' }],
  incidentId: 'inc-1',
};

beforeAll(async () => {
  ({ app, close } = await startRouteServer(service));
});
afterAll(async () => close());
beforeEach(() => {
  service.calls.length = 0;
  service.incidents.clear();
  service.incidents.set('inc-1', { incident: sampleIncident('inc-1'), alerts: [alert] });
  service.incidents.set('inc-2', {
    incident: sampleIncident('inc-2', { status: 'resolved', priority: 'P4', paged: false, impact: null, resolvedAt: NOW - 5_000 }),
    alerts: [],
  });
});

const get = (url: string) => app.inject({ method: 'GET', url });
const post = (url: string, payload?: string) =>
  app.inject({ method: 'POST', url, ...(payload !== undefined && { payload, headers: { 'content-type': 'application/json' } }) });

describe('GET /api/v1/incidents', () => {
  it('passes the filters to the service, parsed', async () => {
    const res = await get(
      '/api/v1/incidents?status=open,acknowledged&journey=wire-transfer&priority=p1,P2&from=2026-11-26T00:00:00Z&to=1795687230000&limit=20',
    );
    expect(res.statusCode).toBe(200);
    expect(service.calls).toEqual([
      {
        method: 'listIncidents',
        query: {
          status: ['open', 'acknowledged'],
          journey: 'wire-transfer',
          priority: ['P1', 'P2'],
          from: Date.parse('2026-11-26T00:00:00Z'),
          to: 1795687230000,
          limit: 20,
        },
      },
    ]);
    expect(res.json().incidents.map((i: { id: string }) => i.id)).toEqual(['inc-1']);
  });

  it('without filters asks for the newest 100', async () => {
    await get('/api/v1/incidents');
    expect(service.calls).toEqual([{ method: 'listIncidents', query: { limit: 100 } }]);
  });

  it('serves instants as RFC 3339', async () => {
    const [incident] = (await get('/api/v1/incidents?status=open')).json().incidents;
    expect(incident).toMatchObject({
      id: 'inc-1',
      priority: 'P1',
      openedAt: '2026-11-26T09:58:30.000Z',
      lastAlertAt: '2026-11-26T09:58:30.000Z',
      acknowledgedAt: null,
      resolvedAt: null,
      impact: { customersAffected: 2140, valueAtRiskPerHour: [{ amount: 38025, currency: 'EUR' }], assessedAt: '2026-11-26T09:59:30.000Z' },
      timeline: [{ at: '2026-11-26T09:58:30.000Z', kind: 'opened' }],
    });
  });

  const bad: { query: string; message: string }[] = [
    { query: 'status=firing', message: 'status: expected a comma-separated list of open, acknowledged, resolved, got "firing"' },
    { query: 'priority=P1,P5', message: 'priority: expected a comma-separated list of P1, P2, P3, P4, got "P5"' },
    { query: 'limit=0', message: 'limit: expected a whole number from 1 to 1000, got "0"' },
    { query: 'limit=ten', message: 'limit: expected a whole number from 1 to 1000, got "ten"' },
    {
      query: 'from=yesterday',
      message: 'from: expected an RFC 3339 time with a zone (e.g. 2026-11-26T10:00:00Z) or epoch milliseconds, got "yesterday"',
    },
    {
      query: 'from=2026-11-26T10:00:00Z&to=2026-11-26T09:00:00Z',
      message: 'from (2026-11-26T10:00:00.000Z) is after to (2026-11-26T09:00:00.000Z)',
    },
  ];
  for (const b of bad) {
    it(`refuses ${b.query}`, async () => {
      const res = await get(`/api/v1/incidents?${b.query}`);
      expect(res.statusCode).toBe(400);
      expect(res.json()).toEqual({ error: { code: 'invalid_query', message: b.message } });
      expect(service.calls).toEqual([]);
    });
  }
});

describe('GET /api/v1/incidents/stats', () => {
  it('defaults to the last 24 hours and is not read as an incident id', async () => {
    const res = await get('/api/v1/incidents/stats');
    expect(res.statusCode).toBe(200);
    expect(service.calls).toEqual([{ method: 'stats', from: NOW - 86_400_000, to: NOW }]);
    expect(res.json()).toMatchObject({
      from: '2026-11-25T10:00:30.000Z',
      to: '2026-11-26T10:00:30.000Z',
      incidentsOpened: 2,
      incidentsPaged: 1,
    });
  });

  it('takes from and to', async () => {
    await get('/api/v1/incidents/stats?from=2026-11-01T00:00:00Z&to=2026-12-01T00:00:00Z');
    expect(service.calls).toEqual([{ method: 'stats', from: Date.UTC(2026, 10, 1), to: Date.UTC(2026, 11, 1) }]);
  });

  it('refuses from after to', async () => {
    const res = await get('/api/v1/incidents/stats?from=2026-12-01T00:00:00Z&to=2026-11-01T00:00:00Z');
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('invalid_query');
  });
});

describe('GET /api/v1/incidents/:id', () => {
  it('serves the incident with its alerts, stages, impact and timeline', async () => {
    const res = await get('/api/v1/incidents/inc-1');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({
      id: 'inc-1',
      stages: [{ journey: 'wire-transfer', step: 'confirm' }],
      impact: { tier: 'critical' },
      timeline: [{ kind: 'opened' }],
    });
    expect(body.alerts).toEqual([
      {
        ...alert,
        startsAt: '2026-11-26T09:58:30.000Z',
        endsAt: null,
        firstReceivedAt: '2026-11-26T09:58:40.000Z',
        lastReceivedAt: '2026-11-26T10:00:20.000Z',
      },
    ]);
  });

  it('unknown id → 404 incident_not_found', async () => {
    const res = await get('/api/v1/incidents/inc-404');
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: { code: 'incident_not_found', message: "No incident has id 'inc-404'" } });
  });
});

describe('POST /api/v1/incidents/:id/ack and /resolve', () => {
  it('acknowledges with the name from the body, at the server clock', async () => {
    const res = await post('/api/v1/incidents/inc-1/ack', JSON.stringify({ by: 'alice' }));
    expect(res.statusCode).toBe(200);
    expect(service.calls).toEqual([{ method: 'acknowledge', id: 'inc-1', at: NOW, by: 'alice' }]);
    expect(res.json()).toMatchObject({ id: 'inc-1', status: 'acknowledged', acknowledgedAt: '2026-11-26T10:00:30.000Z' });
  });

  it('the body is optional', async () => {
    const res = await post('/api/v1/incidents/inc-1/resolve');
    expect(res.statusCode).toBe(200);
    expect(service.calls).toEqual([{ method: 'resolve', id: 'inc-1', at: NOW, by: undefined }]);
    expect(res.json()).toMatchObject({ status: 'resolved', resolvedAt: '2026-11-26T10:00:30.000Z' });
  });

  it("passes on the service's refusals: 409 invalid_transition, 404 incident_not_found", async () => {
    const again = await post('/api/v1/incidents/inc-2/resolve', '{}');
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('invalid_transition');
    const missing = await post('/api/v1/incidents/inc-9/ack');
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('incident_not_found');
  });

  const badBodies: { body: string; code: string; message: RegExp }[] = [
    { body: '{"by":', code: 'invalid_json', message: /^The body is not valid JSON/ },
    { body: '["alice"]', code: 'invalid_query', message: /^body: expected an object/ },
    { body: '{"by": 42}', code: 'invalid_query', message: /^by: expected a non-empty string of at most 200 characters, got 42$/ },
  ];
  for (const b of badBodies) {
    it(`refuses the body ${b.body} before calling the service`, async () => {
      const res = await post('/api/v1/incidents/inc-1/ack', b.body);
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe(b.code);
      expect(res.json().error.message).toMatch(b.message);
      expect(service.calls).toEqual([]);
    });
  }
});
