/**
 * The release read model (docs/release.md): deployments with what each spent of every affected SLO's
 * budget, the gate's answer with its margins, and gate exceptions. The maths is src/value/release.ts.
 */
import type { z } from 'zod';
import { toInstant } from '../../api/common.js';
import {
  type DeployAccepted,
  type DeploymentJson,
  DeploymentRequest,
  type DeploymentsResponse,
  type GateExceptionJson,
  GateExceptionRequest,
  type GateExceptionsResponse,
  type GateResponse,
} from '../../api/release.js';
import type { SeriesDeployment } from '../../api/slo.js';
import { GOOD, TOTAL } from '../../engine/evaluate.js';
import { type MinuteSeries, SLICE_TARGET_SCALE } from '../../engine/minute-series.js';
import type { SloRef, SloRegistry } from '../../engine/slo-registry.js';
import { type MinuteRange, windowRange } from '../../engine/windows.js';
import { VigilError } from '../../errors/catalogue.js';
import { MS_PER_MINUTE } from '../../model/minutes.js';
import { DEFAULT_ATTRIBUTION_MINUTES, DEFAULT_POLICY, type Deployment, type GateException, type PolicySpec } from '../../model/release.js';
import type { DeploymentStore } from '../../store/deployments/deployment-store.js';
import {
  activeException,
  attributionInterval,
  type BudgetSpend,
  deploymentSpend,
  type GateSlo,
  gateDecision,
  margin,
  marginText,
  policyState,
  worstState,
} from '../../value/release.js';

const BEFORE_MINUTES = 1440;
const MAX_DEPLOYMENTS_PER_POST = 1000;

/** The configured policy, or the default one. */
export function policyOf(registry: SloRegistry): PolicySpec {
  return registry.config.policy ?? DEFAULT_POLICY;
}

/** Bad and total of an SLO over minutes [from, to): events, or one-minute slices for timeslice SLOs. */
function badTotal(series: MinuteSeries, ref: SloRef, from: number, to: number): { bad: number; total: number } {
  if (ref.slo.budgeting === 'timeslices') {
    const s = series.countSlices(from, to, GOOD, TOTAL, Math.round(ref.slo.timeSliceTarget * SLICE_TARGET_SCALE));
    return { bad: s.slices - s.goodSlices, total: s.slices };
  }
  const out = series.sums(from, to, new Float64Array(2));
  return { bad: out[TOTAL]! - out[GOOD]!, total: out[TOTAL]! };
}

/** The first problem of a zod failure as one line naming the field. */
function firstProblem(error: z.ZodError, prefix = ''): string {
  const issue = error.issues[0]!;
  const path = issue.path.map(String).join('.');
  return `${prefix}${path ? `${path}: ` : ''}${issue.message}`;
}

function exceptionJson(e: GateException, now: number): GateExceptionJson {
  return {
    id: e.id,
    journey: e.journey,
    service: e.service,
    until: toInstant(e.until),
    reason: e.reason,
    author: e.author,
    createdAt: toInstant(e.createdAt),
    active: e.until > now,
  };
}

/**
 * Deployments, the gate and exceptions over the SLO registry (read at each call: a reload swaps it) and the store.
 * @example await new ReleaseViews(() => runtime.registry, store.deployments).gate({ journey: 'wire-transfer' }, Date.now())
 */
export class ReleaseViews {
  constructor(
    private readonly registry: () => SloRegistry,
    private readonly store: DeploymentStore,
  ) {}

  /** The journeys whose steps name the service. */
  private journeysOfService(service: string): string[] {
    return this.registry()
      .config.journeys.filter((j) => j.steps.some((s) => s.services.includes(service)))
      .map((j) => j.name);
  }

  /** Validates and stores one deployment or an array of them (idempotent by id). Throws invalid_deployment. */
  async record(json: unknown, now: number): Promise<DeployAccepted> {
    const items = Array.isArray(json) ? json : [json];
    if (items.length === 0 || items.length > MAX_DEPLOYMENTS_PER_POST)
      throw new VigilError('invalid_deployment', `expected one deployment or an array of 1 to ${MAX_DEPLOYMENTS_PER_POST}`);
    const known = new Set(this.registry().config.journeys.map((j) => j.name));
    const deployments = items.map((item, i): Deployment => {
      const parsed = DeploymentRequest.safeParse(item);
      const where = Array.isArray(json) ? `[${i}] ` : '';
      if (!parsed.success) throw new VigilError('invalid_deployment', firstProblem(parsed.error, where));
      const d = parsed.data;
      const unknown = d.journeys?.find((j) => !known.has(j));
      if (unknown !== undefined) throw new VigilError('invalid_deployment', `${where}journeys: '${unknown}' is not a configured journey`);
      const startedAt = Date.parse(d.startedAt);
      const finishedAt = d.finishedAt === undefined ? null : Date.parse(d.finishedAt);
      if (finishedAt !== null && finishedAt < startedAt) throw new VigilError('invalid_deployment', `${where}finishedAt: before startedAt`);
      return {
        id: d.id,
        service: d.service,
        version: d.version,
        environment: d.environment ?? null,
        startedAt,
        finishedAt,
        description: d.description ?? null,
        author: d.author ?? null,
        url: d.url ?? null,
        journeys: d.journeys ?? this.journeysOfService(d.service),
        receivedAt: now,
      };
    });
    await this.store.saveDeployments(deployments);
    const all = await this.store.listDeployments({ from: Math.min(...deployments.map((d) => d.startedAt)) });
    return { accepted: deployments.length, deployments: deployments.map((d) => this.deploymentJson(d, all, now)) };
  }

