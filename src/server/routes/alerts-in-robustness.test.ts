// Hostile and broken alert payloads over the real server and IncidentManager: coded 400s, never 500s, and a
// failed alerting transaction leaves memory exactly as the store has it, on SQLite and PostgreSQL.
import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { type IncidentServer, NOW, startIncidentServer } from '../../../test/helpers/incident-server.js';
import { MAX_JSON_DEPTH } from '../json-body.js';

const pgUrl = process.env.VIGIL_TEST_DATABASE_URL;
if (!pgUrl && process.env.CI === 'true') throw new Error('CI must provide VIGIL_TEST_DATABASE_URL for the PostgreSQL tests');

let server: IncidentServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const inject = (url: string, payload: string | Buffer, contentType = 'application/json') =>
  server!.app.inject({ method: 'POST', url, payload, headers: { 'content-type': contentType } });

const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();
const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
const alertmanager = (alert: Record<string, unknown>) =>
  JSON.stringify({
    version: '4',
    alerts: [{ status: 'firing', labels: { alertname: 'LedgerDown', service: 'core-ledger' }, fingerprint: 'f1', ...alert }],
  });
const grafana = (alert: Record<string, unknown>) =>
  JSON.stringify({ version: '1', alerts: [{ status: 'firing', labels: { alertname: 'HighMemory' }, fingerprint: 'g1', ...alert }] });
const generic = (alert: Record<string, unknown>) => JSON.stringify({ key: 'disk-full', service: 'core-ledger', ...alert });

interface Refusal {
  name: string;
  url: string;
  body: string | Buffer;
  code: string;
  message: string | RegExp;
}

const refusals: Refusal[] = [
  // (a) depth
  {
    name: 'an annotation nested 100,000 deep',
    url: '/api/v1/alerts',
    body: `{"key":"deep","annotations":{"x":${nested(100_000)}}}`,
    code: 'invalid_json',
    message: `The body is nested deeper than ${MAX_JSON_DEPTH} levels (at annotations.x${'[0]'.repeat(MAX_JSON_DEPTH - 2)})`,
  },
  {
    name: `a body nested ${MAX_JSON_DEPTH + 1} deep`,
    url: '/api/v1/alerts/alertmanager',
    body: nested(MAX_JSON_DEPTH + 1),
    code: 'invalid_json',
    message: /nested deeper than 64 levels/,
  },
  // (b) times
  {
    name: 'epoch 1e300',
    url: '/api/v1/alerts',
    body: generic({ startsAt: 1e300 }),
    code: 'invalid_alert_payload',
    message: 'startsAt: expected an RFC 3339 time with a zone (2026-11-26T10:00:00Z) or whole epoch milliseconds, got 1e+300',
  },
  {
    name: 'a fractional epoch',
    url: '/api/v1/alerts',
    body: generic({ startsAt: NOW - 0.5 }),
    code: 'invalid_alert_payload',
    message: /^startsAt: expected .* whole epoch milliseconds, got 1795687229999\.5$/,
  },
  {
    name: 'a generic alert dated year 0001',
    url: '/api/v1/alerts',
    body: generic({ startsAt: '0001-01-01T00:00:01Z' }),
    code: 'invalid_alert_payload',
    message: 'startsAt: 0001-01-01T00:00:01.000Z is more than 366 days before the server clock',
  },
  {
    name: 'an Alertmanager alert dated year 9999',
    url: '/api/v1/alerts/alertmanager',
    body: alertmanager({ startsAt: '9999-12-31T23:59:59Z' }),
    code: 'invalid_alert_payload',
    message: 'alerts[0].startsAt: 9999-12-31T23:59:59.000Z is more than 5 minutes ahead of the server clock',
  },
  {
    name: 'a Grafana alert starting 6 minutes ahead',
    url: '/api/v1/alerts/grafana',
    body: grafana({ startsAt: iso(NOW + 6 * 60_000) }),
    code: 'invalid_alert_payload',
    message: /^alerts\[0\]\.startsAt: .* is more than 5 minutes ahead of the server clock$/,
  },
  {
    name: 'a resolved alert ending before it started',
    url: '/api/v1/alerts',
    body: `[${generic({ key: 'ok' })},${generic({ status: 'resolved', startsAt: iso(NOW - 60_000), endsAt: iso(NOW - 120_000) })}]`,
    code: 'invalid_alert_payload',
    message: `[1].endsAt: ${iso(NOW - 120_000)} is before startsAt (${iso(NOW - 60_000)})`,
  },
  {
    name: 'a resolved Alertmanager alert ending in year 9999',
    url: '/api/v1/alerts/alertmanager',
    body: alertmanager({ status: 'resolved', startsAt: iso(NOW - 60_000), endsAt: '9999-01-01T00:00:00Z' }),
    code: 'invalid_alert_payload',
    message: 'alerts[0].endsAt: 9999-01-01T00:00:00.000Z is more than 5 minutes ahead of the server clock',
  },
  // (c) labels and annotations
  {
    name: 'a numeric label',
    url: '/api/v1/alerts/grafana',
    body: grafana({ labels: { alertname: 'HighMemory', port: 443 } }),
    code: 'invalid_alert_payload',
    message: 'alerts[0].labels.port: expected a string, got 443',
  },
  {
    name: 'an object annotation',
    url: '/api/v1/alerts',
    body: generic({ annotations: { runbook: { url: 'x' } } }),
    code: 'invalid_alert_payload',
    message: 'annotations.runbook: expected a string, got an object',
  },
  {
    name: 'a label named __proto__',
    url: '/api/v1/alerts',
    body: '{"key":"disk-full","labels":{"__proto__":"x","team":"core"}}',
    code: 'invalid_alert_payload',
    message: "labels.__proto__: the key '__proto__' is not allowed",
  },
  {
    name: 'a label named constructor',
    url: '/api/v1/alerts/alertmanager',
    body: alertmanager({ labels: { alertname: 'LedgerDown', constructor: 'x' } }),
    code: 'invalid_alert_payload',
    message: "alerts[0].labels.constructor: the name 'constructor' is reserved; rename the label",
  },
  {
    name: 'an annotation named prototype',
    url: '/api/v1/alerts/grafana',
    body: grafana({ annotations: { prototype: 'x' } }),
    code: 'invalid_alert_payload',
    message: "alerts[0].annotations.prototype: the name 'prototype' is reserved; rename the label",
  },
  {
    name: 'a label value of 2,049 characters',
    url: '/api/v1/alerts',
    body: generic({ labels: { team: 'x'.repeat(2049) } }),
    code: 'invalid_alert_payload',
    message: 'labels.team: expected a string of at most 2048 characters',
  },
  {
    name: 'a label name of 201 characters',
    url: '/api/v1/alerts',
    body: generic({ labels: { ['n'.repeat(201)]: 'x' } }),
    code: 'invalid_alert_payload',
    message: `labels.${'n'.repeat(201)}: expected a name of at most 200 characters`,
  },
  // (d) invalid UTF-8
  {
    name: 'invalid UTF-8 in a key',
    url: '/api/v1/alerts',
    body: Buffer.concat([Buffer.from('{"key":"disk-'), Buffer.from([0xff]), Buffer.from('"}')]),
    code: 'invalid_json',
    message: 'The body is not valid UTF-8 (at or after byte 13); send UTF-8 text',
  },
  {
    name: 'a truncated UTF-8 sequence',
    url: '/api/v1/alerts/alertmanager',
    body: Buffer.concat([Buffer.from('{"alerts":[],"x":"caf'), Buffer.from([0xc3])]),
    code: 'invalid_json',
    message: /^The body is not valid UTF-8/,
  },
];

