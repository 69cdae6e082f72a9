/** POST /api/v1/events: journey events in, as one object, an array or NDJSON (SPEC §3.2). */
import type { FastifyInstance } from 'fastify';
import type { VigilRuntime } from '../../runtime/runtime.js';

export function eventRoutes(app: FastifyInstance, runtime: VigilRuntime): void {
  app.post('/api/v1/events', async (request, reply) => {
    const body = typeof request.body === 'string' ? request.body : '';
    const { status, ...summary } = await runtime.ingestor.ingest(body, request.headers['content-type']);
    return reply.code(status).send(summary);
  });
}
