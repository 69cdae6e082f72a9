/** Administration: reload vigil.yaml without a restart (docs/api.md ("Reloading the configuration")). */
import type { FastifyPluginAsync } from 'fastify';
import { ReloadResponse } from '../../api/admin.js';
import type { VigilApi } from '../../app/api.js';
import { VigilError } from '../../errors/catalogue.js';
import { requireScope } from '../access.js';
import { acceptOnly, JSON_TYPES } from '../media-types.js';

export const adminRoutes: FastifyPluginAsync<{ api: VigilApi }> = async (app, { api }) => {
  requireScope(app, api.access, 'admin');
  // Validates first; an invalid file answers 400 config_invalid with its problems and the old configuration stays in force.
  app.post('/api/v1/admin/reload', { config: { wire: ReloadResponse }, onRequest: acceptOnly(JSON_TYPES) }, async () => {
    if (!api.reload) throw new VigilError('reload_unavailable');
    return api.reload();
  });
};
