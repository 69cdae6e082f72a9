// The alert webhooks over the real IncidentManager and a SQLite store (docs/alerting.md, Webhooks in).
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type IncidentServer, NOW, startIncidentServer } from '../../../test/helpers/incident-server.js';

let server: IncidentServer;
let app: FastifyInstance;

beforeEach(async () => {
  server = await startIncidentServer();
  app = server.app;
});
afterEach(async () => server.close());

/** Alerts the store holds (first received up to now). */
const alertsStored = async () => (await server.manager!.stats(0, NOW + 1)).alertsReceived;
const INCIDENT_ID = /^inc-[0-9a-f]{8}$/;

const post = (url: string, payload: string, contentType = 'application/json') =>
  app.inject({ method: 'POST', url, payload, headers: { 'content-type': contentType } });

const alertmanagerBody = (alerts: unknown[], truncatedAlerts = 0) =>
  JSON.stringify({
    receiver: 'vigil',
    status: 'firing',
    alerts,
    groupLabels: { alertname: 'CoreLedgerDown' },
    commonLabels: { alertname: 'CoreLedgerDown', service: 'core-ledger' },
    commonAnnotations: {},
    externalURL: 'http://alertmanager:9093',
    version: '4',
    groupKey: '{}:{alertname="CoreLedgerDown"}',
    truncatedAlerts,
  });

const ledgerDown = (fingerprint: string, instance: string) => ({
  status: 'firing',
  labels: { alertname: 'CoreLedgerDown', service: 'core-ledger', instance, severity: 'critical' },
  annotations: { summary: `core-ledger ${instance} is down` },
  startsAt: '2026-11-26T09:59:00Z',
  endsAt: '0001-01-01T00:00:00Z',
  generatorURL: 'http://prometheus:9090/graph',
  fingerprint,
});

describe('POST /api/v1/alerts/alertmanager', () => {
  it('stores every parsed alert with the receipt time, opens one incident, and answers the summary with truncated', async () => {
    const res = await post(
      '/api/v1/alerts/alertmanager',
      alertmanagerBody([ledgerDown('aa01', 'ledger-1:9100'), ledgerDown('aa02', 'ledger-2:9100')], 3),
    );
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ received: 2, created: 2, updated: 0, incidents: [expect.stringMatching(INCIDENT_ID)], truncated: 3 });
    const stored = await Promise.all(['alertmanager:aa01', 'alertmanager:aa02'].map((key) => server.store.alerting.alert(key)));
    expect(stored.map((a) => a && [a.status, a.summary, a.startsAt, a.endsAt, a.firstReceivedAt, a.incidentId])).toEqual([
      ['firing', 'core-ledger ledger-1:9100 is down', Date.parse('2026-11-26T09:59:00Z'), null, NOW, res.json().incidents[0]],
      ['firing', 'core-ledger ledger-2:9100 is down', Date.parse('2026-11-26T09:59:00Z'), null, NOW, res.json().incidents[0]],
    ]);
    // core-ledger serves the confirm step of wire-transfer.
    expect((await server.store.alerting.incident(res.json().incidents[0]))?.stages).toEqual([
      { journey: 'wire-transfer', step: 'confirm' },
    ]);
  });

  it('a re-sent alert is reported as updated, in the same incident', async () => {
    const first = await post('/api/v1/alerts/alertmanager', alertmanagerBody([ledgerDown('aa01', 'ledger-1:9100')]));
    const again = await post('/api/v1/alerts/alertmanager', alertmanagerBody([ledgerDown('aa01', 'ledger-1:9100')]));
    expect(again.json()).toMatchObject({ received: 1, created: 0, updated: 1, truncated: 0 });
    expect(await alertsStored()).toBe(1);
    expect((await server.store.alerting.alert('alertmanager:aa01'))?.incidentId).toBe(first.json().incidents[0]);
  });

  it('one malformed alert refuses the whole payload with 400 and nothing is stored', async () => {
    const broken = { ...ledgerDown('aa03', 'ledger-3:9100'), startsAt: 'now' };
    const res = await post('/api/v1/alerts/alertmanager', alertmanagerBody([ledgerDown('aa04', 'ledger-4:9100'), broken]));
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({
      error: {
        code: 'invalid_alert_payload',
        message: 'alerts[1].startsAt: expected an RFC 3339 time with a zone such as 2026-11-26T10:00:00Z, got "now"',
        requestId: expect.any(String),
      },
    });
    expect(await alertsStored()).toBe(0);
  });

  it('a label no store can keep (a NUL character) refuses the payload, naming where it is', async () => {
    const bad = { ...ledgerDown('aa05', 'ledger-5:9100'), fingerprint: 'aa\u000005' };
    const res = await post('/api/v1/alerts/alertmanager', alertmanagerBody([bad]));
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'invalid_alert_payload', message: expect.stringContaining('alerts[0].fingerprint') });
    expect(await alertsStored()).toBe(0);
  });

  const notJson: { name: string; body: string }[] = [
    { name: 'truncated JSON', body: '{"alerts": [' },
    { name: 'an empty body', body: '' },
  ];
  for (const c of notJson) {
    it(`${c.name} is invalid_json`, async () => {
      const res = await post('/api/v1/alerts/alertmanager', c.body);
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('invalid_json');
      expect(await alertsStored()).toBe(0);
    });
  }
});

