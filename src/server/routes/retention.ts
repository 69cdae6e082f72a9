/** Retention by failures met (docs/retention.md, docs/api.md ("Retention")): parse the query, ask the read model. */
import type { FastifyPluginAsync } from 'fastify';
import { RetentionResponse } from '../../api/retention.js';
import type { VigilApi } from '../../app/api.js';
import { VigilError } from '../../errors/catalogue.js';
import { requireScope } from '../access.js';
import { parseInstant } from '../query.js';

type Query = Record<string, string | undefined>;

export const retentionRoutes: FastifyPluginAsync<{ api: VigilApi }> = async (app, { api }) => {
  requireScope(app, api.access, 'read');

  app.get<{ Querystring: Query }>('/api/v1/retention', { config: { wire: RetentionResponse } }, async (request) => {
    const journey = request.query['journey']?.trim();
    if (!journey) throw new VigilError('invalid_query', 'journey is required, as in /api/v1/retention?journey=card-payment');
    const period = request.query['period']?.trim() || 'month';
    if (period !== 'month' && period !== 'week') throw new VigilError('invalid_query', `period must be month or week, not '${period}'`);
    const from = request.query['from'] ? parseInstant(request.query['from'], 'from', 0) : undefined;
    const to = request.query['to'] ? parseInstant(request.query['to'], 'to', 0) : undefined;
    return api.retention({ journey, period, ...(from !== undefined && { from }), ...(to !== undefined && { to }) });
  });
};
