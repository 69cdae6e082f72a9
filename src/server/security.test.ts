// The browser defences of docs/api.md ("Security") through the real server: media types, origins, Host names, headers.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type IncidentServer, sampleAlert, sampleIncident, startIncidentServer } from '../../test/helpers/incident-server.js';
import { hostName, requestPolicy } from './request-guard.js';
import { DASHBOARD_CSP, DEFAULT_CSP, SECURITY_HEADERS } from './security-headers.js';

const EVENT = JSON.stringify({ journey: 'wire-transfer', outcome: 'success', timestamp: '2026-11-26T10:00:00Z' });
const ALERT = JSON.stringify({ key: 'nagios/disk', summary: 'disk full', labels: { service: 'core-ledger' } });

let server: IncidentServer;
let app: FastifyInstance;

beforeAll(async () => {
  const incident = sampleIncident('inc-1');
  server = await startIncidentServer({
    seed: { incidents: [incident], alerts: [sampleAlert(incident)] },
    guard: { listenHost: '127.0.0.1', allowedHosts: ['vigil.bank.example'], allowedOrigins: ['https://portal.bank.example'] },
  });
  app = server.app;
});
afterAll(async () => server.close());

const post = (url: string, payload: string, headers: Record<string, string>) => app.inject({ method: 'POST', url, payload, headers });
const stored = async () => (await app.inject({ url: '/api/v1/incidents/inc-1' })).json();

describe('writing routes read only their media types', () => {
  it.each([
    ['/api/v1/events', EVENT, 'text/plain'],
    ['/api/v1/events', EVENT, 'application/x-www-form-urlencoded'],
    ['/api/v1/events', EVENT, 'multipart/form-data; boundary=x'],
    ['/api/v1/events', EVENT, ''],
    ['/api/v1/alerts', ALERT, 'text/plain'],
    ['/api/v1/alerts', ALERT, 'application/x-ndjson'],
    ['/api/v1/alerts/alertmanager', '{}', 'text/plain;charset=UTF-8'],
    ['/api/v1/alerts/grafana', '{}', 'application/x-www-form-urlencoded'],
    ['/api/v1/incidents/inc-1/ack', '{}', 'text/plain'],
    ['/api/v1/incidents/inc-1/resolve', '{"by":"x"}', 'application/ndjson'],
  ])('%s as %j is 415 and changes nothing', async (url, payload, type) => {
    const res = await post(url, payload, type === '' ? {} : { 'content-type': type });
    expect(res.statusCode).toBe(415);
    expect(res.json().error.code).toBe('unsupported_media_type');
    expect((await stored()).status).toBe('open');
    expect((await app.inject({ url: '/api/v1/incidents' })).json().incidents).toHaveLength(1);
  });

  it('still takes JSON and NDJSON events, JSON alerts, and an empty acknowledgement', async () => {
    expect((await post('/api/v1/events', EVENT, { 'content-type': 'application/json; charset=utf-8' })).statusCode).toBe(200);
    expect((await post('/api/v1/events', `${EVENT}\n`, { 'content-type': 'application/x-ndjson' })).statusCode).toBe(200);
    expect((await post('/api/v1/alerts', ALERT, { 'content-type': 'Application/JSON' })).json()).toMatchObject({ received: 1 });
    const ack = await app.inject({ method: 'POST', url: '/api/v1/incidents/inc-1/ack' });
    expect(ack.statusCode).toBe(200);
    expect(ack.json().status).toBe('acknowledged');
  });
});

describe('writes from another origin', () => {
  const json = { 'content-type': 'application/json' };
  it.each([
    ['http://127.0.0.1:9999', undefined],
    ['http://localhost:8080', undefined],
    ['https://localhost:443', undefined],
    ['https://evil.example', undefined],
    ['null', undefined],
    [undefined, 'cross-site'],
    [undefined, 'same-site'],
  ])('Origin %s / Sec-Fetch-Site %s: 403 cross_origin_refused', async (origin, site) => {
    const headers = { ...json, ...(origin && { origin }), ...(site && { 'sec-fetch-site': site }) };
    const res = await post('/api/v1/incidents/inc-1/resolve', '{}', headers);
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('cross_origin_refused');
    expect((await stored()).status).not.toBe('resolved');
  });

  it('the server’s own origin, a listed origin and no Origin at all may write; reads are never refused', async () => {
    expect((await post('/api/v1/events', EVENT, { ...json, origin: 'http://localhost:80' })).statusCode).toBe(200);
    expect(
      (await post('/api/v1/events', EVENT, { ...json, origin: 'https://portal.bank.example', 'sec-fetch-site': 'cross-site' })).statusCode,
    ).toBe(200);
    expect((await post('/api/v1/events', EVENT, { ...json, 'sec-fetch-site': 'same-origin' })).statusCode).toBe(200);
    expect((await app.inject({ url: '/api/v1/journeys', headers: { origin: 'https://evil.example' } })).statusCode).toBe(200);
  });
});

describe('Host names (DNS rebinding)', () => {
  it.each(['evil.example:8080', 'evil.example', '10.0.0.7:8080', 'localhost.evil.example', 'bad host'])(
    'Host %s: 421 host_not_allowed',
    async (host) => {
      const res = await app.inject({ url: '/api/v1/journeys', headers: { host } });
      expect(res.statusCode).toBe(421);
      expect(res.json().error.code).toBe('host_not_allowed');
    },
  );

  it.each(['localhost:8080', '127.0.0.1', '[::1]:8080', 'VIGIL.bank.example', 'vigil.bank.example.:443'])(
    'Host %s is answered',
    async (host) => {
      expect((await app.inject({ url: '/healthz', headers: { host } })).statusCode).toBe(200);
    },
  );

  it('a wildcard listen address admits any IP address, never an unlisted name', () => {
    const policy = requestPolicy({ listenHost: '0.0.0.0' });
    expect(['10.0.0.7:8080', '[fd00::1]:80', 'localhost'].map(policy.hostAllowed)).toEqual([true, true, true]);
    expect(policy.hostAllowed('evil.example')).toBe(false);
    expect(hostName('[::1]:8080')).toBe('::1');
    expect(hostName('a b')).toBeNull();
  });
});

describe('security headers', () => {
  it('on every answer, errors and 404s included; JSON gets the no-content policy', async () => {
    for (const res of [
      await app.inject({ url: '/api/v1/journeys' }),
      await app.inject({ url: '/nowhere' }),
      await app.inject({ url: '/healthz', headers: { host: 'evil.example' } }),
      await post('/api/v1/events', EVENT, { 'content-type': 'text/plain' }),
    ]) {
      for (const [name, value] of Object.entries(SECURITY_HEADERS)) expect(res.headers[name], `${res.statusCode} ${name}`).toBe(value);
      expect(res.headers['content-security-policy']).toBe(DEFAULT_CSP);
    }
  });

  it('the dashboard’s HTML gets the strict policy: own files only, no inline script, no framing', async () => {
    const res = await app.inject({ url: '/' });
    const csp = String(res.headers['content-security-policy']);
    expect(res.statusCode === 200 ? csp : DASHBOARD_CSP).toBe(DASHBOARD_CSP);
    expect(DASHBOARD_CSP).not.toContain('unsafe');
    expect(DASHBOARD_CSP).toContain("frame-ancestors 'none'");
  });
});
