/**
 * docs/api.md ("Security") in a real Chromium: a page served from another loopback port tries every write a
 * browser lets it send without a preflight (text/plain and Blob bodies with `no-cors`, OTLP traces, a form, a JSON call)
 * against a real `vigil serve`; the API shows afterwards that nothing was stored or changed. The dashboard's
 * own origin still writes, renders without a CSP violation, and a rebinding Host is refused.
 */
import { request as httpRequest, type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { E2E_CONFIG, getJson, startVigil, tempDir, type VigilProcess } from '../helpers/vigil-process.js';
import { browserAvailable, launchBrowser, newPage } from './browser.js';

const run = browserAvailable();

/** The attacker's page: every write it can attempt, each result recorded in window.results. */
function attackPage(target: string, incident: string): string {
  const event = JSON.stringify({ journey: 'wire-transfer', outcome: 'failure', customerId: 'victim' });
  const alert = JSON.stringify({ source: 'evil', key: 'forged', status: 'firing', service: 'core-ledger', summary: 'forged' });
  return `<!doctype html><title>attacker</title><script>
const target = ${JSON.stringify(target)};
const event = ${JSON.stringify(event)};
const text = { 'content-type': 'text/plain' };
const send = (path, init) => fetch(target + path, { method: 'POST', mode: 'no-cors', ...init });
const nanos = String(Date.now()) + '000000';
const span = { traceId: '5b8efff798038103d269b633813fc60c', spanId: 'eee19b7ec3c1b174', name: 'forged', startTimeUnixNano: nanos,
  endTimeUnixNano: nanos, status: { code: 2 }, attributes: [{ key: 'vigil.journey', value: { stringValue: 'wire-transfer' } }] };
const traces = JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [span] }] }] });
const attempts = [
  ['event as text/plain', () => send('/api/v1/events', { headers: text, body: event })],
  ['event as a Blob', () => send('/api/v1/events', { body: new Blob([event]) })],
  ['event as a typed Blob', () => send('/api/v1/events', { body: new Blob([event], { type: 'application/x-ndjson' }) })],
  ['event as JSON (preflighted)', () => send('/api/v1/events', { mode: 'cors', headers: { 'content-type': 'application/json' }, body: event })],
  ['alert as text/plain', () => send('/api/v1/alerts', { headers: text, body: ${JSON.stringify(alert)} })],
  ['resolve, empty body', () => send('/api/v1/incidents/${incident}/resolve', {})],
  ['acknowledge as text/plain', () => send('/api/v1/incidents/${incident}/ack', { headers: text, body: '{}' })],
  ['OTLP/JSON traces as text/plain', () => send('/v1/traces', { headers: text, body: traces })],
  ['OTLP/JSON traces as a typed Blob', () => send('/v1/traces', { body: new Blob([traces], { type: 'application/json' }) })],
  ['traces as a protobuf-typed Blob', () => send('/v1/traces', { body: new Blob([new Uint8Array([10, 0])], { type: 'application/x-protobuf' }) })],
];
window.results = (async () => {
  const out = [];
  for (const [name, attempt] of attempts) {
    try { const r = await attempt(); out.push(name + ': ' + r.type + ' ' + r.status); } catch (e) { out.push(name + ': ' + e.name); }
  }
  return out;
})();
</script>`;
}

/** A form the attacker's page submits by itself, text/plain encoded so that the body reads as JSON. */
function formPage(target: string): string {
  return `<!doctype html><title>form</title>
<form method="POST" action="${target}/api/v1/events" enctype="text/plain">
<input name='{"journey":"wire-transfer","outcome":"failure","x":"' value='"}'></form>
<script>document.forms[0].submit()</script>`;
}

/** GET or POST with a chosen Host header (fetch may not set one). */
function withHost(url: string, host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { headers: { host } }, (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => {
        body += chunk.toString();
      });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    request.on('error', reject);
    request.end();
  });
}