  /** Deployments newest first, filtered, each with its SLOs' consumed / baseline / excess budget. */
  async list(query: { journey?: string; service?: string; from?: number; to?: number }, now: number): Promise<DeploymentsResponse> {
    // Everything from `from` on: a later deployment (even past `to`) may end an earlier one's attribution.
    const all = await this.store.listDeployments(query.from === undefined ? {} : { from: query.from });
    const shown = all.filter(
      (d) =>
        (query.to === undefined || d.startedAt < query.to) &&
        (query.journey === undefined || d.journeys.includes(query.journey)) &&
        (query.service === undefined || d.service === query.service),
    );
    return { deployments: shown.map((d) => this.deploymentJson(d, all, now)) };
  }

  /** The attribution interval of `d`, cut at the next deployment affecting one of its journeys (`all`: any order). */
  private interval(d: Deployment, all: readonly Deployment[], now: number): MinuteRange {
    const windowMinutes = this.registry().config.deployments?.attributionMinutes ?? DEFAULT_ATTRIBUTION_MINUTES;
    const next = all
      .filter((o) => o.id !== d.id && (o.startedAt > d.startedAt || (o.startedAt === d.startedAt && o.id > d.id)))
      .filter((o) => o.journeys.some((j) => d.journeys.includes(j)))
      .reduce<number | null>((min, o) => (min === null || o.startedAt < min ? o.startedAt : min), null);
    return attributionInterval(d.startedAt, next, now, windowMinutes);
  }

  /** What the interval spent of one SLO's budget (docs/release.md ("Attribution")). */
  private spend(journey: string, slo: string, interval: MinuteRange): BudgetSpend {
    const registry = this.registry();
    const ref = registry.slo(journey, slo)!;
    const spec = ref.slo;
    const series = registry.sliSeriesOf(ref.sli.key)!;
    const inInterval = badTotal(series, ref, interval.fromMinute, interval.toMinute);
    const window = windowRange(spec.window, (interval.toMinute - 1) * MS_PER_MINUTE, registry.config.defaults.timezone);
    const before = badTotal(series, ref, interval.fromMinute - BEFORE_MINUTES, interval.fromMinute);
    return deploymentSpend({
      objective: spec.objective,
      bad: inInterval.bad,
      total: inInterval.total,
      windowTotal: badTotal(series, ref, window.fromMinute, window.toMinute).total,
      beforeBad: before.bad,
      beforeTotal: before.total,
    });
  }

  private deploymentJson(d: Deployment, all: readonly Deployment[], now: number): DeploymentJson {
    const registry = this.registry();
    const interval = this.interval(d, all, now);
    const slos = d.journeys.flatMap((journey) =>
      (registry.journey(journey)?.slos ?? []).map((spec) => ({ journey, slo: spec.name, ...this.spend(journey, spec.name, interval) })),
    );
    return {
      id: d.id,
      service: d.service,
      version: d.version,
      environment: d.environment,
      startedAt: toInstant(d.startedAt),
      finishedAt: d.finishedAt === null ? null : toInstant(d.finishedAt),
      description: d.description,
      author: d.author,
      url: d.url,
      journeys: d.journeys,
      attribution: { from: toInstant(interval.fromMinute * MS_PER_MINUTE), to: toInstant(interval.toMinute * MS_PER_MINUTE) },
      slos,
    };
  }

