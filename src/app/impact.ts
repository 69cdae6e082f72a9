/**
 * Customer and business impact of the stages an incident touches, measured from live data: SLO burn,
 * distinct customers failed, failures per hour and the money they carry (docs/alerting.md ("How impact is measured")).
 */
import type { SloRegistry } from '../engine/slo-registry.js';
import { rollingRange } from '../engine/windows.js';
import type { Stage } from '../model/alert.js';
import type { Impact, IncidentFigures, Priority } from '../model/incident.js';
import type { SloStatus } from '../api/slo.js';
import { type Money, money, sumByCurrency } from '../model/money.js';
import type { EventStore } from '../store/store.js';

const HOUR_MS = 3_600_000;
/** Degradation is judged over the last quarter hour. */
const RATE_WINDOW_MINUTES = 15;
/** A stage is degraded when its recent failure ratio is this many times its day's ratio… */
const DEGRADED_FACTOR = 3;
/** …and at least this ratio, over at least this many events. */
const DEGRADED_MIN_RATIO = 0.005;
const DEGRADED_MIN_EVENTS = 20;
/** A 1 h burn rate from which customers are clearly hurt beyond the sustainable pace. */
const IMPACT_BURN = 2;
const SAMPLE_AMOUNTS = 500;

interface StageFailures {
  failures: number;
  valid: number;
  dayFailures: number;
  dayValid: number;
}

function stageFailures(registry: SloRegistry, stage: Stage, now: number, minutes: number): StageFailures {
  const recent = rollingRange(minutes, now);
  const day = rollingRange(1440, now);
  const r = registry.outcomes(stage.journey, stage.step, recent.fromMinute, recent.toMinute);
  const d = registry.outcomes(stage.journey, stage.step, day.fromMinute, day.toMinute);
  return { failures: r.failure, valid: r.success + r.failure, dayFailures: d.failure, dayValid: d.success + d.failure };
}

function degraded(f: StageFailures): boolean {
  if (f.valid < DEGRADED_MIN_EVENTS) return false;
  const ratio = f.failures / f.valid;
  // The baseline is the rest of the day, without the recent span being judged.
  const restValid = f.dayValid - f.valid;
  const baseline = restValid > 0 ? (f.dayFailures - f.failures) / restValid : 0;
  return ratio >= DEGRADED_MIN_RATIO && ratio >= DEGRADED_FACTOR * baseline;
}

/**
 * The SLOs that watch the given stages: step SLOs of those steps, and whole-journey SLOs of the journeys in
 * `wholeJourneys` only (docs/alerting.md ("Impact belongs to its stage")): a journey's burn is not the harm of a
 * step that works normally.
 */
function slosOf(registry: SloRegistry, stages: readonly Stage[], now: number, wholeJourneys: ReadonlySet<string>): SloStatus[] {
  const out: SloStatus[] = [];
  const journeys = new Set(stages.map((s) => s.journey));
  for (const ref of registry.allSlos()) {
    if (!journeys.has(ref.journey.name)) continue;
    const step = ref.slo.sli.step ?? null;
    if (step === null && !wholeJourneys.has(ref.journey.name)) continue;
    if (step !== null && !stages.some((s) => s.journey === ref.journey.name && (s.step === step || s.step === null))) continue;
    out.push(registry.status(ref.journey.name, ref.slo.name, now)!);
  }
  return out;
}

/**
 * Journeys whose whole-journey outcomes and SLOs count for these stages: those where the incident touches the
 * whole journey, or one of its own steps fails above normal, or reports no step events to judge by.
 */
function journeysOwning(registry: SloRegistry, stages: readonly Stage[], now: number): Set<string> {
  const out = new Set<string>();
  for (const stage of stages) {
    if (out.has(stage.journey)) continue;
    if (stage.step === null) {
      out.add(stage.journey);
      continue;
    }
    const f = stageFailures(registry, stage, now, RATE_WINDOW_MINUTES);
    if (f.dayValid === 0 || degraded(f)) out.add(stage.journey);
  }
  return out;
}

/** Tiers ranked by their objective: the stricter the objective, the more critical the tier. */
function worstTier(registry: SloRegistry, journeys: readonly string[]): string | null {
  let best: { name: string; objective: number } | null = null;
  for (const name of journeys) {
    const journey = registry.journey(name);
    if (!journey) continue;
    const objective = registry.config.tiers[journey.tier]?.objective ?? 0;
    if (!best || objective > best.objective) best = { name: journey.tier, objective };
  }
  return best?.name ?? null;
}

/**
 * Measure the impact on `stages` at `now`, counting customers from a quarter hour before `since`
 * (the incident's first alert) and over at most the last hour.
 * @example await assessImpact(registry, store, incident.stages, incident.openedAt, Date.now())
 */