const attempts = (outcomes: Record<string, number | null>) =>
  Object.entries(outcomes).reduce((n, [key, value]) => (key === 'successRate' ? n : n + (value ?? 0)), 0);

describe.skipIf(!run)('another origin in Chromium', () => {
  const tmp = tempDir('vigil-cross-site-');
  let vigil: VigilProcess;
  let browser: Browser;
  let attacker: Server;
  let attackerUrl: string;
  let incident: string;

  beforeAll(async () => {
    [vigil, browser] = await Promise.all([startVigil(['--config', E2E_CONFIG, '--database', `${tmp.dir}/vigil.db`]), launchBrowser()]);
    const alert = await fetch(`${vigil.url}/api/v1/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ source: 'nagios', key: 'ledger-down', status: 'firing', service: 'core-ledger', summary: 'ledger down' }),
    });
    expect(alert.status).toBe(200);
    const { body } = await getJson(`${vigil.url}/api/v1/incidents`);
    expect(body.incidents).toHaveLength(1);
    incident = body.incidents[0].id;
    attacker = createServer((request, response) => {
      const html = request.url === '/form' ? formPage(vigil.url) : attackPage(vigil.url, incident);
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
    });
    await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
    attackerUrl = `http://127.0.0.1:${(attacker.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => attacker?.close(resolve));
    await vigil?.stop();
    tmp.cleanup();
  });

  it('stores no event or alert and changes no incident, whatever the page sends', async () => {
    const { page } = await newPage(browser);
    await page.goto(`${attackerUrl}/`);
    const results: string[] = await page.evaluate('window.results');
    // Each request left the browser (an opaque answer) or was stopped by CORS; none was allowed to act.
    expect(results).toHaveLength(10);
    await page.goto(`${attackerUrl}/form`);
    await page.waitForURL(`${vigil.url}/api/v1/events`);
    expect(await page.locator('body').textContent()).toContain('cross_origin_refused');

    const journeys = (await getJson(`${vigil.url}/api/v1/journeys`)).body.journeys;
    expect(attempts(journeys[0].outcomes['1h'])).toBe(0);
    const incidents = (await getJson(`${vigil.url}/api/v1/incidents`)).body.incidents;
    expect(incidents.map((i: any) => [i.id, i.status])).toEqual([[incident, 'open']]);
    const detail = (await getJson(`${vigil.url}/api/v1/incidents/${incident}`)).body;
    expect(detail.alerts.map((a: any) => a.key)).toEqual(['generic:nagios/ledger-down']);
    expect(vigil.output()).not.toContain('forged');
  });

  it('the dashboard’s own origin still writes, and renders under its CSP without a violation', async () => {
    const { page, errors } = await newPage(browser);
    await page.goto(`${vigil.url}/#/incidents`);
    await page.waitForSelector('[data-ready="true"]');
    const status = await page.evaluate(
      async (id) =>
        (await fetch(`api/v1/incidents/${id}/ack`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status,
      incident,
    );
    expect(status).toBe(200);
    expect((await getJson(`${vigil.url}/api/v1/incidents/${incident}`)).body.status).toBe('acknowledged');
    await page.goto(`${vigil.url}/#/`);
    await page.reload(); // index.html comes back 304: its policy must stay the dashboard's
    await page.waitForSelector('[data-ready="true"]');
    expect(errors).toEqual([]);
  });

  it('refuses a rebinding Host (421 host_not_allowed), answers its own', async () => {
    const port = new URL(vigil.url).port;
    const evil = await withHost(`${vigil.url}/api/v1/journeys`, `evil.example:${port}`);
    expect(evil.status).toBe(421);
    expect(JSON.parse(evil.body).error.code).toBe('host_not_allowed');
    expect((await withHost(`${vigil.url}/api/v1/journeys`, `localhost:${port}`)).status).toBe(200);
  });
});
