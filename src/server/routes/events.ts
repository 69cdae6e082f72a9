/** POST /api/v1/events: journey events in, as one object, an array or NDJSON (docs/api.md ("Ingest")). */
import type { FastifyPluginAsync } from 'fastify';
import { IngestResponse } from '../../api/events.js';
import type { VigilApi } from '../../app/api.js';
import { requireScope } from '../access.js';
import { acceptOnly, EVENT_TYPES } from '../media-types.js';

export const eventRoutes: FastifyPluginAsync<{ api: VigilApi }> = async (app, { api }) => {
  requireScope(app, api.access, 'ingest');
  app.post('/api/v1/events', { config: { wire: IngestResponse }, onRequest: acceptOnly(EVENT_TYPES) }, async (request, reply) => {
    const body = typeof request.body === 'string' ? request.body : '';
    const { status, ...summary } = await api.ingest.ingest(body, request.headers['content-type']);
    return reply.code(status).send(summary);
  });
};