export async function assessImpact(
  registry: SloRegistry,
  store: Pick<EventStore, 'distinctCustomers' | 'events'>,
  stages: readonly Stage[],
  since: number,
  now: number,
): Promise<Impact> {
  const journeys = [...new Set(stages.map((s) => s.journey))].filter((j) => registry.journey(j));
  const known = stages.filter((s) => journeys.includes(s.journey));
  const owning = journeysOwning(registry, known, now);
  const statuses = slosOf(registry, known, now, owning);
  let maxBurnRate: number | null = null;
  for (const s of statuses) {
    const burn = s.burnRates['1h'];
    if (burn !== null && (maxBurnRate === null || burn > maxBurnRate)) maxBurnRate = burn;
  }
  const alerting = statuses.some((s) => s.alerts.page || s.alerts.ticket);
  const anyDegraded = known.some((stage) => degraded(stageFailures(registry, stage, now, RATE_WINDOW_MINUTES)));

  // Customers count from a quarter hour before the first alert (failures precede the alerts they
  // cause), over at most the last hour.
  const from = Math.max(since - RATE_WINDOW_MINUTES * 60_000, now - HOUR_MS);
  // Failures per hour over the same span as the customers (the incident so far, 15 to 60 minutes),
  // so the two figures describe the same failures.
  const rateMinutes = Math.min(60, Math.max(RATE_WINDOW_MINUTES, Math.ceil((now - since) / 60_000)));
  let customersAffected = 0;
  let failuresPerHour = 0;
  // One amount per journey in its own currency; the totals keep currencies apart (docs/alerting.md).
  const valueAtRisk: Money[] = [];
  for (const journeyName of journeys) {
    const journey = registry.journey(journeyName)!;
    const stepsHere = known.filter((s) => s.journey === journeyName);
    const wholeJourney = stepsHere.some((s) => s.step === null);
    for (const stage of wholeJourney
      ? [{ journey: journeyName, step: undefined }]
      : stepsHere.map((s) => ({ journey: journeyName, step: s.step ?? undefined }))) {
      customersAffected += await store.distinctCustomers({
        journey: stage.journey,
        ...(stage.step !== undefined ? { step: stage.step } : {}),
        from,
        to: now + 1,
        outcomes: ['failure'],
      });
    }
    // Failures per hour: the journey's final outcomes when they count for these stages and it reports them,
    // else its worst affected step.
    const whole = stageFailures(registry, { journey: journeyName, step: null }, now, rateMinutes);
    let failures = whole.failures;
    if (whole.valid === 0 || !owning.has(journeyName))
      failures = Math.max(0, ...stepsHere.map((s) => stageFailures(registry, s, now, rateMinutes).failures));
    const perHour = failures * (60 / rateMinutes);
    failuresPerHour += perHour;
    if (journey.value && perHour > 0) {
      const { currency } = journey.value;
      if (journey.value.revenuePerSuccess !== undefined) valueAtRisk.push(money(perHour * journey.value.revenuePerSuccess, currency));
      else if (journey.value.feeRate !== undefined) {
        const sample = await store.events({
          journey: journeyName,
          from: now - rateMinutes * 60_000,
          to: now + 1,
          outcomes: ['failure'],
          limit: SAMPLE_AMOUNTS,
        });
        // The mean amount per failure, split by the currency each event was paid in (the journey's when
        // the event names none): a fee on a GBP payment is GBP, even in a journey valued in EUR.
        const withAmount = sample.filter((e) => typeof e.amount === 'number');
        const sums = new Map<string, number>();
        for (const e of withAmount) sums.set(e.currency ?? currency, (sums.get(e.currency ?? currency) ?? 0) + e.amount!);
        for (const [paidIn, sum] of sums) valueAtRisk.push(money((perHour * sum * journey.value.feeRate) / withAmount.length, paidIn));
      }
    }
  }
  // A stage failing above its normal rate is impact only when someone actually failed in the span.
  const customerImpact =
    known.length > 0 &&
    (alerting || (maxBurnRate !== null && maxBurnRate >= IMPACT_BURN) || (anyDegraded && (customersAffected > 0 || failuresPerHour > 0)));
  return {
    customerImpact,
    maxBurnRate,
    customersAffected,
    failuresPerHour,
    valueAtRiskPerHour: sumByCurrency(valueAtRisk),
    tier: worstTier(registry, journeys),
    criticalStage: known.some(
      (s) => s.step !== null && registry.journey(s.journey)?.steps.find((st) => st.name === s.step)?.critical === true,
    ),
    assessedAt: now,
  };
}

/**
 * Whether the stages have recovered: no page firing on their SLOs, no fast burn over the last
 * 5 minutes, and no stage failing above its normal rate.
 */
