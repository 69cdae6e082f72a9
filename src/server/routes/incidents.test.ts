// The incident routes over the real IncidentManager and a SQLite store (docs/api.md, Incidents).
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Alert } from '../../model/alert.js';
import type { Incident } from '../../model/incident.js';
import { type IncidentServer, NOW, sampleAlert, sampleIncident, startIncidentServer } from '../../../test/helpers/incident-server.js';

const HOUR = 3_600_000;

/** Stored incidents, each kept out of the filtered list by exactly one filter (see the first test). */
const incidents: Incident[] = [
  sampleIncident('inc-1', { alertKeys: ['alertmanager:inc-1', 'alertmanager:inc-1b'] }),
  sampleIncident('inc-2', {
    status: 'resolved',
    priority: 'P4',
    paged: false,
    impact: null,
    openedAt: NOW - 600_000,
    lastAlertAt: NOW - 600_000,
    resolvedAt: NOW - 5_000,
  }),
  sampleIncident('inc-3', { status: 'acknowledged', priority: 'P2', openedAt: NOW - 300_000, acknowledgedAt: NOW - 200_000 }),
  sampleIncident('inc-4', { priority: 'P3', paged: false, openedAt: NOW - 240_000 }),
  sampleIncident('inc-5', {
    journeys: ['login'],
    stages: [{ journey: 'login', step: 'authenticate' }],
    services: ['auth-gateway'],
    openedAt: NOW - 60_000,
  }),
  sampleIncident('inc-7', { openedAt: NOW, lastAlertAt: NOW }),
  sampleIncident('inc-old', { status: 'resolved', openedAt: NOW - 25 * HOUR, resolvedAt: NOW - 24.5 * HOUR }),
];
const alerts: Alert[] = [
  ...incidents.map((i) => sampleAlert(i, i.status === 'resolved' ? { status: 'resolved', endsAt: i.resolvedAt } : {})),
  sampleAlert(incidents[0]!, { key: 'alertmanager:inc-1b', name: 'PaymentsApiErrors', service: 'payments-api' }),
];

let server: IncidentServer;
let app: FastifyInstance;

beforeEach(async () => {
  server = await startIncidentServer({ seed: { incidents, alerts } });
  app = server.app;
});
afterEach(async () => server.close());

const get = (url: string) => app.inject({ method: 'GET', url });
const post = (url: string, payload?: string) =>
  app.inject({ method: 'POST', url, ...(payload !== undefined && { payload, headers: { 'content-type': 'application/json' } }) });
const ids = (body: { incidents: { id: string }[] }) => body.incidents.map((i) => i.id);