describe('POST /api/v1/alerts/grafana', () => {
  it('accepts the unified alerting payload', async () => {
    const body = {
      receiver: 'vigil',
      status: 'firing',
      orgId: 1,
      alerts: [
        {
          status: 'firing',
          labels: { alertname: 'Fraud check timeouts', service_name: 'fraud-check' },
          annotations: { summary: 'fraud-check timeouts above 2%' },
          startsAt: '2026-11-26T10:51:03.157+01:00',
          endsAt: '0001-01-01T00:00:00Z',
          generatorURL: '',
          fingerprint: 'c6eadffa33fcdf37',
          silenceURL: '',
          dashboardURL: '',
          panelURL: '',
          values: { B: 0.023 },
        },
      ],
      version: '1',
      groupKey: '{}:{}',
      truncatedAlerts: 0,
      title: '[FIRING:1] Fraud',
      state: 'alerting',
      message: '',
    };
    const res = await post('/api/v1/alerts/grafana', JSON.stringify(body));
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ received: 1, created: 1, updated: 0, incidents: [expect.stringMatching(INCIDENT_ID)], truncated: 0 });
    expect(await server.store.alerting.alert('grafana:c6eadffa33fcdf37')).toMatchObject({
      source: 'grafana',
      service: 'fraud-check',
      startsAt: Date.UTC(2026, 10, 26, 9, 51, 3, 157),
      stages: [{ journey: 'wire-transfer', step: 'initiate' }],
    });
  });

  it('refuses a legacy dashboard alert', async () => {
    const res = await post('/api/v1/alerts/grafana', JSON.stringify({ ruleName: 'High CPU', state: 'alerting', evalMatches: [] }));
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('invalid_alert_payload');
    expect(res.json().error.message).toMatch(/^alerts: missing; expected an array of alerts/);
  });
});

describe('POST /api/v1/alerts (generic)', () => {
  it('takes one object; the answer has no truncated field', async () => {
    const res = await post(
      '/api/v1/alerts',
      JSON.stringify({ source: 'nagios', key: 'ledger-db-disk', service: 'core-ledger', summary: 'Disk 96% full' }),
    );
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ received: 1, created: 1, updated: 0, incidents: [expect.stringMatching(INCIDENT_ID)] });
    expect(await server.store.alerting.alert('generic:nagios/ledger-db-disk')).toMatchObject({
      source: 'generic',
      service: 'core-ledger',
      summary: 'Disk 96% full',
      firstReceivedAt: NOW,
    });
  });

  it('takes an array, and refuses it as text/plain (a type another origin can send without asking)', async () => {
    const body = JSON.stringify([{ key: 'a' }, { key: 'b', status: 'resolved' }]);
    const refused = await post('/api/v1/alerts', body, 'text/plain');
    expect(refused.statusCode).toBe(415);
    expect(await alertsStored()).toBe(0);
    const res = await post('/api/v1/alerts', body);
    expect(res.json()).toMatchObject({ received: 2, created: 2, updated: 0 });
    expect((await server.store.alerting.alert('generic:b'))?.status).toBe('resolved');
  });

  it('names the failing item and field', async () => {
    const res = await post('/api/v1/alerts', JSON.stringify([{ key: 'a' }, { key: 'b', labels: { port: 443 } }]));
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({
      error: { code: 'invalid_alert_payload', message: '[1].labels.port: expected a string, got 443', requestId: expect.any(String) },
    });
    expect(await alertsStored()).toBe(0);
  });

  it('leaves GET /api/v1/alerts (SLO alerts firing now) as it was', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/v1/alerts' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ at: new Date(NOW).toISOString(), alerts: [] });
  });
});

describe('without an incident service', () => {
  it('does not serve the alert webhooks', async () => {
    const bare = await startIncidentServer({ withIncidents: false });
    try {
      const res = await bare.app.inject({
        method: 'POST',
        url: '/api/v1/alerts/alertmanager',
        payload: alertmanagerBody([]),
        headers: { 'content-type': 'application/json' },
      });
      expect(res.statusCode).toBe(404);
      expect(res.json().error.code).toBe('route_not_found');
    } finally {
      await bare.close();
    }
  });
});
