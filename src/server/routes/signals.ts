/**
 * Customer signals (docs/signals.md, docs/api.md ("Customer signals")): complaints and mentions posted with
 * scope ingest (one object, an array or NDJSON, read as events are), and listed newest first (scope read).
 */
import type { FastifyPluginAsync } from 'fastify';
import { toInstant } from '../../api/common.js';
import { SignalsIngestResponse, SignalsResponse } from '../../api/signals.js';
import type { VigilApi } from '../../app/api.js';
import { DEFAULT_SIGNAL_LIMIT, decodeSignalCursor, MAX_SIGNAL_LIMIT } from '../../app/read-models/signal-views.js';
import { VigilError } from '../../errors/catalogue.js';
import type { SignalCursor } from '../../app/read-models/signal-views.js';
import { requireScope } from '../access.js';
import { acceptOnly, EVENT_TYPES } from '../media-types.js';
import { parseInstant } from '../query.js';

type Query = Record<string, string | undefined>;

function parseLimit(value: string | undefined): number {
  if (value === undefined || value === '') return DEFAULT_SIGNAL_LIMIT;
  const n = /^\d{1,7}$/.test(value) ? Number(value) : Number.NaN;
  if (!(n >= 1 && n <= MAX_SIGNAL_LIMIT)) {
    throw new VigilError(
      'invalid_query',
      `limit: expected a whole number from 1 to ${MAX_SIGNAL_LIMIT}, got ${JSON.stringify(value.slice(0, 40))}`,
    );
  }
  return n;
}

export const signalRoutes: FastifyPluginAsync<{ api: VigilApi }> = async (app, { api }) => {
  requireScope(app, api.access, 'read');

  app.post(
    '/api/v1/signals',
    { config: { wire: SignalsIngestResponse, scope: 'ingest' }, onRequest: acceptOnly(EVENT_TYPES) },
    async (request, reply) => {
      const body = typeof request.body === 'string' ? request.body : '';
      const { status, ...summary } = await api.signals.ingest.ingest(body, request.headers['content-type']);
      return reply.code(status).send(summary);
    },
  );

  app.get<{ Querystring: Query }>('/api/v1/signals', { config: { wire: SignalsResponse } }, async (request) => {
    const query = request.query;
    const from = query['from'] ? parseInstant(query['from'], 'from', 0) : undefined;
    const to = query['to'] ? parseInstant(query['to'], 'to', 0) : undefined;
    if (from !== undefined && to !== undefined && from > to)
      throw new VigilError('invalid_query', `from (${toInstant(from)}) is after to (${toInstant(to)})`);
    const journey = query['journey']?.trim();
    const unmatched = query['unmatched'];
    if (unmatched !== undefined && unmatched !== 'true' && unmatched !== 'false')
      throw new VigilError('invalid_query', `unmatched: expected true or false, got ${JSON.stringify(unmatched.slice(0, 40))}`);
    if (unmatched === 'true' && journey) throw new VigilError('invalid_query', 'give journey or unmatched=true, not both');
    let after: SignalCursor | null = null;
    if (query['cursor']) {
      after = decodeSignalCursor(query['cursor']);
      if (!after)
        throw new VigilError('invalid_query', `cursor: ${JSON.stringify(query['cursor'].slice(0, 100))} is not a cursor this server gave`);
    }
    return api.signals.views.list({
      ...(unmatched === 'true' ? { journey: null } : journey ? { journey } : {}),
      ...(from !== undefined && { from }),
      ...(to !== undefined && { to }),
      ...(after && { after }),
      limit: parseLimit(query['limit']),
    });
  });
};