describe('alert payloads refused with a code, nothing stored', () => {
  it.each(refusals)('$name: 400 $code', async ({ url, body, code, message }) => {
    server = await startIncidentServer();
    const res = await inject(url, body);
    expect(res.statusCode).toBe(400);
    const { error } = res.json();
    expect(error.code).toBe(code);
    if (typeof message === 'string') expect(error.message).toBe(message);
    else expect(error.message).toMatch(message);
    expect((await server.manager!.stats(0, NOW + DAY)).alertsReceived).toBe(0);
    expect((await server.app.inject('/api/v1/services')).json().services.every((s: { firingAlerts: number }) => s.firingAlerts === 0)).toBe(
      true,
    );
  });

  it.each([
    ['an alert that started 365 days ago', '/api/v1/alerts', generic({ startsAt: iso(NOW - 365 * DAY) })],
    ['an alert starting 4 minutes ahead (clock skew)', '/api/v1/alerts', generic({ startsAt: NOW + 4 * 60_000 })],
    ['a firing Alertmanager alert with Go zero endsAt', '/api/v1/alerts/alertmanager', alertmanager({ endsAt: '0001-01-01T00:00:00Z' })],
    ['a label value of 2,048 characters', '/api/v1/alerts', generic({ labels: { team: 'x'.repeat(2048) } })],
    [
      `a body nested ${MAX_JSON_DEPTH} deep`,
      '/api/v1/alerts/alertmanager',
      `{"version":"4","alerts":[],"x":${nested(MAX_JSON_DEPTH - 1)}}`,
    ],
    ['UTF-8 text beyond ASCII', '/api/v1/alerts', generic({ summary: 'Zahlungsverkehr gestört 💳' })],
  ])('accepts %s', async (_name, url, body) => {
    server = await startIncidentServer();
    const res = await inject(url, body);
    expect(res.statusCode).toBe(200);
  });

  it('events with invalid UTF-8 are refused whole, so two ids differing in a bad byte never collapse into one', async () => {
    server = await startIncidentServer();
    const event = (bad: number) =>
      Buffer.concat([
        Buffer.from('{"id":"evt-'),
        Buffer.from([bad]),
        Buffer.from(`","journey":"login","outcome":"success","timestamp":"${iso(NOW - 1000)}"}`),
      ]);
    const res = await inject('/api/v1/events', Buffer.concat([event(0xfe), Buffer.from('\n'), event(0xff)]), 'application/x-ndjson');
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'invalid_json', message: expect.stringMatching(/^The body is not valid UTF-8/) });
  });
});