describe('GET /api/v1/incidents', () => {
  it('applies every filter, parsed: status, journey, priority in any case, from, to (epoch ms) and limit', async () => {
    // inc-2 is resolved, inc-4 is P3, inc-5 is on login, inc-7 opened at `to`, inc-old is resolved and old.
    const res = await get(
      `/api/v1/incidents?status=open,acknowledged&journey=wire-transfer&priority=p1,P2&from=2026-11-26T00:00:00Z&to=${NOW}&limit=20`,
    );
    expect(res.statusCode).toBe(200);
    expect(ids(res.json())).toEqual(['inc-1', 'inc-3']);
    expect(ids((await get(`/api/v1/incidents?status=open,acknowledged&journey=wire-transfer&priority=p1,P2&limit=1`)).json())).toEqual([
      'inc-7',
    ]);
  });

  it('from keeps the incidents open at some time after it', async () => {
    expect(ids((await get(`/api/v1/incidents?status=resolved&from=${NOW - 6_000}`)).json())).toEqual(['inc-2']);
    expect(ids((await get(`/api/v1/incidents?status=resolved&from=${NOW - 4_000}`)).json())).toEqual([]);
  });

  it('without filters lists every incident, newest first', async () => {
    expect(ids((await get('/api/v1/incidents')).json())).toEqual(['inc-7', 'inc-5', 'inc-1', 'inc-4', 'inc-3', 'inc-2', 'inc-old']);
  });

  it('without a limit serves the newest 100', async () => {
    const many = Array.from({ length: 101 }, (_, i) =>
      sampleIncident(`inc-${String(i).padStart(3, '0')}`, {
        status: 'resolved',
        openedAt: NOW - (i + 1) * 60_000,
        resolvedAt: NOW - i * 60_000,
      }),
    );
    const crowded = await startIncidentServer({ seed: { incidents: many } });
    try {
      const listed = ids((await crowded.app.inject({ method: 'GET', url: '/api/v1/incidents' })).json());
      expect(listed).toHaveLength(100);
      expect([listed[0], listed[99]]).toEqual(['inc-000', 'inc-099']);
    } finally {
      await crowded.close();
    }
  });

  it('serves instants as RFC 3339', async () => {
    const listed = (await get('/api/v1/incidents?status=open')).json().incidents as { id: string }[];
    expect(listed.find((i) => i.id === 'inc-1')).toMatchObject({
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

  it('filters by text (q) over title, reason and services and pages with the next cursor, the total beside', async () => {
    const first = (await get('/api/v1/incidents?q=AUTH-gateway&limit=5')).json();
    expect(first).toMatchObject({ total: 1, next: null });
    expect(ids(first)).toEqual(['inc-5']);
    const pages: string[][] = [];
    let url = '/api/v1/incidents?limit=3';
    for (let i = 0; i < 5; i += 1) {
      const res = await get(url);
      expect(res.statusCode).toBe(200);
      const body = res.json() as { incidents: { id: string }[]; total: number; next: string | null };
      expect(body.total).toBe(7);
      pages.push(ids(body));
      if (body.next === null) break;
      url = `/api/v1/incidents?limit=3&cursor=${body.next}`;
    }
    expect(pages).toEqual([['inc-7', 'inc-5', 'inc-1'], ['inc-4', 'inc-3', 'inc-2'], ['inc-old']]);
  });

  it('exports CSV for format=csv or Accept: text/csv with the same filters, quoted and defused', async () => {
    const hostile = sampleIncident('inc-csv', { title: '=HYPERLINK("http://evil")', reason: 'line one\nline, "two"', services: ['@svc'] });
    const crowded = await startIncidentServer({ seed: { incidents: [...incidents, hostile] } });
    try {
      const res = await crowded.app.inject({ method: 'GET', url: '/api/v1/incidents?format=csv&q=evil' });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(res.headers['content-disposition']).toBe('attachment; filename="incidents.csv"');
      const lines = res.body.split('\r\n');
      expect(lines[0]).toMatch(/^id,status,priority,title,reason,journeys,services,openedAt,/);
      expect(lines[1]).toBe(
        'inc-csv,open,P1,"\'=HYPERLINK(""http://evil"")","line one\nline, ""two""",wire-transfer,\'@svc,' +
          '2026-11-26T09:58:30.000Z,,,true,2140,8450,31.2,38025 EUR,',
      );
      expect(lines.slice(2)).toEqual(['']);
      const negotiated = await crowded.app.inject({
        method: 'GET',
        url: '/api/v1/incidents?status=resolved',
        headers: { accept: 'text/csv' },
      });
      expect(negotiated.body.split('\r\n').map((l) => l.split(',')[0])).toEqual(['id', 'inc-2', 'inc-old', '']);
      const json = await crowded.app.inject({ method: 'GET', url: '/api/v1/incidents', headers: { accept: 'application/json, text/csv' } });
      expect(json.headers['content-type']).toMatch(/^application\/json/);
    } finally {
      await crowded.close();
    }
  });

  const bad: { query: string; message: string }[] = [
    { query: 'status=firing', message: 'status: expected a comma-separated list of open, acknowledged, resolved, got "firing"' },
    { query: 'priority=P1,P5', message: 'priority: expected a comma-separated list of P1, P2, P3, P4, got "P5"' },
    { query: 'limit=0', message: 'limit: expected a whole number from 1 to 1000, got "0"' },
    { query: 'format=xlsx', message: 'format: expected csv or json, got "xlsx"' },
    { query: 'cursor=bm9wZQ', message: 'cursor: "bm9wZQ" is not a cursor this server gave' },
    { query: `q=${'x'.repeat(201)}`, message: 'q: expected at most 200 characters, got 201' },
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
      expect(res.json()).toEqual({ error: { code: 'invalid_query', message: b.message, requestId: expect.any(String) } });
    });
  }
});

describe('GET /api/v1/incidents/stats', () => {
  it('defaults to the last 24 hours and is not read as an incident id', async () => {
    const res = await get('/api/v1/incidents/stats');
    expect(res.statusCode).toBe(200);
    // In [NOW − 24 h, NOW): inc-1…inc-5 opened (inc-1, inc-3, inc-5 paged) and their 6 alerts first received;
    // inc-7 opened at NOW and its alert came 10 s later; inc-old is 25 hours old.
    expect(res.json()).toEqual({
      from: '2026-11-25T10:00:30.000Z',
      to: '2026-11-26T10:00:30.000Z',
      alertsReceived: 6,
      incidentsOpened: 5,
      incidentsPaged: 3,
      compressionRatio: 1 - 5 / 6,
      alertsPerPage: 2,
    });
  });

  it('takes from and to', async () => {
    const res = await get('/api/v1/incidents/stats?from=2026-11-01T00:00:00Z&to=2026-12-01T00:00:00Z');
    expect(res.json()).toEqual({
      from: '2026-11-01T00:00:00.000Z',
      to: '2026-12-01T00:00:00.000Z',
      alertsReceived: 8,
      incidentsOpened: 7,
      incidentsPaged: 5,
      compressionRatio: 1 - 7 / 8,
      alertsPerPage: 8 / 5,
    });
  });

  it('refuses from after to', async () => {
    const res = await get('/api/v1/incidents/stats?from=2026-12-01T00:00:00Z&to=2026-11-01T00:00:00Z');
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({
      error: {
        code: 'invalid_query',
        message: 'from (2026-12-01T00:00:00.000Z) is after to (2026-11-01T00:00:00.000Z)',
        requestId: expect.any(String),
      },
    });
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
      timeline: [{ kind: 'opened', message: 'opened by CoreLedgerDown on core-ledger' }],
    });
    const iso = (a: Alert) => ({
      ...a,
      startsAt: '2026-11-26T09:58:30.000Z',
      endsAt: null,
      firstReceivedAt: '2026-11-26T09:58:40.000Z',
      lastReceivedAt: '2026-11-26T10:00:20.000Z',
    });
    expect(body.alerts).toEqual([iso(alerts[0]!), iso(alerts.at(-1)!)]);
  });

  it('unknown id → 404 incident_not_found', async () => {
    const res = await get('/api/v1/incidents/inc-404');
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({
      error: { code: 'incident_not_found', message: "No incident has the id 'inc-404'", requestId: expect.any(String) },
    });
  });
});

