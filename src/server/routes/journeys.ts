/** Read endpoints for journeys and their SLOs (docs/api.md ("Reading SLOs")). */
import type { FastifyInstance } from 'fastify';
import type { OutcomeCounts } from '../../engine/slo-registry.js';
import { rollingRange } from '../../engine/windows.js';
import { VigilError } from '../../errors/catalogue.js';
import type { JourneySpec } from '../../model/config.js';
import type { SloStatus } from '../../model/status.js';
import type { VigilRuntime } from '../../app/runtime.js';
import { parseInstant, parseStep } from '../query.js';

const MAX_SERIES_POINTS = 5000;
const DEFAULT_SERIES_POINTS = 288;

interface Params {
  journey: string;
  slo: string;
}

type Query = Record<string, string | undefined>;

/** Outcome counts of a scope with its success rate: success / (success + failure), null when none. */
export interface StepOutcomes extends OutcomeCounts {
  successRate: number | null;
}

function withRate(counts: OutcomeCounts): StepOutcomes {
  const valid = counts.success + counts.failure;
  return { ...counts, successRate: valid > 0 ? counts.success / valid : null };
}

function journeyHead(journey: JourneySpec) {
  return {
    name: journey.name,
    displayName: journey.displayName,
    ...(journey.description ? { description: journey.description } : {}),
    tier: journey.tier,
    ...(journey.owner ? { owner: journey.owner } : {}),
    ...(journey.value ? { value: journey.value } : {}),
  };
}

function alertState(statuses: SloStatus[]) {
  return { page: statuses.some((s) => s.alerts.page), ticket: statuses.some((s) => s.alerts.ticket) };
}

export function journeyRoutes(app: FastifyInstance, runtime: VigilRuntime): void {
  const { registry } = runtime;

  const journeyOr404 = (name: string): JourneySpec => {
    const journey = registry.journey(name);
    if (!journey) throw new VigilError('journey_not_found', `No journey named '${name}' is configured`);
    return journey;
  };
  const statusesOf = (journey: JourneySpec, at: number) => journey.slos.map((slo) => registry.status(journey.name, slo.name, at)!);
  const outcomes = (journey: string, step: string | null, at: number, minutes: number) => {
    const range = rollingRange(minutes, at);
    return withRate(registry.outcomes(journey, step, range.fromMinute, range.toMinute));
  };

  app.get<{ Querystring: Query }>('/api/v1/journeys', async (request) => {
    const at = parseInstant(request.query.at, 'at', runtime.clock());
    return {
      at: new Date(at).toISOString(),
      journeys: runtime.config.journeys.map((journey) => {
        const slos = statusesOf(journey, at);
        return {
          ...journeyHead(journey),
          steps: journey.steps.map((s) => ({
            name: s.name,
            displayName: s.displayName ?? s.name,
            services: s.services,
            critical: s.critical,
          })),
          // Whole-journey outcomes: the customer's success now, whatever kind the journey's SLOs are.
          outcomes: { '5m': outcomes(journey.name, null, at, 5), '1h': outcomes(journey.name, null, at, 60) },
          slos,
          alerts: alertState(slos),
        };
      }),
    };
  });

  app.get<{ Params: Params; Querystring: Query }>('/api/v1/journeys/:journey', async (request) => {
    const journey = journeyOr404(request.params.journey);
    const at = parseInstant(request.query.at, 'at', runtime.clock());
    const slos = statusesOf(journey, at);
    return {
      at: new Date(at).toISOString(),
      ...journeyHead(journey),
      outcomes: { '1h': outcomes(journey.name, null, at, 60), '1d': outcomes(journey.name, null, at, 1440) },
      steps: journey.steps.map((step) => ({
        name: step.name,
        displayName: step.displayName ?? step.name,
        services: step.services,
        critical: step.critical,
        outcomes: { '1h': outcomes(journey.name, step.name, at, 60), '1d': outcomes(journey.name, step.name, at, 1440) },
        slos: journey.slos.filter((s) => s.sli.step === step.name).map((s) => s.name),
      })),
      slos,
      alerts: alertState(slos),
    };
  });

  app.get<{ Params: Params; Querystring: Query }>('/api/v1/journeys/:journey/slos/:slo/status', async (request) => {
    const journey = journeyOr404(request.params.journey);
    const at = parseInstant(request.query.at, 'at', runtime.clock());
    const status = registry.status(journey.name, request.params.slo, at);
    if (!status) throw new VigilError('slo_not_found', `Journey '${journey.name}' has no SLO named '${request.params.slo}'`);
    return status;
  });

  app.get<{ Params: Params; Querystring: Query }>('/api/v1/journeys/:journey/slos/:slo/series', async (request) => {
    const journey = journeyOr404(request.params.journey);
    const ref = registry.slo(journey.name, request.params.slo);
    if (!ref) throw new VigilError('slo_not_found', `Journey '${journey.name}' has no SLO named '${request.params.slo}'`);
    const to = parseInstant(request.query.to, 'to', runtime.clock());
    const from = parseInstant(request.query.from, 'from', to - 86_400_000);
    if (from > to)
      throw new VigilError('invalid_query', `from (${new Date(from).toISOString()}) is after to (${new Date(to).toISOString()})`);
    const autoStep = Math.max(60_000, Math.ceil((to - from) / DEFAULT_SERIES_POINTS / 60_000) * 60_000);
    const step = parseStep(request.query.step, 'step', autoStep);
    const points = Math.floor((to - from) / step) + 1;
    if (points > MAX_SERIES_POINTS) {
      throw new VigilError(
        'invalid_query',
        `from, to and step ask for ${points} points; at most ${MAX_SERIES_POINTS} are served: widen the step`,
      );
    }
    return {
      journey: journey.name,
      slo: ref.slo.name,
      objective: ref.slo.objective,
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
      stepMs: step,
      points: registry.history(journey.name, ref.slo.name, from, to, step)!,
    };
  });
}