/** A real database trigger refusing any incident that names the alert key `poison`: a save that fails mid-way. */
const poison = {
  sqlite: (location: string) => {
    const db = new Database(location);
    db.exec(
      `CREATE TRIGGER test_poison BEFORE INSERT ON incidents WHEN NEW.data LIKE '%poison%' BEGIN SELECT RAISE(ABORT, 'refused by the test trigger'); END;`,
    );
    db.close();
  },
  postgres: async (admin: pg.Pool, schema: string) => {
    await admin.query(`
      CREATE FUNCTION ${schema}.test_poison() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.data::text LIKE '%poison%' THEN RAISE EXCEPTION 'refused by the test trigger'; END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER test_poison BEFORE INSERT ON ${schema}.incidents FOR EACH ROW EXECUTE FUNCTION ${schema}.test_poison();`);
  },
};

const admin = pgUrl ? new pg.Pool({ connectionString: pgUrl, max: 2 }) : undefined;
const schemas: string[] = [];
afterAll(async () => {
  for (const schema of schemas) await admin!.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await admin?.end();
});

/** The events table renamed away and back: measuring an incident's impact, before any save, fails meanwhile. */
type Rename = (from: string, to: string) => Promise<void>;

const backends: { name: string; start: () => Promise<IncidentServer & { rename: Rename }> }[] = [
  {
    name: 'SQLite',
    start: async () => {
      const started = await startIncidentServer();
      poison.sqlite(started.location);
      const rename: Rename = async (from, to) => {
        const db = new Database(started.location);
        db.exec(`ALTER TABLE ${from} RENAME TO ${to}`);
        db.close();
      };
      return { ...started, rename };
    },
  },
  ...(pgUrl
    ? [
        {
          name: 'PostgreSQL',
          start: async () => {
            const schema = `vigil_alerts_${process.pid}_${randomBytes(4).toString('hex')}`;
            await admin!.query(`CREATE SCHEMA ${schema}`);
            schemas.push(schema);
            const started = await startIncidentServer({ database: { location: pgUrl, schema } });
            await poison.postgres(admin!, schema);
            const rename: Rename = async (from, to) => {
              await admin!.query(`ALTER TABLE ${schema}.${from} RENAME TO ${to}`);
            };
            return { ...started, rename };
          },
        },
      ]
    : []),
];

const firing = async () =>
  (await server!.app.inject('/api/v1/services')).json().services.find((s: { name: string }) => s.name === 'core-ledger').firingAlerts;

describe.each(backends)('a failed alerting transaction on $name', ({ start }) => {
  it('a failure before the save (measuring impact) leaves no ghost, and later alerts succeed', async () => {
    const started = await start();
    server = started;
    await started.rename('events', 'events_away');
    const refused = await inject('/api/v1/alerts', generic({ source: 'nagios', key: 'ghost', startsAt: iso(NOW - 60_000) }));
    expect(refused.statusCode).toBe(500);
    expect(refused.json().error.code).toBe('internal_error');
    expect(await firing()).toBe(0);
    expect(server.manager!.firingTechnicalAlerts()).toEqual([]);
    expect(await server.store.alerting.incidents({})).toEqual([]);

    await started.rename('events_away', 'events');
    const later = await inject('/api/v1/alerts', generic({ source: 'nagios', key: 'ledger', startsAt: iso(NOW - 60_000) }));
    expect(later.statusCode).toBe(200);
    expect(await firing()).toBe(1);
    expect(await server.store.alerting.alert('generic:nagios/ghost')).toBeNull();
  });

  it('a save refused mid-way leaves no ghost in memory, and the next alerts for the journey all succeed', async () => {
    server = await start();

    const refused = await inject('/api/v1/alerts', generic({ source: 'nagios', key: 'poison', startsAt: iso(NOW - 60_000) }));
    expect(refused.statusCode).toBe(500);
    expect(refused.json().error.code).toBe('internal_error');
    expect(await server.store.alerting.alert('generic:nagios/poison')).toBeNull();
    expect(await firing()).toBe(0);
    expect(server.manager!.firingTechnicalAlerts()).toEqual([]);

    const answers = [];
    for (let i = 0; i < 8; i++) {
      answers.push(
        (await inject('/api/v1/alerts', generic({ source: 'nagios', key: `ledger-${i}`, startsAt: iso(NOW - 60_000) }))).statusCode,
      );
    }
    expect(answers).toEqual(Array(8).fill(200));
    for (let i = 0; i < 8; i++) expect(await server.store.alerting.alert(`generic:nagios/ledger-${i}`)).toMatchObject({ status: 'firing' });
    expect(await firing()).toBe(8);
    const open = await server.store.alerting.incidents({ status: ['open'] });
    expect(open).toHaveLength(1);
    expect(open[0]!.alertKeys).not.toContain('generic:nagios/poison');
  });
});
