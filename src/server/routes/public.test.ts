/**
 * The public page's routes on a real server over SQLite and PostgreSQL (docs/public-page.md): open without a token while
 * tokens exist, the public text route's scope and checks, hostile text escaped, nothing internal in the page or the JSON,
 * the page's own policy and cache headers.
 */
import { describe, expect, it } from 'vitest';
import { BACKENDS, freshStores } from '../../../test/helpers/backend-stores.js';
import { vigilApi } from '../../app/api.js';
import { VigilRuntime } from '../../app/runtime.js';
import { createToken } from '../../app/tokens.js';
import { loadConfigFromString } from '../../config/load.js';
import type { Incident } from '../../model/incident.js';
import { buildServer } from '../app.js';
import { PUBLIC_CSP } from '../public-html.js';
import { IncidentManager } from '../../app/incident-manager.js';

const NOW = Date.parse('2026-11-26T10:00:30Z');
const HOSTILE = `<script>alert('x')</script><img src=x onerror=alert(1)> & "quoted"`;
const CONFIG = `version: vigil/v1
defaults: { timezone: Europe/London }
journeys:
  - name: wire-transfer
    public: true
    publicName: Wire transfers
    steps:
      - { name: confirm, services: [core-ledger-prod-7] }
    slos:
      - { name: success, objective: 99.9, window: 28d, sli: { kind: success } }
  - name: secret-internal-batch
    steps:
      - { name: run, services: [batch-runner] }
`;

function incident(id: string, over: Partial<Incident>): Incident {
  return {
    id,
    status: 'resolved',
    priority: 'P1',
    reason: 'wire-transfer confirm failing for customer cust-8812, core-ledger-prod-7 5xx',
    title: 'INTERNAL: core-ledger-prod-7 DB failover gone wrong',
    journeys: ['wire-transfer'],
    stages: [{ journey: 'wire-transfer', step: 'confirm' }],
    services: ['core-ledger-prod-7'],
    alertKeys: [],
    alertCount: 1,
    lastAlertAt: NOW - 3 * 86_400_000,
    openedAt: NOW - 3 * 86_400_000,
    acknowledgedAt: null,
    resolvedAt: NOW - 3 * 86_400_000 + 3_600_000,
    paged: true,
    impact: null,
    mergedFrom: [],
    mergedInto: null,
    timeline: [{ at: NOW - 3 * 86_400_000, kind: 'opened', message: 'PagerDuty: HighErrorRate on core-ledger-prod-7' }],
    ...over,
  };
}

const stores = freshStores('public');

async function start(backend: 'sqlite' | 'postgres') {
  const loaded = loadConfigFromString(CONFIG, 'vigil.yaml');
  if (!loaded.ok) throw new Error('test configuration does not load');
  const store = await stores.open(backend);
  const runtime = await VigilRuntime.start({ config: loaded.config, store, clock: () => NOW });
  await store.alerting.saveAlerting({
    alerts: [],
    incidents: [
      incident('inc-old', {}),
      incident('inc-now', { status: 'open', priority: 'P2', resolvedAt: null, openedAt: NOW - 600_000, lastAlertAt: NOW - 600_000 }),
      incident('inc-p3', { priority: 'P3' }),
      incident('inc-batch', { journeys: ['secret-internal-batch'], stages: [{ journey: 'secret-internal-batch', step: 'run' }] }),
    ],
    outbox: [],
  });
  const events = [
    ...Array.from({ length: 9 }, (_, i) => ({
      id: `s${i}`,
      journey: 'wire-transfer',
      outcome: 'success',
      timestamp: new Date(NOW - 3_600_000).toISOString(),
    })),
    { id: 'f1', journey: 'wire-transfer', outcome: 'failure', timestamp: new Date(NOW - 3_600_000).toISOString(), customerId: 'cust-8812' },
  ];
  await runtime.ingestor.ingest(JSON.stringify(events), 'application/json');
  const manager = await IncidentManager.start(runtime, { info: () => {}, warn: () => {} });
  const { token: operate } = await createToken(store.tokens, 'comms', ['operate'], NOW);
  const { token: read } = await createToken(store.tokens, 'viewer', ['read'], NOW);
  const app = await buildServer({ api: vigilApi(runtime, manager, { openWhenNoTokens: false }) });
  stores.afterTest(async () => {
    await app.close();
    await manager.stop();
    await runtime.close();
  });
  return { app, operate, read, store };
}

