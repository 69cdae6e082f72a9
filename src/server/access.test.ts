/**
 * Every route of the real server against every scope (docs/access.md ("Routes and scopes")): each route
 * has a declared scope or is open, the table below and docs/access.md say which, and for each route
 * no token → 401, a token without the scope → 403, the right scope → through, a revoked token → 401.
 * A route added without a scope, or without a row here, fails this file.
 */
import { readFileSync } from 'node:fs';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken, revokeToken } from '../app/tokens.js';
import { SCOPES, type Scope } from '../model/token.js';
import { type IncidentServer, sampleAlert, sampleIncident, startIncidentServer } from '../../test/helpers/incident-server.js';
import { type RouteScope, routeScopes } from './access.js';

/** The route table: method and path → the scope it needs. HEAD routes follow their GET. */
const EXPECTED: Readonly<Record<string, RouteScope>> = {
  'GET /healthz': 'open',
  'GET /readyz': 'open',
  'GET /': 'open',
  'GET /index.html': 'open',
  'GET /assets/*': 'open',
  'GET /api/v1/info': 'read',
  'GET /api/v1/journeys': 'read',
  'GET /api/v1/journeys/:journey': 'read',
  'GET /api/v1/journeys/:journey/slos/:slo/status': 'read',
  'GET /api/v1/journeys/:journey/slos/:slo/series': 'read',
  'GET /api/v1/journeys/:journey/value': 'read',
  'GET /api/v1/alerts': 'read',
  'GET /api/v1/services': 'read',
  'GET /api/v1/services/ranking': 'read',
  'GET /api/v1/incidents': 'read',
  'GET /api/v1/incidents/stats': 'read',
  'GET /api/v1/incidents/:id': 'read',
  'GET /api/v1/incidents/:id/review': 'read',
  'GET /api/v1/incidents/:id/regulatory': 'read',
  'POST /api/v1/incidents/:id/ack': 'operate',
  'POST /api/v1/incidents/:id/resolve': 'operate',
  'POST /api/v1/events': 'ingest',
  'POST /v1/traces': 'ingest',
  'POST /api/v1/alerts/alertmanager': 'ingest',
  'POST /api/v1/alerts/grafana': 'ingest',
  'POST /api/v1/alerts': 'ingest',
  'POST /api/v1/admin/reload': 'admin',
  'POST /api/v1/deployments': 'ingest',
  'GET /api/v1/deployments': 'read',
  'GET /api/v1/gate': 'read',
  'GET /api/v1/gate/exceptions': 'read',
  'POST /api/v1/gate/exceptions': 'operate',
  'GET /api/v1/corrections': 'read',
  'POST /api/v1/corrections': 'operate',
  'POST /api/v1/signals': 'ingest',
  'GET /api/v1/signals': 'read',
  'GET /api/v1/retention': 'read',
  'GET /public': 'open',
  'GET /api/v1/public/summary': 'open',
  'PUT /api/v1/incidents/:id/public-text': 'operate',
  'PUT /api/v1/incidents/:id/regulatory/flags': 'operate',
  'GET /api/v1/benchmark': 'read',
  'GET /api/v1/regulation/tolerances': 'read',
  'GET /api/v1/sources': 'read',
  'GET /api/v1/cluster': 'read',
  'GET /metrics': 'read',
};

const incident = sampleIncident('inc-1');
let server: IncidentServer;
let app: FastifyInstance;
/** One token per scope holding only that scope, one holding every scope but that one, and a revoked one per scope. */
const only = {} as Record<Scope, string>;
const allBut = {} as Record<Scope, string>;
const revoked = {} as Record<Scope, string>;

beforeAll(async () => {
  // cacheMs 0: every request reads the tokens table, so a revocation shows at once (the cache has its own test).
  server = await startIncidentServer({
    seed: { incidents: [incident], alerts: [sampleAlert(incident)] },
    access: { openWhenNoTokens: true, cacheMs: 0 },
  });
  app = server.app;
  const now = Date.now();
  for (const scope of SCOPES) {
    only[scope] = (await createToken(server.store.tokens, `only-${scope}`, [scope], now)).token;
    allBut[scope] = (
      await createToken(
        server.store.tokens,
        `all-but-${scope}`,
        SCOPES.filter((s) => s !== scope),
        now,
      )
    ).token;
    revoked[scope] = (await createToken(server.store.tokens, `revoked-${scope}`, [scope], now)).token;
    await revokeToken(server.store.tokens, `revoked-${scope}`, now);
  }
});
afterAll(async () => server?.close());

/** A request that reaches the route: params filled in, a small body for POSTs. */
function request(route: string, token?: string): InjectOptions {
  const [method, path] = route.split(' ') as [InjectOptions['method'], string];
  const url = path.replace(':journey', 'wire-transfer').replace(':slo', 'success').replace(':id', 'inc-1').replace('*', 'app.js');
  return {
    method,
    url,
    headers: { 'content-type': 'application/json', ...(token !== undefined && { authorization: `Bearer ${token}` }) },
    ...(method === 'POST' && { payload: '{}' }),
  };
}

