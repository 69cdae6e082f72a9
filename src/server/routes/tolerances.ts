/** Impact tolerances (docs/impact-tolerances.md, docs/api.md ("Impact tolerances")), scope read. */
import type { FastifyPluginAsync } from 'fastify';
import { TolerancesResponse } from '../../api/tolerances.js';
import type { VigilApi } from '../../app/api.js';
import { requireScope } from '../access.js';
import { parseYear } from '../query.js';

export const toleranceRoutes: FastifyPluginAsync<{ api: VigilApi }> = async (app, { api }) => {
  requireScope(app, api.access, 'read');

  // The default year is the current one in defaults.timezone.
  app.get<{ Querystring: Record<string, string | undefined> }>(
    '/api/v1/regulation/tolerances',
    { config: { wire: TolerancesResponse } },
    async (request) => {
      const year = request.query['year'] === undefined ? undefined : parseYear(request.query['year'], 'year', 0);
      return api.tolerances.year(year, api.clock());
    },
  );
};