  /**
   * The deployments affecting `journey` whose attribution interval meets [from, to], oldest first, with what each spent of
   * this SLO's budget: the annotations of the SLO series (docs/api.md ("Reading SLOs")). Empty for an unknown journey or SLO.
   */
  async seriesDeployments(journey: string, slo: string, from: number, to: number, now: number): Promise<SeriesDeployment[]> {
    const registry = this.registry();
    if (!registry.slo(journey, slo)) return [];
    const windowMinutes = registry.config.deployments?.attributionMinutes ?? DEFAULT_ATTRIBUTION_MINUTES;
    // An interval lasts at most the attribution window: older deployments cannot reach `from`.
    const all = await this.store.listDeployments({ from: from - (windowMinutes + 1) * MS_PER_MINUTE });
    const out: SeriesDeployment[] = [];
    for (const d of all) {
      if (!d.journeys.includes(journey) || d.startedAt > to) continue;
      const interval = this.interval(d, all, now);
      const start = interval.fromMinute * MS_PER_MINUTE;
      const end = interval.toMinute * MS_PER_MINUTE;
      if (start > to || end <= from) continue;
      out.push({
        id: d.id,
        service: d.service,
        version: d.version,
        author: d.author,
        url: d.url,
        description: d.description,
        startedAt: toInstant(d.startedAt),
        attribution: { from: toInstant(start), to: toInstant(end) },
        ...this.spend(journey, slo, interval),
      });
    }
    return out.sort((a, b) => Date.parse(a.startedAt) - Date.parse(b.startedAt) || (a.id < b.id ? -1 : 1));
  }

  /** A journey's policy state now: the worst of its SLOs' states (null: no SLO). */
  journeyState(journey: string, at: number): string | null {
    const registry = this.registry();
    const policy = policyOf(registry);
    const states = (registry.journey(journey)?.slos ?? []).map((s) =>
      policyState(registry.status(journey, s.name, at)!.errorBudget.remaining, policy.states),
    );
    return worstState(states, policy.states);
  }

  /** The gate's answer for a journey or a service. Throws journey_not_found for an unknown journey. */
  async gate(target: { journey?: string; service?: string }, now: number): Promise<GateResponse> {
    const registry = this.registry();
    const policy = policyOf(registry);
    let journeys: string[];
    if (target.journey !== undefined) {
      if (!registry.journey(target.journey))
        throw new VigilError('journey_not_found', `No journey named '${target.journey}' is configured`);
      journeys = [target.journey];
    } else journeys = this.journeysOfService(target.service ?? '');
    const gateSlos: GateSlo[] = [];
    const out: GateResponse['journeys'] = [];
    for (const journey of journeys) {
      const slos = (registry.journey(journey)?.slos ?? []).map((spec) => {
        const status = registry.status(journey, spec.name, now)!;
        const state = policyState(status.errorBudget.remaining, policy.states);
        const minutes = (Date.parse(status.windowEnd) - Date.parse(status.windowStart)) / MS_PER_MINUTE;
        const m = margin(status.errorBudget.allowed, status.errorBudget.consumed, status.total, minutes);
        gateSlos.push({
          journey,
          slo: spec.name,
          state,
          remaining: status.errorBudget.remaining,
          page: status.alerts.page,
          ticket: status.alerts.ticket,
        });
        return {
          slo: spec.name,
          state,
          remaining: status.errorBudget.remaining,
          page: status.alerts.page,
          ticket: status.alerts.ticket,
          margin: { ...m, text: marginText(m) },
        };
      });
      out.push({
        journey,
        state: worstState(
          slos.map((s) => s.state),
          policy.states,
        ),
        slos,
      });
    }
    const exception = activeException(await this.store.listGateExceptions(), target, now, journeys);
    const { decision, reasons } = gateDecision(gateSlos, policy.gate, exception);
    const why =
      decision === 'cannot_decide'
        ? [
            journeys.length === 0
              ? `no configured journey's steps name the service '${target.service}'`
              : 'the journeys concerned have no SLO',
          ]
        : reasons;
    return { at: toInstant(now), decision, reasons: why, journeys: out, exception: exception && exceptionJson(exception, now) };
  }

  /** Validates and stores a gate exception by `author` (the token's name; the body's author only without one). */
  async addException(json: unknown, author: string | null, now: number): Promise<GateExceptionJson> {
    const parsed = GateExceptionRequest.safeParse(json);
    if (!parsed.success) throw new VigilError('invalid_gate_exception', firstProblem(parsed.error));
    const e = parsed.data;
    const until = Date.parse(e.until);
    if (until <= now) throw new VigilError('invalid_gate_exception', `until: ${e.until} is not in the future`);
    if (e.journey !== undefined && !this.registry().journey(e.journey))
      throw new VigilError('invalid_gate_exception', `journey: '${e.journey}' is not a configured journey`);
    const by = author ?? e.author;
    if (by === undefined) throw new VigilError('invalid_gate_exception', 'author: required when the request carries no token');
    const exception: GateException = {
      id: `gx-${now.toString(36)}-${Math.random().toString(36).slice(2, 8)}`,
      journey: e.journey ?? null,
      service: e.service ?? null,
      until,
      reason: e.reason,
      author: by,
      createdAt: now,
    };
    await this.store.addGateException(exception);
    return exceptionJson(exception, now);
  }

  /** Every exception ever made, oldest first. */
  async exceptions(now: number): Promise<GateExceptionsResponse> {
    return { exceptions: (await this.store.listGateExceptions()).map((e) => exceptionJson(e, now)) };
  }
}
