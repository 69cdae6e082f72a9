import { describe, expect, it } from 'vitest';
import { parseAlertmanagerPayload } from './alertmanager.js';
import { labelFingerprint } from './common.js';

/** A payload as Alertmanager 0.25 posts it to a webhook receiver: one group, one alert firing and one resolved. */
function payload(): Record<string, any> {
  return {
    receiver: 'vigil',
    status: 'firing',
    alerts: [
      {
        status: 'firing',
        labels: {
          alertname: 'PaymentsApiHighErrorRate',
          instance: 'payments-api-7d9f:8080',
          job: 'payments-api',
          namespace: 'payments',
          severity: 'critical',
        },
        annotations: {
          summary: 'payments-api 5xx ratio above 5%',
          description: '7.2% of requests fail',
          runbook_url: 'https://runbooks.bank.example/payments-5xx',
        },
        startsAt: '2026-11-26T09:58:12.345678901Z',
        endsAt: '0001-01-01T00:00:00Z',
        generatorURL: 'http://prometheus:9090/graph?g0.expr=job%3Apayments_5xx%3Aratio5m+%3E+0.05&g0.tab=1',
        fingerprint: '5f2d6a8e1c3b4d7f',
      },
      {
        status: 'resolved',
        labels: { alertname: 'CoreLedgerLatencyHigh', service: 'core-ledger', severity: 'warning' },
        annotations: { description: 'p99 above 2 s' },
        startsAt: '2026-11-26T10:58:00+01:00',
        endsAt: '2026-11-26T10:04:00.123Z',
        generatorURL: '',
        fingerprint: 'a1b2c3d4e5f60718',
      },
    ],
    groupLabels: { namespace: 'payments' },
    commonLabels: { namespace: 'payments' },
    commonAnnotations: {},
    externalURL: 'http://alertmanager.bank.example:9093',
    version: '4',
    groupKey: '{}/{severity=~"critical|warning"}:{namespace="payments"}',
    truncatedAlerts: 0,
  };
}

