/** GET /api/v1/services: the infrastructure view beside the customer's (docs/api.md ("The other reads")). */
import type { FastifyPluginAsync } from 'fastify';
import { ServicesResponse } from '../../api/services.js';
import type { VigilApi } from '../../app/api.js';
import { requireScope } from '../access.js';

export const serviceRoutes: FastifyPluginAsync<{ api: VigilApi }> = async (app, { api }) => {
  requireScope(app, api.access, 'read');
  app.get('/api/v1/services', { config: { wire: ServicesResponse } }, async () => api.services());
};
