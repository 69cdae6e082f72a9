import { describe, expect, it } from 'vitest';
import { parseGenericPayload } from './generic.js';

describe('parseGenericPayload', () => {
  it('reads one object with every field', () => {
    const result = parseGenericPayload({
      source: 'nagios',
      key: 'ledger-db-disk',
      status: 'firing',
      service: 'core-ledger',
      severity: 'critical',
      summary: 'core-ledger DB volume 96% full',
      labels: { host: 'ledger-db-02', team: 'ledger' },
      annotations: { runbook_url: 'https://runbooks.bank.example/disk' },
      startsAt: '2026-11-26T10:00:00Z',
    });
    expect(result).toEqual({
      ok: true,
      truncated: 0,
      alerts: [
        {
          source: 'generic',
          sourceKey: 'nagios/ledger-db-disk',
          status: 'firing',
          name: 'ledger-db-disk',
          summary: 'core-ledger DB volume 96% full',
          severity: 'critical',
          service: 'core-ledger',
          labels: { host: 'ledger-db-02', team: 'ledger' },
          annotations: { runbook_url: 'https://runbooks.bank.example/disk' },
          startsAt: Date.UTC(2026, 10, 26, 10),
          endsAt: null,
        },
      ],
    });
  });

  const cases: { name: string; body: unknown; expected: Record<string, unknown>[] }[] = [
    {
      name: 'only a key: firing, named and summarised by the key, no service',
      body: { key: 'k1' },
      expected: [
        {
          sourceKey: 'k1',
          status: 'firing',
          name: 'k1',
          summary: 'k1',
          severity: null,
          labels: {},
          annotations: {},
          startsAt: null,
          endsAt: null,
        },
      ],
    },
    {
      name: 'an array; endsAt without status means resolved; epoch milliseconds; alertname and severity labels',
      body: [
        { key: 'a', endsAt: 1795687260000, labels: { alertname: 'FraudQueueBacklog', severity: 'warning' } },
        { key: 'b', status: 'firing', endsAt: '2026-11-26T10:05:00Z', startsAt: 1795687200000 },
      ],
      expected: [
        {
          sourceKey: 'a',
          status: 'resolved',
          endsAt: 1795687260000,
          name: 'FraudQueueBacklog',
          summary: 'FraudQueueBacklog',
          severity: 'warning',
        },
        // A firing alert has no end: an expected end time is not a resolution.
        { sourceKey: 'b', status: 'firing', endsAt: null, startsAt: 1795687200000 },
      ],
    },
    {
      name: 'resolved with its end time',
      body: { key: 'c', status: 'resolved', startsAt: '2026-11-26T10:00:00+01:00', endsAt: '2026-11-26T10:30:00+01:00' },
      expected: [{ status: 'resolved', startsAt: Date.UTC(2026, 10, 26, 9), endsAt: Date.UTC(2026, 10, 26, 9, 30) }],
    },
    { name: 'an empty array', body: [], expected: [] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const result = parseGenericPayload(c.body);
      if (!result.ok) throw new Error(result.message);
      expect(result.alerts).toHaveLength(c.expected.length);
      c.expected.forEach((expected, i) => {
        expect(result.alerts[i]).toMatchObject({ source: 'generic', ...expected });
      });
    });
  }

  it('does not set service when the field is absent (labels decide later)', () => {
    const result = parseGenericPayload({ key: 'x', labels: { service: 'payments-api' } });
    expect(result.ok && 'service' in result.alerts[0]!).toBe(false);
  });

  const bad: { name: string; body: unknown; message: string }[] = [
    { name: 'a string', body: 'alert!', message: 'expected an alert object, got "alert!"' },
    { name: 'no key', body: { summary: 'disk full' }, message: 'key: missing; expected a non-empty string of at most 200 characters' },
    { name: 'blank key', body: { key: '   ' }, message: 'key: expected a non-empty string of at most 200 characters, got "   "' },
    { name: 'key too long', body: { key: 'k'.repeat(201) }, message: `key: expected at most 200 characters, got "${'k'.repeat(59)}…` },
    {
      name: 'unknown field, in an array item',
      body: [{ key: 'ok' }, { key: 'x', labels: {}, sevrity: 'critical' }],
      message:
        "[1]: unknown field 'sevrity'; an alert has only source, key, status, service, severity, summary, labels, annotations, startsAt, endsAt",
    },
    { name: 'bad status', body: { key: 'x', status: 'ok' }, message: `status: expected 'firing' or 'resolved', got "ok"` },
    { name: 'label not a string', body: [{ key: 'x', labels: { port: 443 } }], message: '[0].labels.port: expected a string, got 443' },
    {
      name: 'bad time',
      body: { key: 'x', startsAt: 'yesterday' },
      message: 'startsAt: expected an RFC 3339 time with a zone (2026-11-26T10:00:00Z) or whole epoch milliseconds, got "yesterday"',
    },
    { name: 'service null', body: { key: 'x', service: null }, message: 'service: expected a non-empty service name, got null' },
  ];
  for (const b of bad) {
    it(`refuses: ${b.name}`, () => {
      expect(parseGenericPayload(b.body)).toEqual({ ok: false, code: 'invalid_alert_payload', message: b.message });
    });
  }
});
