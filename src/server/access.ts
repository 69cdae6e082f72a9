/**
 * Access control per route group (docs/access.md ("How a request is checked")): each route-group plugin
 * calls `requireScope` with the scope its routes need (a route may declare another in `config.scope`,
 * or `'open'`), which adds an encapsulated `onRequest` hook to that group alone.
 */
import type { FastifyInstance, RouteOptions } from 'fastify';
import type { AccessControl, Principal } from '../app/access-control.js';
import { VigilError } from '../errors/catalogue.js';
import type { Scope } from '../model/token.js';

/** What a route needs: a token with this scope, or nothing (`open`: probes and the dashboard's static shell). */
export type RouteScope = Scope | 'open';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The scope this route needs; set on every route by its group's requireScope or openRoutes. */
    scope?: RouteScope;
  }
  interface FastifyRequest {
    /** The token that authorised this request; null when none was needed (an open route, or an open server without tokens). */
    principal: Principal | null;
  }
}

/**
 * Every route registered after this call in the plugin needs `scope` unless it declares its own
 * `config.scope`; the hook answers 401 `unauthorized` (with `WWW-Authenticate: Bearer`) or 403 `forbidden`.
 * @example export const eventRoutes: FastifyPluginAsync<{ api: VigilApi }> = async (app, { api }) => { requireScope(app, api.access, 'ingest'); … };
 */
export function requireScope(app: FastifyInstance, access: AccessControl, scope: RouteScope): void {
  app.addHook('onRoute', (route) => {
    route.config = { ...route.config, scope: route.config?.scope ?? scope };
  });
  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (request, reply) => {
    const needed = request.routeOptions.config.scope;
    if (needed === 'open') return;
    // onRoute above gives every route of the group a scope; a route without one is a bug, refused rather than let through.
    if (needed === undefined) throw new Error(`${request.method} ${request.routeOptions.url} declares no scope`);
    try {
      request.principal = await access.authorize(request.headers.authorization, needed);
    } catch (error) {
      // RFC 6750: a 401 names the scheme the client should use.
      if (error instanceof VigilError && error.code === 'unauthorized') reply.header('www-authenticate', 'Bearer realm="vigil"');
      throw error;
    }
  });
}

/**
 * Every route registered after this call in the plugin is open: no token is ever needed (the
 * dashboard's static files, which hold no data).
 * @example export const webRoutes: FastifyPluginAsync = async (app) => { openRoutes(app); app.get('/', …); };
 */
export function openRoutes(app: FastifyInstance): void {
  app.addHook('onRoute', (route) => {
    route.config = { ...route.config, scope: 'open' };
  });
}

const TRACKED = new WeakMap<FastifyInstance, RouteOptions[]>();

/**
 * Records every route registered on the server from now on (call it first, on the root instance), so a
 * test can hold each one to a declared scope: see routeScopes.
 * @example trackRoutes(app); … await app.ready(); routeScopes(app) // [{ method: 'GET', url: '/healthz', scope: 'open' }, …]
 */
export function trackRoutes(app: FastifyInstance): void {
  const routes: RouteOptions[] = [];
  TRACKED.set(app, routes);
  app.addHook('onRoute', (route) => {
    routes.push(route);
  });
}

/** Every route of a server built with trackRoutes, with the scope it ended up with (undefined: none declared). */
export function routeScopes(app: FastifyInstance): { method: string; url: string; scope: RouteScope | undefined }[] {
  // Each group's own onRoute hook runs after the root's and sets config on the same route object.
  return (TRACKED.get(app) ?? []).flatMap((route) =>
    [route.method].flat().map((method) => ({ method, url: route.url, scope: route.config?.scope })),
  );
}