describe('parseAlertmanagerPayload', () => {
  it('reads a version 4 payload: fingerprint keys, Go zero time, summary and severity', () => {
    const result = parseAlertmanagerPayload(payload());
    expect(result).toEqual({
      ok: true,
      truncated: 0,
      alerts: [
        {
          source: 'alertmanager',
          sourceKey: '5f2d6a8e1c3b4d7f',
          status: 'firing',
          name: 'PaymentsApiHighErrorRate',
          summary: 'payments-api 5xx ratio above 5%',
          severity: 'critical',
          labels: {
            alertname: 'PaymentsApiHighErrorRate',
            instance: 'payments-api-7d9f:8080',
            job: 'payments-api',
            namespace: 'payments',
            severity: 'critical',
          },
          annotations: {
            summary: 'payments-api 5xx ratio above 5%',
            description: '7.2% of requests fail',
            runbook_url: 'https://runbooks.bank.example/payments-5xx',
          },
          startsAt: Date.UTC(2026, 10, 26, 9, 58, 12, 345),
          endsAt: null,
          generatorUrl: 'http://prometheus:9090/graph?g0.expr=job%3Apayments_5xx%3Aratio5m+%3E+0.05&g0.tab=1',
        },
        {
          source: 'alertmanager',
          sourceKey: 'a1b2c3d4e5f60718',
          status: 'resolved',
          name: 'CoreLedgerLatencyHigh',
          summary: 'p99 above 2 s',
          severity: 'warning',
          labels: { alertname: 'CoreLedgerLatencyHigh', service: 'core-ledger', severity: 'warning' },
          annotations: { description: 'p99 above 2 s' },
          startsAt: Date.UTC(2026, 10, 26, 9, 58),
          endsAt: Date.UTC(2026, 10, 26, 10, 4, 0, 123),
        },
      ],
    });
  });

  const variants: { name: string; change: (p: Record<string, any>) => void; check: (alerts: any[], truncated: number) => void }[] = [
    {
      name: 'truncatedAlerts > 0 is accepted and reported',
      change: (p) => {
        p.truncatedAlerts = 12;
      },
      check: (alerts, truncated) => {
        expect(truncated).toBe(12);
        expect(alerts).toHaveLength(2);
      },
    },
    {
      name: 'unknown fields anywhere are ignored',
      change: (p) => {
        p.newTopLevelThing = { x: 1 };
        p.alerts[0].someFutureField = [1, 2];
      },
      check: (alerts) => expect(alerts[0].sourceKey).toBe('5f2d6a8e1c3b4d7f'),
    },
    {
      name: 'no fingerprint: a hash of the sorted labels, the same whatever their order',
      change: (p) => {
        delete p.alerts[0].fingerprint;
        p.alerts[1].fingerprint = '';
        p.alerts[1].labels = { severity: 'warning', service: 'core-ledger', alertname: 'CoreLedgerLatencyHigh' };
      },
      check: (alerts) => {
        expect(alerts[0].sourceKey).toBe(labelFingerprint(payload().alerts[0].labels));
        expect(alerts[1].sourceKey).toBe(
          labelFingerprint({ alertname: 'CoreLedgerLatencyHigh', service: 'core-ledger', severity: 'warning' }),
        );
        expect(alerts[0].sourceKey).toMatch(/^[0-9a-f]{16}$/);
        expect(alerts[0].sourceKey).not.toBe(alerts[1].sourceKey);
      },
    },
    {
      name: 'summary falls back to description, message, then the alert name; no severity label → null',
      change: (p) => {
        p.alerts[0].annotations = { message: 'queue depth 10k' };
        p.alerts[0].labels = { alertname: 'QueueDepth', job: 'fraud-check' };
        p.alerts[1].annotations = { summary: '  ' };
        delete p.alerts[1].labels.severity;
      },
      check: (alerts) => {
        expect(alerts.map((a) => a.summary)).toEqual(['queue depth 10k', 'CoreLedgerLatencyHigh']);
        expect(alerts[0].severity).toBeNull();
        expect(alerts[1].severity).toBeNull();
      },
    },
    {
      name: 'missing annotations, startsAt and endsAt; version omitted',
      change: (p) => {
        delete p.version;
        delete p.alerts[0].annotations;
        delete p.alerts[0].startsAt;
        delete p.alerts[1].endsAt;
      },
      check: (alerts) => {
        expect(alerts[0]).toMatchObject({ annotations: {}, startsAt: null, summary: 'PaymentsApiHighErrorRate' });
        expect(alerts[1]).toMatchObject({ status: 'resolved', endsAt: null });
      },
    },
    {
      name: 'an empty alerts array parses to no alerts',
      change: (p) => {
        p.alerts = [];
      },
      check: (alerts) => expect(alerts).toEqual([]),
    },
  ];
  for (const v of variants) {
    it(v.name, () => {
      const body = payload();
      v.change(body);
      const result = parseAlertmanagerPayload(body);
      if (!result.ok) throw new Error(result.message);
      v.check(result.alerts, result.truncated);
    });
  }

  const bad: { name: string; change: (p: Record<string, any>) => unknown; message: string }[] = [
    {
      name: 'not an object',
      change: () => [1, 2],
      message: 'expected an Alertmanager webhook payload (an object with alerts), got an array',
    },
    { name: 'no alerts', change: (p) => delete p.alerts, message: 'alerts: missing; expected an array of alerts' },
    {
      name: 'another payload version',
      change: (p) => (p.version = '5'),
      message: 'version: expected "4" (Alertmanager webhook payload version 4), got "5"',
    },
    {
      name: 'alert status unknown',
      change: (p) => (p.alerts[1].status = 'pending'),
      message: `alerts[1].status: expected 'firing' or 'resolved', got "pending"`,
    },
    {
      name: 'label value not a string',
      change: (p) => (p.alerts[0].labels.port = 8080),
      message: 'alerts[0].labels.port: expected a string, got 8080',
    },
    {
      name: 'labels missing',
      change: (p) => delete p.alerts[0].labels,
      message: 'alerts[0].labels: missing; expected an object of string values',
    },
    {
      name: 'bad startsAt',
      change: (p) => (p.alerts[0].startsAt = '26/11/2026 09:58'),
      message: 'alerts[0].startsAt: expected an RFC 3339 time with a zone such as 2026-11-26T10:00:00Z, got "26/11/2026 09:58"',
    },
    {
      name: 'negative truncatedAlerts',
      change: (p) => (p.truncatedAlerts = -1),
      message: 'truncatedAlerts: expected a whole number ≥ 0, got -1',
    },
  ];
  for (const b of bad) {
    it(`refuses: ${b.name}`, () => {
      const body = payload();
      const changed = b.change(body);
      const result = parseAlertmanagerPayload(Array.isArray(changed) ? changed : body);
      expect(result).toEqual({ ok: false, code: 'invalid_alert_payload', message: b.message });
    });
  }
});
