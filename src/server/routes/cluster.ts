/** The nodes serving this store (docs/scale-out.md ("The nodes"), docs/api.md ("Cluster")), scope read. */
import type { FastifyPluginAsync } from 'fastify';
import { ClusterResponse } from '../../api/cluster.js';
import type { VigilApi } from '../../app/api.js';
import { requireScope } from '../access.js';

export const clusterRoutes: FastifyPluginAsync<{ api: VigilApi }> = async (app, { api }) => {
  requireScope(app, api.access, 'read');
  app.get('/api/v1/cluster', { config: { wire: ClusterResponse } }, async () => api.cluster());
};