export function stagesRecovered(registry: SloRegistry, stages: readonly Stage[], now: number): boolean {
  const known = stages.filter((s) => registry.journey(s.journey));
  for (const status of slosOf(registry, known, now, journeysOwning(registry, known, now))) {
    if (status.alerts.page) return false;
    const burn = status.burnRates['5m'];
    if (burn !== null && burn > 1) return false;
  }
  return !known.some((stage) => degraded(stageFailures(registry, stage, now, 5)));
}

/** Minutes scanned back for an incident's first failure at most (a week). */
const MAX_SCAN_MINUTES = 7 * 1440;

/**
 * Peaks and totals of an incident over its own span [from, to] (docs/alerting.md ("What an incident keeps")),
 * folded into what `previous` kept: peaks only grow, totals are re-counted over the (only growing) span.
 * @example await measureFigures(registry, store, incident.stages, openedAt - 15 * 60_000, lastAlertEnd, impact, 'P1', incident.figures)
 */
export async function measureFigures(
  registry: SloRegistry,
  store: Pick<EventStore, 'distinctCustomers' | 'events'>,
  stages: readonly Stage[],
  from: number,
  to: number,
  impact: Impact | null,
  priority: Priority,
  previous: IncidentFigures | null | undefined,
): Promise<IncidentFigures> {
  const known = stages.filter((s) => registry.journey(s.journey));
  const fromMinute = Math.floor(from / 60_000);
  const toMinute = Math.floor(to / 60_000) + 1;
  let customersFailed = 0;
  let failedAttempts = 0;
  let firstFailureAt: number | null = null;
  const lost: Money[] = [];
  for (const journeyName of new Set(known.map((s) => s.journey))) {
    const journey = registry.journey(journeyName)!;
    const here = known.filter((s) => s.journey === journeyName);
    // Only the stages the incident touches: the whole journey when it names it, else each of its steps.
    const scopes = here.some((s) => s.step === null) ? [null] : [...new Set(here.map((s) => s.step))];
    let failures = 0;
    for (const step of scopes) {
      failures += registry.outcomes(journeyName, step, fromMinute, toMinute).failure;
      customersFailed += await store.distinctCustomers({
        journey: journeyName,
        ...(step !== null ? { step } : {}),
        from,
        to: to + 1,
        outcomes: ['failure'],
      });
      const first = firstFailure(registry, journeyName, step, fromMinute, Math.min(toMinute, fromMinute + MAX_SCAN_MINUTES));
      if (first !== null && (firstFailureAt === null || first < firstFailureAt)) firstFailureAt = first;
    }
    failedAttempts += failures;
    if (!journey.value || failures === 0) continue;
    const { currency } = journey.value;
    if (journey.value.revenuePerSuccess !== undefined) lost.push(money(failures * journey.value.revenuePerSuccess, currency));
    else if (journey.value.feeRate !== undefined) {
      const sample = await store.events({ journey: journeyName, from, to: to + 1, outcomes: ['failure'], limit: SAMPLE_AMOUNTS });
      const withAmount = sample.filter((e) => typeof e.amount === 'number');
      const sums = new Map<string, number>();
      for (const e of withAmount) sums.set(e.currency ?? currency, (sums.get(e.currency ?? currency) ?? 0) + e.amount!);
      // The mean failed amount per currency, times the failures and the fee rate.
      for (const [paidIn, sum] of sums) lost.push(money((failures * sum * journey.value.feeRate) / withAmount.length, paidIn));
    }
  }
  const peakBurn = [previous?.peakBurnRate ?? null, impact?.maxBurnRate ?? null].filter((b): b is number => b !== null);
  const earlier = previous?.peakPriority;
  return {
    from: Math.min(from, previous?.from ?? from),
    to: Math.max(to, previous?.to ?? to),
    peakBurnRate: peakBurn.length > 0 ? Math.max(...peakBurn) : null,
    peakFailuresPerHour: Math.max(previous?.peakFailuresPerHour ?? 0, impact?.failuresPerHour ?? 0),
    peakCustomersAffected: Math.max(previous?.peakCustomersAffected ?? 0, impact?.customersAffected ?? 0),
    customersFailed: Math.max(customersFailed, previous?.customersFailed ?? 0),
    failedAttempts: Math.max(failedAttempts, previous?.failedAttempts ?? 0),
    valueLost: failedAttempts >= (previous?.failedAttempts ?? 0) ? sumByCurrency(lost) : (previous?.valueLost ?? []),
    firstFailureAt,
    peakPriority: earlier !== undefined && earlier < priority ? earlier : priority,
  };
}

/** The first minute with a failure in [fromMinute, toMinute), as epoch ms, or null. */
function firstFailure(registry: SloRegistry, journey: string, step: string | null, fromMinute: number, toMinute: number): number | null {
  for (let minute = fromMinute; minute < toMinute; minute++) {
    if (registry.outcomes(journey, step, minute, minute + 1).failure > 0) return minute * 60_000;
  }
  return null;
}
