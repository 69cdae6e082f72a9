/** GET /api/v1/alerts: the SLO burn-rate alerts firing now (docs/alerting.md ("SLO alerts")). */
import type { FastifyPluginAsync } from 'fastify';
import { SloAlertsResponse } from '../../api/slo.js';
import type { VigilApi } from '../../app/api.js';
import { requireScope } from '../access.js';
import { parseInstant } from '../query.js';

export const sloAlertRoutes: FastifyPluginAsync<{ api: VigilApi }> = async (app, { api }) => {
  requireScope(app, api.access, 'read');
  app.get<{ Querystring: Record<string, string | undefined> }>('/api/v1/alerts', { config: { wire: SloAlertsResponse } }, async (request) =>
    api.sloAlerts(parseInstant(request.query.at, 'at', api.clock())),
  );
};
