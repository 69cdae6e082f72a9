import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { NOW, RecordingIncidentService, startRouteServer } from './recording-incidents.test-suite.js';

const service = new RecordingIncidentService();
let app: FastifyInstance;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ app, close } = await startRouteServer(service));
});
afterAll(async () => close());
beforeEach(() => {
  service.calls.length = 0;
});

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
  it('hands every parsed alert to the incident service with the receipt time, and answers its summary with truncated', async () => {
    const res = await post(
      '/api/v1/alerts/alertmanager',
      alertmanagerBody([ledgerDown('aa01', 'ledger-1:9100'), ledgerDown('aa02', 'ledger-2:9100')], 3),
    );
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ received: 2, created: 2, updated: 0, incidents: [], truncated: 3 });
    expect(service.calls).toHaveLength(1);
    const call = service.calls[0]!;
    expect(call.method).toBe('receiveAlerts');
    if (call.method !== 'receiveAlerts') return;
    expect(call.receivedAt).toBe(NOW);
    expect(call.alerts.map((a) => [a.source, a.sourceKey, a.status, a.summary, a.startsAt, a.endsAt])).toEqual([
      ['alertmanager', 'aa01', 'firing', 'core-ledger ledger-1:9100 is down', Date.parse('2026-11-26T09:59:00Z'), null],
      ['alertmanager', 'aa02', 'firing', 'core-ledger ledger-2:9100 is down', Date.parse('2026-11-26T09:59:00Z'), null],
    ]);
  });

  it('a re-sent alert is reported as updated by the service', async () => {
    const res = await post('/api/v1/alerts/alertmanager', alertmanagerBody([ledgerDown('aa01', 'ledger-1:9100')]));
    expect(res.json()).toMatchObject({ received: 1, created: 0, updated: 1, truncated: 0 });
  });

  it('one malformed alert refuses the whole payload with 400 and nothing reaches the service', async () => {
    const broken = { ...ledgerDown('aa03', 'ledger-3:9100'), startsAt: 'now' };
    const res = await post('/api/v1/alerts/alertmanager', alertmanagerBody([ledgerDown('aa04', 'ledger-4:9100'), broken]));
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({
      error: {
        code: 'invalid_alert_payload',
        message: 'alerts[1].startsAt: expected an RFC 3339 time with a zone such as 2026-11-26T10:00:00Z, got "now"',
      },
    });
    expect(service.calls).toEqual([]);
  });

  it('a label no store can keep (a NUL character) refuses the payload, naming where it is', async () => {
    const bad = { ...ledgerDown('aa05', 'ledger-5:9100'), fingerprint: 'aa\u000005' };
    const res = await post('/api/v1/alerts/alertmanager', alertmanagerBody([bad]));
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'invalid_alert_payload', message: expect.stringContaining('alerts[0].fingerprint') });
    expect(service.calls).toEqual([]);
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
      expect(service.calls).toEqual([]);
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
    expect(res.json()).toEqual({ received: 1, created: 1, updated: 0, incidents: [], truncated: 0 });
    const call = service.calls[0];
    expect(call?.method === 'receiveAlerts' && call.alerts[0]).toMatchObject({
      source: 'grafana',
      sourceKey: 'c6eadffa33fcdf37',
      startsAt: Date.UTC(2026, 10, 26, 9, 51, 3, 157),
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
    expect(res.json()).toEqual({ received: 1, created: 1, updated: 0, incidents: [] });
    const call = service.calls[0];
    expect(call?.method === 'receiveAlerts' && call.alerts[0]).toMatchObject({
      source: 'generic',
      sourceKey: 'nagios/ledger-db-disk',
      service: 'core-ledger',
    });
  });

  it('takes an array, whatever the content type says', async () => {
    const res = await post('/api/v1/alerts', JSON.stringify([{ key: 'a' }, { key: 'b', status: 'resolved' }]), 'text/plain');
    expect(res.json()).toMatchObject({ received: 2, created: 2 });
  });

  it('names the failing item and field', async () => {
    const res = await post('/api/v1/alerts', JSON.stringify([{ key: 'a' }, { key: 'b', labels: { port: 443 } }]));
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ error: { code: 'invalid_alert_payload', message: '[1].labels.port: expected a string, got 443' } });
    expect(service.calls).toEqual([]);
  });

  it('leaves GET /api/v1/alerts (SLO alerts firing now) as it was', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/v1/alerts' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ at: new Date(NOW).toISOString(), alerts: [] });
  });
});

describe('without an incident service', () => {
  it('does not serve the alert webhooks', async () => {
    const bare = await startRouteServer(undefined);
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
