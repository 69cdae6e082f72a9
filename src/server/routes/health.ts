/** Liveness and readiness probes, and what a client needs to know about this server (docs/api.md ("The other reads")). */
import type { FastifyPluginAsync } from 'fastify';
import { Health, Info, Ready } from '../../api/server-info.js';
import type { VigilApi } from '../../app/api.js';
import { requireScope } from '../access.js';

export const healthRoutes: FastifyPluginAsync<{ api: VigilApi }> = async (app, { api }) => {
  requireScope(app, api.access, 'read');
  app.get('/api/v1/info', { config: { wire: Info } }, async () => api.info());
  // Probes answer without a token: an orchestrator's liveness and readiness checks carry none.
  app.get('/healthz', { config: { wire: Health, scope: 'open' } }, async () => ({ status: 'ok' as const }));
  app.get('/readyz', { config: { wire: Ready, scope: 'open' } }, async () => api.ready());
};