describe.each(BACKENDS)('the public page on %s', (backend) => {
  it('answers without a token while tokens exist, with its own policy and cache headers, and nothing internal', async () => {
    const { app } = await start(backend);
    const page = await app.inject({ method: 'GET', url: '/public' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['cache-control']).toBe('public, max-age=30');
    expect(page.headers['content-security-policy']).toBe(PUBLIC_CSP);
    expect(PUBLIC_CSP).not.toMatch(/script-src|unsafe/);
    expect(page.body).not.toMatch(/<script/i);
    expect(page.body).toContain('Wire transfers');
    expect(page.body).toContain('Partial disruption:</span> Some customers may see failures with wire transfers. We are working on it.');
    expect(page.body).toContain('26 Nov: 90.0% of attempts succeeded');
    expect(page.body).toContain('We are investigating reduced reliability of wire transfers.');
    expect(page.body).toContain('Reduced reliability of wire transfers. This has been resolved.');
    const json = await app.inject({ method: 'GET', url: '/api/v1/public/summary' });
    expect(json.statusCode).toBe(200);
    expect(json.headers['cache-control']).toBe('public, max-age=30');
    const summary = json.json();
    expect(summary.journeys).toHaveLength(1);
    expect(summary.journeys[0].state).toBe('disrupted');
    expect(summary.journeys[0].days.at(-1)).toEqual({ date: '2026-11-26', successRate: 0.9, class: 'poor', kept: true });
    // The P3 and the other journey's incident stay off the page; newest first.
    expect(summary.journeys[0].incidents.map((i: { severity: string }) => i.severity)).toEqual(['partial', 'major']);
    for (const body of [page.body, json.body]) {
      for (const internal of [
        'core-ledger',
        'cust-8812',
        'INTERNAL',
        'PagerDuty',
        'HighErrorRate',
        'secret-internal-batch',
        'inc-',
        'wire-transfer',
      ])
        expect(body).not.toContain(internal);
    }
  });

  it('sets an incident public text with the operate scope only; hostile text is escaped on the page', async () => {
    const { app, operate, read } = await start(backend);
    const put = (headers: Record<string, string>, payload: string) =>
      app.inject({
        method: 'PUT',
        url: '/api/v1/incidents/inc-old/public-text',
        headers: { 'content-type': 'application/json', ...headers },
        payload,
      });
    const body = JSON.stringify({ text: `  ${HOSTILE}  ` });
    expect((await put({}, body)).statusCode).toBe(401);
    expect((await put({ authorization: `Bearer ${read}` }, body)).json().error.code).toBe('forbidden');
    const set = await put({ authorization: `Bearer ${operate}` }, body);
    expect(set.statusCode).toBe(200);
    // inc-old was stored at version 1: the text moved it on.
    expect(set.json()).toEqual({ incidentId: 'inc-old', text: HOSTILE, setBy: 'comms', setAt: new Date(NOW).toISOString(), version: 2 });

    const bad = async (payload: string) => (await put({ authorization: `Bearer ${operate}` }, payload)).json().error.code;
    expect(await bad(JSON.stringify({ text: '   ' }))).toBe('invalid_public_text');
    expect(await bad(JSON.stringify({ text: 'x'.repeat(2001) }))).toBe('invalid_public_text');
    expect(await bad(JSON.stringify({ text: 7 }))).toBe('invalid_public_text');
    expect(await bad(JSON.stringify({ text: 'ok', title: 'x' }))).toBe('invalid_public_text');
    expect(await bad('[]')).toBe('invalid_public_text');
    const missing = await app.inject({
      method: 'PUT',
      url: '/api/v1/incidents/nope/public-text',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${operate}` },
      payload: JSON.stringify({ text: 'x'.repeat(2000) }),
    });
    expect(missing.json().error.code).toBe('incident_not_found');

    // The cache is dropped when a text is set: the next read shows it at once.
    const page = (await app.inject({ method: 'GET', url: '/public' })).body;
    expect(page).not.toContain('<script>alert');
    expect(page).not.toContain('<img src=x');
    expect(page).toContain('&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt; &amp; &quot;quoted&quot;');
    expect(page).not.toContain('Reduced reliability of wire transfers. This has been resolved.');
    const summary = (await app.inject({ method: 'GET', url: '/api/v1/public/summary' })).json();
    expect(summary.journeys[0].incidents[1]).toMatchObject({ text: HOSTILE, generic: false, updatedAt: new Date(NOW).toISOString() });
  });

  describe('If-Match on the public text (docs/scale-out.md ("Incident versions"))', () => {
    const request = ({ app, operate: token, read }: Awaited<ReturnType<typeof start>>) => ({
      put: (id: string, text: string, ifMatch?: string) =>
        app.inject({
          method: 'PUT',
          url: `/api/v1/incidents/${id}/public-text`,
          headers: {
            'content-type': 'application/json',
            authorization: `Bearer ${token}`,
            ...(ifMatch !== undefined && { 'if-match': ifMatch }),
          },
          payload: JSON.stringify({ text }),
        }),
      ack: (id: string, ifMatch: string) =>
        app.inject({
          method: 'POST',
          url: `/api/v1/incidents/${id}/ack`,
          headers: { authorization: `Bearer ${token}`, 'if-match': ifMatch },
        }),
      version: async (id: string): Promise<number> =>
        (await app.inject({ url: `/api/v1/incidents/${id}`, headers: { authorization: `Bearer ${read}` } })).json().version,
    });

    // inc-now is open (held by the incident manager), inc-old resolved (read from the store).
    for (const id of ['inc-now', 'inc-old']) {
      it(`${id}: a stale version is 409 and keeps the text, the current one writes and answers it plus one, a bad header is 400`, async () => {
        const started = await start(backend);
        const { store } = started;
        const { put, version } = request(started);
        const before = await version(id);
        const first = await put(id, 'Card payments were failing.', `"${before}"`);
        expect([first.statusCode, first.json().version]).toEqual([200, before + 1]);
        expect(await version(id)).toBe(before + 1);

        const stale = await put(id, 'Stale words.', `"${before}"`);
        expect([stale.statusCode, stale.json().error.code, stale.json().error.details]).toEqual([
          409,
          'incident_conflict',
          { version: before + 1 },
        ]);
        for (const bad of ['"x"', 'W/"2"', '*']) {
          const refused = await put(id, 'Malformed words.', bad);
          expect([refused.statusCode, refused.json().error.code]).toEqual([400, 'invalid_if_match']);
        }
        expect((await store.alerting.publicTexts([id])).get(id)?.text).toBe('Card payments were failing.');
        expect(await version(id)).toBe(before + 1);

        // Without If-Match: written whatever the version, which moves on.
        const blind = await put(id, 'Card payments work again.');
        expect([blind.statusCode, blind.json().version]).toEqual([200, before + 2]);
        expect((await store.alerting.publicTexts([id])).get(id)?.text).toBe('Card payments work again.');
      });
    }

    it('an acknowledgement right after a public text goes through from its version; from the version before it, 409', async () => {
      const started = await start(backend);
      const { put, ack, version } = request(started);
      const read = await version('inc-now');
      expect((await put('inc-now', 'We are looking into failing card payments.')).json().version).toBe(read + 1);
      // The manager's own memory took the text's version: its next write from it is no conflict.
      const acked = await ack('inc-now', `"${read + 1}"`);
      expect([acked.statusCode, acked.json().status, acked.json().version]).toEqual([200, 'acknowledged', read + 2]);
      expect((await put('inc-now', 'Card payments are failing for some customers.')).json().version).toBe(read + 3);
      const resolve = (ifMatch: string) =>
        started.app.inject({
          method: 'POST',
          url: '/api/v1/incidents/inc-now/resolve',
          headers: { authorization: `Bearer ${started.operate}`, 'if-match': ifMatch },
        });
      const refused = await resolve(`"${read + 2}"`);
      expect([refused.statusCode, refused.json().error.code]).toEqual([409, 'incident_conflict']);
      expect((await resolve(`"${read + 3}"`)).json()).toMatchObject({ status: 'resolved', version: read + 4 });
    });

    it("a write by another node the manager has not seen: the manager's version is refused, the store's goes through", async () => {
      const started = await start(backend);
      const { store } = started;
      const { put, ack } = request(started);
      const read = (await store.alerting.incident('inc-now'))!.version!;
      // Another node (the store written directly) sets a text: the incident manager here still holds `read`.
      expect(await store.alerting.setPublicText('inc-now', { text: 'From another node.', setBy: 'ops', setAt: NOW }, read)).toBe(read + 1);
      const stale = await put('inc-now', 'From this node, on the old version.', `"${read}"`);
      expect([stale.statusCode, stale.json().error.code]).toEqual([409, 'incident_conflict']);
      expect((await store.alerting.publicTexts(['inc-now'])).get('inc-now')?.text).toBe('From another node.');
      const current = await put('inc-now', 'From this node, on the new version.', `"${read + 1}"`);
      expect([current.statusCode, current.json().version]).toEqual([200, read + 2]);
      expect((await ack('inc-now', `"${read + 2}"`)).json()).toMatchObject({ status: 'acknowledged', version: read + 3 });
    });
  });
});
