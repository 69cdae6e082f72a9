/**
 * Corrections (docs/api.md ("Corrections")): the list of those in force (scope read), and adding a one-off one
 * (scope operate, like gate exceptions: docs/access.md ("Scopes")), recorded with the token's name.
 */
import type { FastifyPluginAsync } from 'fastify';
import { CorrectionAdded, CorrectionsResponse } from '../../api/corrections.js';
import type { VigilApi } from '../../app/api.js';
import { requireScope } from '../access.js';
import { parseJsonBody } from '../json-body.js';
import { acceptOnly, JSON_TYPES } from '../media-types.js';

export const correctionRoutes: FastifyPluginAsync<{ api: VigilApi }> = async (app, { api }) => {
  requireScope(app, api.access, 'read');

  app.get('/api/v1/corrections', { config: { wire: CorrectionsResponse } }, async () => api.corrections.list());

  app.post(
    '/api/v1/corrections',
    { config: { wire: CorrectionAdded, scope: 'operate' }, onRequest: acceptOnly(JSON_TYPES) },
    async (request, reply) => {
      const added = await api.corrections.add(parseJsonBody(request.body), request.principal?.name ?? null, api.clock());
      reply.code(201);
      return added;
    },
  );
};
