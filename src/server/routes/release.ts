/**
 * Deployments and the release gate (docs/release.md, docs/api.md ("Deployments and the release gate")):
 * deployments posted by CD (scope ingest) and listed with what each spent (read), the gate's answer
 * (read) and its exceptions (created with scope operate, by the token's name).
 */
import type { FastifyPluginAsync } from 'fastify';
import { DeployAccepted, DeploymentsResponse, GateExceptionJson, GateExceptionsResponse, GateResponse } from '../../api/release.js';
import type { VigilApi } from '../../app/api.js';
import { VigilError } from '../../errors/catalogue.js';
import { requireScope } from '../access.js';
import { parseJsonBody } from '../json-body.js';
import { acceptOnly, JSON_TYPES } from '../media-types.js';
import { parseInstant } from '../query.js';

type Query = Record<string, string | undefined>;

/** A non-empty query value, trimmed, or undefined. */
function named(query: Query, key: string): string | undefined {
  const value = query[key]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

export const releaseRoutes: FastifyPluginAsync<{ api: VigilApi }> = async (app, { api }) => {
  requireScope(app, api.access, 'read');

  app.post(
    '/api/v1/deployments',
    { config: { wire: DeployAccepted, scope: 'ingest' }, onRequest: acceptOnly(JSON_TYPES) },
    async (request, reply) => {
      reply.code(201);
      return api.release.record(parseJsonBody(request.body), api.clock());
    },
  );

  app.get<{ Querystring: Query }>('/api/v1/deployments', { config: { wire: DeploymentsResponse } }, async (request) => {
    const from = request.query['from'] ? parseInstant(request.query['from'], 'from', 0) : undefined;
    const to = request.query['to'] ? parseInstant(request.query['to'], 'to', 0) : undefined;
    if (from !== undefined && to !== undefined && from > to) throw new VigilError('invalid_query', 'from is after to');
    const journey = named(request.query, 'journey');
    const service = named(request.query, 'service');
    return api.release.list(
      { ...(journey && { journey }), ...(service && { service }), ...(from !== undefined && { from }), ...(to !== undefined && { to }) },
      api.clock(),
    );
  });

  app.get<{ Querystring: Query }>('/api/v1/gate', { config: { wire: GateResponse } }, async (request) => {
    const journey = named(request.query, 'journey');
    const service = named(request.query, 'service');
    if ((journey === undefined) === (service === undefined))
      throw new VigilError('invalid_query', 'give exactly one of journey and service, as in /api/v1/gate?service=payments-api');
    return api.release.gate(journey !== undefined ? { journey } : { service: service! }, api.clock());
  });

  app.get('/api/v1/gate/exceptions', { config: { wire: GateExceptionsResponse } }, async () => api.release.exceptions(api.clock()));

  app.post(
    '/api/v1/gate/exceptions',
    { config: { wire: GateExceptionJson, scope: 'operate' }, onRequest: acceptOnly(JSON_TYPES) },
    async (request, reply) => {
      reply.code(201);
      // The author is the token's name (docs/access.md ("The actor")); the body's author counts only on an open server.
      return api.release.addException(parseJsonBody(request.body), request.principal?.name ?? null, api.clock());
    },
  );
};
