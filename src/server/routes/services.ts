/**
 * GET /api/v1/services: the infrastructure view beside the customer's (docs/api.md ("The other reads")); GET
 * /api/v1/services/ranking: services by the customer harm behind them (docs/api.md ("Where to invest")).
 */
import type { FastifyPluginAsync } from 'fastify';
import { ServiceRankingResponse, ServicesResponse } from '../../api/services.js';
import type { VigilApi } from '../../app/api.js';
import { requireScope } from '../access.js';
import { parseInstant } from '../query.js';

export const serviceRoutes: FastifyPluginAsync<{ api: VigilApi }> = async (app, { api }) => {
  requireScope(app, api.access, 'read');
  app.get('/api/v1/services', { config: { wire: ServicesResponse } }, async () => api.services());
  // The default period is the last 30 days, as for a journey's value.
  app.get<{ Querystring: Record<string, string | undefined> }>(
    '/api/v1/services/ranking',
    { config: { wire: ServiceRankingResponse } },
    async (request) => {
      const to = parseInstant(request.query.to, 'to', api.clock());
      const from = parseInstant(request.query.from, 'from', to - 30 * 86_400_000);
      return api.servicesRanking(from, to);
    },
  );
};
