/** Liveness and readiness probes, and what a client needs to know about this server (docs/api.md ("The other reads")). */
import type { FastifyPluginAsync } from 'fastify';
import { Health, Info, Ready } from '../../api/server-info.js';
import type { VigilApi } from '../../app/api.js';

export const healthRoutes: FastifyPluginAsync<{ api: VigilApi }> = async (app, { api }) => {
  app.get('/api/v1/info', { config: { wire: Info } }, async () => api.info());
  app.get('/healthz', { config: { wire: Health } }, async () => ({ status: 'ok' as const }));
  app.get('/readyz', { config: { wire: Ready } }, async () => api.ready());
};