describe('POST /api/v1/incidents/:id/ack and /resolve', () => {
  it('acknowledges with the name from the body, at the server clock, and stores it', async () => {
    const res = await post('/api/v1/incidents/inc-1/ack', JSON.stringify({ by: 'alice' }));
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: 'inc-1', status: 'acknowledged', acknowledgedAt: '2026-11-26T10:00:30.000Z' });
    expect(res.json().alerts).toBeUndefined();
    const stored = (await get('/api/v1/incidents/inc-1')).json();
    expect(stored.status).toBe('acknowledged');
    expect(stored.timeline).toContainEqual({ at: '2026-11-26T10:00:30.000Z', kind: 'acknowledged', message: 'acknowledged by alice' });
  });

  it('the body is optional', async () => {
    const res = await post('/api/v1/incidents/inc-1/resolve');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'resolved', resolvedAt: '2026-11-26T10:00:30.000Z' });
    expect(res.json().timeline).toContainEqual({ at: '2026-11-26T10:00:30.000Z', kind: 'resolved', message: 'resolved by hand' });
    expect((await get('/api/v1/incidents/inc-1')).json().status).toBe('resolved');
  });

  describe('If-Match: the version the change is made from (docs/api.md ("Incidents"))', () => {
    const withIfMatch = (url: string, ifMatch: string) => app.inject({ method: 'POST', url, headers: { 'if-match': ifMatch } });

    it('a stale version is 409 incident_conflict naming the current one, and changes nothing; the current one goes through', async () => {
      const read = (await get('/api/v1/incidents/inc-1')).json();
      expect(read.version).toBe(1);
      const stale = await withIfMatch('/api/v1/incidents/inc-1/ack', '"0"');
      expect(stale.statusCode).toBe(409);
      expect(stale.json()).toEqual({
        error: {
          code: 'incident_conflict',
          message: 'Incident inc-1 is at version 1, not 0; re-read it and retry.',
          details: { version: 1 },
          requestId: expect.any(String),
        },
      });
      expect((await get('/api/v1/incidents/inc-1')).json()).toMatchObject({ status: 'open', version: 1 });
      const acked = await withIfMatch('/api/v1/incidents/inc-1/ack', '"1"');
      expect(acked.statusCode).toBe(200);
      expect(acked.json()).toMatchObject({ status: 'acknowledged', version: 2 });
      // The version the acknowledgement answered with, unquoted, resolves; the one before it no longer does.
      expect((await withIfMatch('/api/v1/incidents/inc-1/resolve', '1')).json().error.code).toBe('incident_conflict');
      expect((await withIfMatch('/api/v1/incidents/inc-1/resolve', '2')).json()).toMatchObject({ status: 'resolved', version: 3 });
    });

    for (const bad of ['"x"', '*', 'W/"1"', '"1", "2"', '-1', '']) {
      it(`refuses If-Match ${JSON.stringify(bad)} with 400 invalid_if_match`, async () => {
        const res = await withIfMatch('/api/v1/incidents/inc-1/ack', bad);
        expect(res.statusCode).toBe(400);
        expect(res.json().error.code).toBe('invalid_if_match');
        expect((await get('/api/v1/incidents/inc-1')).json()).toMatchObject({ status: 'open', version: 1 });
      });
    }
  });

  const refusals: { name: string; url: string; status: number; code: string; message: string }[] = [
    {
      name: 'resolving an incident resolved earlier',
      url: '/api/v1/incidents/inc-2/resolve',
      status: 409,
      code: 'invalid_transition',
      message: 'Incident inc-2 is resolved; it cannot be resolved now',
    },
    {
      name: 'acknowledging an acknowledged incident',
      url: '/api/v1/incidents/inc-3/ack',
      status: 409,
      code: 'invalid_transition',
      message: 'cannot acknowledge incident inc-3: it is acknowledged',
    },
    {
      name: 'acknowledging an unknown incident',
      url: '/api/v1/incidents/inc-9/ack',
      status: 404,
      code: 'incident_not_found',
      message: "No incident has the id 'inc-9'",
    },
  ];
  for (const r of refusals) {
    it(`passes on the service's refusal of ${r.name}: ${r.status} ${r.code}`, async () => {
      const res = await post(r.url, '{}');
      expect(res.statusCode).toBe(r.status);
      expect(res.json()).toEqual({ error: { code: r.code, message: r.message, requestId: expect.any(String) } });
    });
  }

  const badBodies: { body: string; code: string; message: RegExp }[] = [
    { body: '{"by":', code: 'invalid_json', message: /^The body is not valid JSON/ },
    { body: '["alice"]', code: 'invalid_query', message: /^body: expected an object/ },
    { body: '{"by": 42}', code: 'invalid_query', message: /^by: expected a non-empty string of at most 200 characters, got 42$/ },
  ];
  for (const b of badBodies) {
    it(`refuses the body ${b.body} and leaves the incident as it was`, async () => {
      const res = await post('/api/v1/incidents/inc-1/ack', b.body);
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe(b.code);
      expect(res.json().error.message).toMatch(b.message);
      const stored = (await get('/api/v1/incidents/inc-1')).json();
      expect([stored.status, stored.timeline.length]).toEqual(['open', 1]);
    });
  }
});