const cases = (): [string, RouteScope][] =>
  routeScopes(app)
    .filter((r) => r.method !== 'HEAD')
    .map((r) => [`${r.method} ${r.url}`, r.scope ?? ('none' as RouteScope)]);

describe('the route table', () => {
  it('every route of the server declares a scope, and it is the one in the table', async () => {
    await app.ready();
    const routes = routeScopes(app);
    expect(routes.filter((r) => r.scope === undefined)).toEqual([]);
    const actual = Object.fromEntries(routes.filter((r) => r.method !== 'HEAD').map((r) => [`${r.method} ${r.url}`, r.scope]));
    expect(actual).toEqual(EXPECTED);
    // HEAD answers what GET answers, so it needs what GET needs.
    for (const head of routes.filter((r) => r.method === 'HEAD')) expect(head.scope, head.url).toBe(EXPECTED[`GET ${head.url}`]);
  });

  it('docs/access.md lists the same routes with the same scopes', () => {
    const doc = readFileSync(new URL('../../docs/access.md', import.meta.url), 'utf8');
    const rows = [...doc.matchAll(/^\| `(GET|POST|PUT)` \| `([^`]+)` \| `(\w+)` \|/gm)].map((m) => [`${m[1]} ${m[2]}`, m[3]]);
    expect(Object.fromEntries(rows)).toEqual(EXPECTED);
  });
});

describe('each route against each kind of token', () => {
  it('has routes to test', async () => {
    await app.ready();
    expect(cases().length).toBe(Object.keys(EXPECTED).length);
  });

  it.each(Object.entries(EXPECTED))('%s (%s)', async (route, scope) => {
    await app.ready();
    const status = async (token?: string) => (await app.inject(request(route, token))).statusCode;
    if (scope === 'open') {
      for (const token of [undefined, 'not-a-token', revoked.read])
        expect([401, 403], `${route} with ${token}`).not.toContain(await status(token));
      return;
    }
    const none = await app.inject(request(route));
    expect(none.statusCode).toBe(401);
    expect(none.headers['www-authenticate']).toBe('Bearer realm="vigil"');
    expect(none.json()).toMatchObject({ error: { code: 'unauthorized' } });

    const wrong = await app.inject(request(route, allBut[scope]));
    expect(wrong.statusCode).toBe(403);
    expect(wrong.headers['www-authenticate']).toBeUndefined();
    expect(wrong.json()).toMatchObject({ error: { code: 'forbidden', message: expect.stringContaining(`'${scope}'`) } });

    expect([401, 403]).not.toContain(await status(only[scope]));
    expect(await status(revoked[scope])).toBe(401);
    expect(await status('Bearer-less garbage')).toBe(401);
    // A token of the right shape whose secret differs from the stored hash's.
    const forged = `${only[scope].slice(0, -4)}AAAA`;
    expect(await status(forged === only[scope] ? `${only[scope].slice(0, -4)}BBBB` : forged)).toBe(401);
  });
});

describe('the actor', () => {
  it('is the token name; a body `by` is kept as a note in the timeline', async () => {
    const fresh = sampleIncident('inc-actor');
    const other = await startIncidentServer({
      access: { openWhenNoTokens: true, cacheMs: 0 },
      seed: { incidents: [fresh], alerts: [sampleAlert(fresh)] },
    });
    try {
      const { token } = await createToken(other.store.tokens, 'oncall-app', ['operate'], Date.now());
      const ack = await other.app.inject({
        method: 'POST',
        url: '/api/v1/incidents/inc-actor/ack',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        payload: JSON.stringify({ by: 'alice' }),
      });
      expect(ack.statusCode).toBe(200);
      const entry = (body: { timeline: { kind: string; message: string }[] }, kind: string) =>
        body.timeline.find((t) => t.kind === kind)?.message;
      expect(entry(ack.json(), 'acknowledged')).toBe('acknowledged by oncall-app (note: alice)');
      const resolve = await other.app.inject({
        method: 'POST',
        url: '/api/v1/incidents/inc-actor/resolve',
        headers: { authorization: `Bearer ${token}` },
      });
      expect(entry(resolve.json(), 'resolved')).toBe('resolved by oncall-app');
    } finally {
      await other.close();
    }
  });
});

describe('without tokens', () => {
  it('an open server lets everything through; a closed one refuses every protected route', async () => {
    const open = await startIncidentServer({ access: { openWhenNoTokens: true } });
    const closed = await startIncidentServer({ access: { openWhenNoTokens: false } });
    try {
      expect((await open.app.inject({ method: 'GET', url: '/api/v1/incidents' })).statusCode).toBe(200);
      expect((await closed.app.inject({ method: 'GET', url: '/api/v1/incidents' })).statusCode).toBe(401);
      expect((await closed.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
      // The public page and its JSON need no token, closed server or not (docs/public-page.md ("Serving")).
      expect((await closed.app.inject({ method: 'GET', url: '/public' })).statusCode).toBe(200);
      expect((await closed.app.inject({ method: 'GET', url: '/api/v1/public/summary' })).statusCode).toBe(200);
    } finally {
      await open.close();
      await closed.close();
    }
  });
});
