/** External SLI sources (docs/prometheus.md ("Prometheus as an SLI source"), docs/api.md ("Sources")), scope read. */
import type { FastifyPluginAsync } from 'fastify';
import { SourcesResponse } from '../../api/sources.js';
import type { VigilApi } from '../../app/api.js';
import { requireScope } from '../access.js';

export const sourceRoutes: FastifyPluginAsync<{ api: VigilApi }> = async (app, { api }) => {
  requireScope(app, api.access, 'read');
  app.get('/api/v1/sources', { config: { wire: SourcesResponse } }, async () => api.sources());
};
