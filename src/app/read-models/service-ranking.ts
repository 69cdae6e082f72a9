/**
 * Where to invest (docs/value.md ("Where to invest")): the inputs of the ranking read from the SLO registry's minute
 * aggregates, the incidents and technical alert counts of the period from the alerting store, and a bounded sample of
 * failed events for journeys valued by fee; the maths is src/value/service-ranking.ts.
 */
import { toInstant } from '../../api/common.js';
import type { ServiceRankingResponse } from '../../api/services.js';
import { allowedBad } from '../../engine/error-budget.js';
import { GOOD, TOTAL } from '../../engine/evaluate.js';
import { SLICE_TARGET_SCALE, sliceIsGood } from '../../engine/minute-series.js';
import type { SloRef, SloRegistry } from '../../engine/slo-registry.js';
import { windowRange } from '../../engine/windows.js';
import { VigilError } from '../../errors/catalogue.js';
import type { Incident } from '../../model/incident.js';
import { MS_PER_MINUTE, minuteOf } from '../../model/minutes.js';
import type { AlertingStore } from '../../store/alerting/alerting-store.js';
import type { EventStore } from '../../store/store.js';
import { type RankingIncident, type RankingJourney, type RankingSlo, rankServices } from '../../value/service-ranking.js';
import { unitValue } from '../../value/unit-value.js';
import { MAX_VALUE_DAYS } from './journey-value.js';

const DAY_MS = 86_400_000;
/** Failed events read to value an attempt of a journey valued by fee. */
const FEE_SAMPLE = 500;
const INCIDENT_PAGE = 500;

/** The total of an SLO over minutes [from, to): events, or one-minute slices with events for timeslice SLOs. */
function sloTotal(registry: SloRegistry, ref: SloRef, from: number, to: number): number {
  const series = registry.sliSeriesOf(ref.sli.key)!;
  if (ref.slo.budgeting === 'timeslices')
    return series.countSlices(from, to, GOOD, TOTAL, Math.round(ref.slo.timeSliceTarget * SLICE_TARGET_SCALE)).slices;
  return series.sums(from, to, new Float64Array(2))[TOTAL]!;
}

/** Minute → bad events (or 1 for a bad slice) of an SLO over [from, to); minutes without are left out. */
function badMinutes(registry: SloRegistry, ref: SloRef, from: number, to: number): Map<number, number> {
  const series = registry.sliSeriesOf(ref.sli.key)!;
  const bad = new Map<number, number>();
  const sums = new Float64Array(2);
  const target = Math.round(ref.slo.timeSliceTarget * SLICE_TARGET_SCALE);
  for (let day = from; day < to; day += 1440) {
    const end = Math.min(day + 1440, to);
    series.sums(day, end, sums);
    if (sums[TOTAL]! === 0) continue;
    for (let m = day; m < end; m++) {
      const t = series.get(m, TOTAL);
      if (t === 0) continue;
      const g = series.get(m, GOOD);
      if (ref.slo.budgeting === 'timeslices') {
        if (!sliceIsGood(g, t, target)) bad.set(m, 1);
      } else if (t - g > 0) bad.set(m, t - g);
    }
  }
  return bad;
}

/** Every incident open at some time in [from, to), merged ones left out (their alerts live on in the incident they joined). */
async function incidentsIn(store: Pick<AlertingStore, 'incidents'>, from: number, to: number): Promise<Incident[]> {
  const all: Incident[] = [];
  for (;;) {
    const last = all[all.length - 1];
    const page = await store.incidents({
      from,
      to,
      limit: INCIDENT_PAGE,
      ...(last ? { after: { openedAt: last.openedAt, id: last.id } } : {}),
    });
    all.push(...page);
    if (page.length < INCIDENT_PAGE) return all.filter((i) => i.mergedInto === null);
  }
}

/**
 * The ranking over [from, to), both aligned to whole minutes (from down, to up).
 * Throws invalid_query for a reversed or too long period.
 * @example await serviceRanking(runtime.registry, store.events, store.alerting, Date.now() - 30 * 86_400_000, Date.now())
 */
export async function serviceRanking(
  registry: SloRegistry,
  events: Pick<EventStore, 'events'>,
  alerting: Pick<AlertingStore, 'incidents' | 'technicalAlertCounts'>,
  fromMs: number,
  toMs: number,
): Promise<ServiceRankingResponse> {
  const fromMinute = minuteOf(fromMs);
  const toMinute = Math.ceil(toMs / MS_PER_MINUTE);
  const from = fromMinute * MS_PER_MINUTE;
  const to = toMinute * MS_PER_MINUTE;
  if (to <= from) throw new VigilError('invalid_query', `from (${toInstant(fromMs)}) must be before to (${toInstant(toMs)})`);
  if (to - from > MAX_VALUE_DAYS * DAY_MS) throw new VigilError('invalid_query', `from and to span more than ${MAX_VALUE_DAYS} days`);
  const config = registry.config;

  const journeys: RankingJourney[] = [];
  for (const journey of config.journeys) {
    const failures = new Map<string, Map<number, number>>();
    for (const step of journey.steps)
      failures.set(step.name, registry.outcomeMinutes(journey.name, step.name, 'failure', fromMinute, toMinute));
    const slos: RankingSlo[] = journey.slos.map((spec) => {
      const ref = registry.slo(journey.name, spec.name)!;
      const window = windowRange(spec.window, (toMinute - 1) * MS_PER_MINUTE, config.defaults.timezone);
      return {
        name: spec.name,
        step: spec.sli.step ?? null,
        bad: badMinutes(registry, ref, fromMinute, toMinute),
        allowed: allowedBad(sloTotal(registry, ref, window.fromMinute, window.toMinute), spec.objective),
      };
    });
    const anyFailure = [...failures.values()].some((m) => m.size > 0);
    const sample =
      journey.value?.feeRate !== undefined && anyFailure
        ? await events.events({ journey: journey.name, from, to, outcomes: ['failure'], limit: FEE_SAMPLE })
        : [];
    journeys.push({
      name: journey.name,
      tier: journey.tier,
      steps: journey.steps,
      slos,
      failures,
      unit: unitValue(journey.value, sample),
    });
  }

  const stored = await incidentsIn(alerting, from, to);
  const incidents: RankingIncident[] = stored.map((i) => ({
    id: i.id,
    fromMinute: minuteOf(i.openedAt),
    toMinute: i.resolvedAt === null ? toMinute : Math.ceil(i.resolvedAt / MS_PER_MINUTE),
    stages: i.stages,
    services: i.services,
  }));
  const alerts = new Map((await alerting.technicalAlertCounts(from, to)).map((c) => [c.service, c.alerts]));
  const tierOrder = Object.values(config.tiers)
    .sort((a, b) => b.objective - a.objective || (a.name < b.name ? -1 : 1))
    .map((t) => t.name);
  const ranking = rankServices({ journeys, tierOrder, catalogue: config.services, incidents, alerts });
  const owners = new Map(config.services.filter((s) => s.owner).map((s) => [s.name, s.owner!]));
  return {
    from: toInstant(from),
    to: toInstant(to),
    currencies: ranking.currencies,
    services: ranking.services.map((s, i) => ({
      rank: i + 1,
      name: s.service,
      ...(owners.has(s.service) ? { owner: owners.get(s.service)! } : {}),
      tier: s.tier,
      failedAttempts: s.failedAttempts,
      valueLost: s.valueLost,
      slos: s.slos,
      incidents: s.incidents,
      alerts: s.alerts,
      pinnedAt: s.pinnedAt,
    })),
  };
}
