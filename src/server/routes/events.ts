/** POST /api/v1/events: journey events in, as one object, an array or NDJSON (docs/api.md ("Ingest")). */
import type { FastifyPluginAsync } from 'fastify';
import { IngestResponse } from '../../api/events.js';
import type { VigilApi } from '../../app/api.js';
import { VigilError } from '../../errors/catalogue.js';
import { requireScope } from '../access.js';

const ACCEPTED_TYPES = new Set(['application/json', 'application/x-ndjson', 'application/ndjson']);

export const eventRoutes: FastifyPluginAsync<{ api: VigilApi }> = async (app, { api }) => {
  requireScope(app, api.access, 'ingest');
  app.post('/api/v1/events', { config: { wire: IngestResponse } }, async (request, reply) => {
    const type = request.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
    if (type !== undefined && type !== '' && !ACCEPTED_TYPES.has(type)) {
      throw new VigilError('unsupported_media_type', `Content-Type ${type} is not accepted: send application/json or application/x-ndjson`);
    }
    const body = typeof request.body === 'string' ? request.body : '';
    const { status, ...summary } = await api.ingest.ingest(body, request.headers['content-type']);
    return reply.code(status).send(summary);
  });
};