describe('GET /api/v1/incidents/:id/review', () => {
  it('answers the figures, durations and timeline as JSON, and as Markdown on Accept: text/markdown or ?format=md', async () => {
    const figures = {
      from: NOW - 20 * 60_000,
      to: NOW,
      peakBurnRate: 22,
      peakFailuresPerHour: 1200,
      peakCustomersAffected: 300,
      customersFailed: 340,
      failedAttempts: 410,
      valueLost: [{ amount: 1025, currency: 'GBP' }],
      firstFailureAt: NOW - 12 * 60_000,
      peakPriority: 'P1' as const,
    };
    const reviewed = sampleIncident('inc-review', {
      openedAt: NOW - 10 * 60_000,
      acknowledgedAt: NOW - 7 * 60_000,
      status: 'resolved',
      resolvedAt: NOW,
      figures,
    });
    await server.close();
    server = await startIncidentServer({ seed: { incidents: [reviewed], alerts: [sampleAlert(reviewed)] } });
    app = server.app;
    const json = await get('/api/v1/incidents/inc-review/review');
    expect(json.statusCode).toBe(200);
    expect(json.json()).toMatchObject({
      id: 'inc-review',
      figures: { customersFailed: 340, failedAttempts: 410, firstFailureAt: new Date(NOW - 12 * 60_000).toISOString() },
      durations: { timeToDetect: 120, timeToAcknowledge: 180, timeToResolve: 600, duration: 720 },
    });
    for (const res of [
      await app.inject({ method: 'GET', url: '/api/v1/incidents/inc-review/review', headers: { accept: 'text/markdown' } }),
      await get('/api/v1/incidents/inc-review/review?format=md'),
    ]) {
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/markdown/);
      expect(res.body).toMatch(/^# Incident review: /);
      expect(res.body).toContain('| Customers who failed | 340 |');
      expect(res.body).toContain('| Time to detect | 2 min |');
      expect(res.body).toContain('## Timeline');
    }
    expect((await get('/api/v1/incidents/nope/review')).json().error.code).toBe('incident_not_found');
    expect((await get('/api/v1/incidents/inc-review/review?format=pdf')).json().error.code).toBe('invalid_query');
  });
});
