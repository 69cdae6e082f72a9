/**
 * GET /metrics (docs/prometheus.md ("Metrics")): Prometheus's text format, for a Prometheus that scrapes with a `read`
 * token (docs/access.md ("Routes and scopes")).
 */
import type { FastifyPluginAsync } from 'fastify';
import type { VigilApi } from '../../app/api.js';
import { EXPOSITION_CONTENT_TYPE } from '../../prometheus/exposition.js';
import { requireScope } from '../access.js';

export const metricsRoutes: FastifyPluginAsync<{ api: VigilApi }> = async (app, { api }) => {
  requireScope(app, api.access, 'read');
  app.get('/metrics', async (_request, reply) =>
    reply.type(EXPOSITION_CONTENT_TYPE).header('cache-control', 'no-store').send(api.metrics.text()),
  );
};
