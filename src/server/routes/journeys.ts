/** Read endpoints for journeys and their SLOs (docs/api.md ("Reading SLOs")): parse the query, ask the read model. */
import type { FastifyPluginAsync } from 'fastify';
import { JourneyDetail, JourneysResponse } from '../../api/journeys.js';
import { SeriesResponse, SloStatus } from '../../api/slo.js';
import { JourneyValueResponse } from '../../api/value.js';
import type { VigilApi } from '../../app/api.js';
import { requireScope } from '../access.js';
import { parseInstant, parseStep } from '../query.js';

interface Params {
  journey: string;
  slo: string;
}

type Query = Record<string, string | undefined>;

export const journeyRoutes: FastifyPluginAsync<{ api: VigilApi }> = async (app, { api }) => {
  requireScope(app, api.access, 'read');
  // api.journeys is read at each request, never kept: a configuration reload swaps the read model (docs/cli.md ("Signals")).

  // Each journey carries its customer signals and blind spot (docs/signals.md ("Blind spots")), and an important business
  // service its impact tolerance and running disruption clock (docs/impact-tolerances.md ("Where the clock shows")).
  app.get<{ Querystring: Query }>('/api/v1/journeys', { config: { wire: JourneysResponse } }, async (request) => {
    const at = parseInstant(request.query.at, 'at', api.clock());
    return api.tolerances.withClocks(await api.signals.views.withSignals(api.journeys.list(at), at), at);
  });

  app.get<{ Params: Params; Querystring: Query }>('/api/v1/journeys/:journey', { config: { wire: JourneyDetail } }, async (request) => {
    const at = parseInstant(request.query.at, 'at', api.clock());
    return api.tolerances.detailWithClock(
      await api.signals.views.detailWithSignals(api.journeys.detail(request.params.journey, at), at),
      at,
    );
  });

  app.get<{ Params: Params; Querystring: Query }>(
    '/api/v1/journeys/:journey/slos/:slo/status',
    { config: { wire: SloStatus } },
    async (request) =>
      api.journeys.sloStatus(request.params.journey, request.params.slo, parseInstant(request.query.at, 'at', api.clock())),
  );

  app.get<{ Params: Params; Querystring: Query }>(
    '/api/v1/journeys/:journey/slos/:slo/series',
    { config: { wire: SeriesResponse } },
    async (request) => {
      const to = parseInstant(request.query.to, 'to', api.clock());
      const from = parseInstant(request.query.from, 'from', to - 86_400_000);
      const step = request.query.step ? parseStep(request.query.step, 'step', 0) : undefined;
      return api.sloSeries(request.params.journey, request.params.slo, from, to, step);
    },
  );

  // What unreliability cost the journey (docs/value.md); the default period is the last 30 days.
  app.get<{ Params: Params; Querystring: Query }>(
    '/api/v1/journeys/:journey/value',
    { config: { wire: JourneyValueResponse } },
    async (request) => {
      const to = parseInstant(request.query.to, 'to', api.clock());
      const from = parseInstant(request.query.from, 'from', to - 30 * 86_400_000);
      return api.journeyValue(request.params.journey, from, to);
    },
  );
};
