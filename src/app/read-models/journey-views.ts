/**
 * The journey read model (docs/api.md ("Reading SLOs")): journeys with their steps, outcomes and SLO
 * statuses, one SLO's status and its history, as the wire contract shapes them. Routes only parse
 * the request and call these.
 */
import type { JourneyDetail, JourneysResponse, JourneySummary, ScopeOutcomes } from '../../api/journeys.js';
import type { SeriesDeployment, SeriesResponse, SloStatus } from '../../api/slo.js';
import { toInstant } from '../../api/common.js';
import type { SloRegistry } from '../../engine/slo-registry.js';
import { rollingRange } from '../../engine/windows.js';
import { correctionOccurrences } from '../../engine/corrections.js';
import { VigilError } from '../../errors/catalogue.js';
import type { JourneySpec } from '../../model/config.js';
import type { OutcomeCounts } from '../../model/minutes.js';
import { DEFAULT_POLICY, type PolicySpec } from '../../model/release.js';
import { policyState, worstState } from '../../value/release.js';

/** Most points one series answer holds; a wider range needs a wider step. */
export const MAX_SERIES_POINTS = 5000;
/** Points of a series when no step is asked for. */
export const DEFAULT_SERIES_POINTS = 288;

function withRate(counts: OutcomeCounts): ScopeOutcomes {
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

/** The journey's budget-policy state (docs/release.md ("Budget policy")): the worst of its SLOs' states. */
function journeyPolicyState(statuses: readonly SloStatus[], policy: PolicySpec): string | null {
  return worstState(
    statuses.map((s) => policyState(s.errorBudget.remaining, policy.states)),
    policy.states,
  );
}

function alertState(statuses: readonly SloStatus[]) {
  return { page: statuses.some((s) => s.alerts.page), ticket: statuses.some((s) => s.alerts.ticket) };
}

/**
 * Journeys as the API serves them, from the SLO registry kept in memory.
 * @example new JourneyViews(registry).list(Date.now()).journeys[0].outcomes['5m'].successRate
 */
export class JourneyViews {
  constructor(private readonly registry: SloRegistry) {}

  /** Every journey: steps, whole-journey outcomes over 5 minutes and an hour, SLO statuses, alert state. */
  list(at: number): JourneysResponse {
    return {
      at: toInstant(at),
      journeys: this.registry.config.journeys.map((journey): JourneySummary => {
        const slos = this.statuses(journey, at);
        return {
          ...journeyHead(journey),
          steps: journey.steps.map((s) => ({
            name: s.name,
            displayName: s.displayName ?? s.name,
            services: s.services,
            critical: s.critical,
          })),
          // Whole-journey outcomes: the customer's success now, whatever kind the journey's SLOs are.
          outcomes: { '5m': this.outcomes(journey.name, null, at, 5), '1h': this.outcomes(journey.name, null, at, 60) },
          slos,
          alerts: alertState(slos),
          policyState: journeyPolicyState(slos, this.registry.config.policy ?? DEFAULT_POLICY),
        };
      }),
    };
  }

  /** One journey with per-step outcomes over an hour and a day. Throws `journey_not_found`. */
  detail(name: string, at: number): JourneyDetail {
    const journey = this.journeyOr404(name);
    const slos = this.statuses(journey, at);
    return {
      at: toInstant(at),
      ...journeyHead(journey),
      outcomes: { '1h': this.outcomes(journey.name, null, at, 60), '1d': this.outcomes(journey.name, null, at, 1440) },
      steps: journey.steps.map((step) => ({
        name: step.name,
        displayName: step.displayName ?? step.name,
        services: step.services,
        critical: step.critical,
        outcomes: { '1h': this.outcomes(journey.name, step.name, at, 60), '1d': this.outcomes(journey.name, step.name, at, 1440) },
        slos: journey.slos.filter((s) => s.sli.step === step.name).map((s) => s.name),
      })),
      slos,
      alerts: alertState(slos),
      policyState: journeyPolicyState(slos, this.registry.config.policy ?? DEFAULT_POLICY),
    };
  }

  /** One SLO's status. Throws `journey_not_found` or `slo_not_found`. */
  sloStatus(journey: string, slo: string, at: number): SloStatus {
    const spec = this.journeyOr404(journey);
    const status = this.registry.status(spec.name, slo, at);
    if (!status) throw new VigilError('slo_not_found', `Journey '${spec.name}' has no SLO named '${slo}'`);
    return status;
  }

  /**
   * One SLO evaluated every `stepMs` from `from` to `to`; `stepMs` undefined picks a step giving about
   * DEFAULT_SERIES_POINTS points, annotated with the `deployments` of the range (ReleaseViews.seriesDeployments).
   * Throws `invalid_query` for a reversed range or too many points.
   */
  series(
    journey: string,
    slo: string,
    from: number,
    to: number,
    stepMs: number | undefined,
    deployments: readonly SeriesDeployment[],
  ): SeriesResponse {
    const spec = this.journeyOr404(journey);
    const ref = this.registry.slo(spec.name, slo);
    if (!ref) throw new VigilError('slo_not_found', `Journey '${spec.name}' has no SLO named '${slo}'`);
    if (from > to) throw new VigilError('invalid_query', `from (${toInstant(from)}) is after to (${toInstant(to)})`);
    const step = stepMs ?? Math.max(60_000, Math.ceil((to - from) / DEFAULT_SERIES_POINTS / 60_000) * 60_000);
    const points = Math.floor((to - from) / step) + 1;
    if (points > MAX_SERIES_POINTS) {
      throw new VigilError(
        'invalid_query',
        `from, to and step ask for ${points} points; at most ${MAX_SERIES_POINTS} are served: widen the step`,
      );
    }
    return {
      journey: spec.name,
      slo: ref.slo.name,
      objective: ref.slo.objective,
      from: toInstant(from),
      to: toInstant(to),
      stepMs: step,
      points: this.registry.history(spec.name, ref.slo.name, from, to, step)!,
      deployments: [...deployments],
      corrections: correctionOccurrences(
        (this.registry.config.corrections ?? []).filter((c) => c.journeys.includes(spec.name)),
        this.registry.config.defaults.timezone,
        from,
        to,
      ).map((c) => ({ name: c.name, from: toInstant(c.from), to: toInstant(c.to), reason: c.reason ?? null })),
    };
  }

  private journeyOr404(name: string): JourneySpec {
    const journey = this.registry.journey(name);
    if (!journey) throw new VigilError('journey_not_found', `No journey named '${name}' is configured`);
    return journey;
  }

  private statuses(journey: JourneySpec, at: number): SloStatus[] {
    return journey.slos.map((slo) => this.registry.status(journey.name, slo.name, at)!);
  }

  private outcomes(journey: string, step: string | null, at: number, minutes: number): ScopeOutcomes {
    const range = rollingRange(minutes, at);
    return withRate(this.registry.outcomes(journey, step, range.fromMinute, range.toMinute));
  }
}
