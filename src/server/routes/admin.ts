/** Administration: reload vigil.yaml without a restart (docs/api.md ("Reloading the configuration")). */
import type { FastifyPluginAsync } from 'fastify';
import { ReloadResponse } from '../../api/admin.js';
import type { VigilApi } from '../../app/api.js';
import { VigilError } from '../../errors/catalogue.js';
import { requireScope } from '../access.js';
import { acceptOnly, JSON_TYPES } from '../media-types.js';
import { reloadEveryNode } from '../reload-nodes.js';

export const adminRoutes: FastifyPluginAsync<{ api: VigilApi }> = async (app, { api }) => {
  requireScope(app, api.access, 'admin');
  // Validates first; an invalid file answers 400 config_invalid with its problems and the old configuration stays in force.
  app.post<{ Querystring: Record<string, string | undefined> }>(
    '/api/v1/admin/reload',
    { config: { wire: ReloadResponse }, onRequest: acceptOnly(JSON_TYPES) },
    async (request) => {
      if (!api.reload) throw new VigilError('reload_unavailable');
      const nodes = request.query['nodes'];
      if (nodes !== undefined && nodes !== 'all')
        throw new VigilError('invalid_query', `nodes: expected 'all' (every node of the store), got '${nodes}'`);
      const own = await api.reload();
      // Every node (docs/scale-out.md ("Reloading every node")): only once this one has reloaded, so a bad file stops here.
      if (nodes === undefined) return own;
      return { ...own, nodes: await reloadEveryNode(own, api.cluster(), request.headers.authorization) };
    },
  );
};
