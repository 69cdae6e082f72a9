/**
 * What unreliability cost a journey over a period (docs/value.md): the hourly series from the SLO registry's minute
 * aggregates, the failures the abandonment method judges (bounded: a sample per day), and the pure estimators of src/value.
 */
import { toInstant } from '../../api/common.js';
import type { JourneyValueResponse } from '../../api/value.js';
import type { SloRegistry } from '../../engine/slo-registry.js';
import { VigilError } from '../../errors/catalogue.js';
import type { JourneySpec } from '../../model/config.js';
import type { StoredEvent } from '../../model/event.js';
import { minuteOf } from '../../model/minutes.js';
import type { EventStore } from '../../store/store.js';
import { abandonmentLoss, type FailureEvent, RETRY_WINDOW_MS, type Recoveries } from '../../value/abandonment.js';
import { directLoss } from '../../value/direct.js';
import { BASELINE_WEEKS, fitElasticity, HOURS_PER_WEEK, type HourCounts } from '../../value/elasticity.js';
import { boardroomSentence, valueRange } from '../../value/summary.js';
import { type UnitValue, unitValue, worth } from '../../value/unit-value.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** The longest period one call values. */
export const MAX_VALUE_DAYS = 92;
/** Abandonment judges at most this many failures per day (docs/value.md ("Abandonment")). */
export const FAILURES_PER_DAY = 200;
/** Successes whose amounts value an attempt of a fee journey for the elasticity method. */
const SUCCESS_AMOUNT_SAMPLE = 500;

type ValueStore = Pick<EventStore, 'events' | 'recoveries'>;

/** Whole-journey events when the journey sends any over the period and its history, else its last step's (docs/value.md ("Attempts")). */
function measuredStep(registry: SloRegistry, journey: JourneySpec, fromMinute: number, toMinute: number): string | null {
  const whole = registry.outcomes(journey.name, null, fromMinute, toMinute);
  if (whole.success + whole.failure + whole.rejected + whole.abandoned > 0 || journey.steps.length === 0) return null;
  return journey.steps[journey.steps.length - 1]!.name;
}

/**
 * Failures of each day (at most FAILURES_PER_DAY, read on events_journey_outcome_ts), judged all at once by the store: a
 * seek per failure on the customer's events, so the cost follows the sample, not the traffic.
 */
async function sampleRecoveries(
  store: ValueStore,
  journey: string,
  step: string | null,
  from: number,
  to: number,
): Promise<{ recoveries: Recoveries; failures: StoredEvent[] }> {
  const failures: StoredEvent[] = [];
  for (let day = from; day < to; day += DAY_MS) {
    const end = Math.min(day + DAY_MS, to);
    failures.push(...(await store.events({ journey, step, from: day, to: end, outcomes: ['failure'], limit: FAILURES_PER_DAY })));
  }
  const recovered = await store.recoveries(journey, step, failures, RETRY_WINDOW_MS);
  const lostFailures: FailureEvent[] = failures.filter((_, i) => !recovered[i]);
  return { recoveries: { recovered: failures.length - lostFailures.length, unrecovered: lostFailures.length, lostFailures }, failures };
}

/**
 * The value response for `journey` over [from, to), both aligned to whole UTC hours (from down, to up).
 * Throws journey_not_found, or invalid_query for a reversed or too long period.
 * @example await journeyValue(runtime.registry, runtime.store.events, 'card-payment', Date.UTC(2026, 10, 1), Date.UTC(2026, 11, 1))
 */
export async function journeyValue(
  registry: SloRegistry,
  store: ValueStore,
  name: string,
  fromMs: number,
  toMs: number,
): Promise<JourneyValueResponse> {
  const journey = registry.journey(name);
  if (!journey) throw new VigilError('journey_not_found', `No journey named '${name}' is configured`);
  const from = Math.floor(fromMs / HOUR_MS) * HOUR_MS;
  const to = Math.ceil(toMs / HOUR_MS) * HOUR_MS;
  if (to <= from) throw new VigilError('invalid_query', `from (${toInstant(fromMs)}) must be before to (${toInstant(toMs)})`);
  if (to - from > MAX_VALUE_DAYS * DAY_MS) throw new VigilError('invalid_query', `from and to span more than ${MAX_VALUE_DAYS} days`);
  const historyHours = BASELINE_WEEKS * HOURS_PER_WEEK;
  const start = from - historyHours * HOUR_MS;
  const step = measuredStep(registry, journey, minuteOf(start), minuteOf(to));

  // Hourly counts from the minute aggregates: the cost does not grow with the number of events.
  const hours: HourCounts[] = [];
  for (let t = start; t < to; t += HOUR_MS) {
    const o = registry.outcomes(journey.name, step, minuteOf(t), minuteOf(t + HOUR_MS));
    hours.push({ attempts: o.success + o.failure + o.rejected + o.abandoned, success: o.success, failure: o.failure });
  }
  const period = registry.outcomes(journey.name, step, minuteOf(from), minuteOf(to));
  const attempts = period.success + period.failure + period.rejected + period.abandoned;
  const failures = period.failure;
  const successRate = period.success + period.failure > 0 ? period.success / (period.success + period.failure) : null;

  const reasons: JourneyValueResponse['reasons'] = {};
  // Without a value no method reads raw events: the answer then comes from the minute aggregates alone.
  const { recoveries, failures: failureSample } = journey.value
    ? await sampleRecoveries(store, journey.name, step, from, to)
    : { recoveries: { recovered: 0, unrecovered: 0, lostFailures: [] }, failures: [] };
  const failureUnit: UnitValue | null = unitValue(journey.value, failureSample);
  const noValue = journey.value
    ? 'the journey is valued by fee and no failed event carries an amount'
    : 'the journey has no value configured (vigil.yaml journeys[].value)';

  const direct = failureUnit ? directLoss(failures, failureUnit) : null;
  if (!direct) reasons.direct = noValue;

  let abandonment: JourneyValueResponse['methods']['abandonment'] = null;
  if (failureUnit) {
    // Fee journeys value the unrecovered failures by their own amounts when there are some.
    const lostUnit =
      journey.value?.feeRate !== undefined ? (unitValue(journey.value, recoveries.lostFailures) ?? failureUnit) : failureUnit;
    const estimate = abandonmentLoss(failures, recoveries, lostUnit);
    if (estimate) abandonment = { ...estimate, retryWindow: '30m' };
    else reasons.abandonment = 'no failure of the period could be judged from the stored events (raw events past retention?)';
  } else reasons.abandonment = noValue;

  const fit = fitElasticity({ hours });
  let elasticity: JourneyValueResponse['methods']['elasticity'] = null;
  if (!fit.ok) reasons.elasticity = fit.reason;
  else {
    const successUnit =
      journey.value?.feeRate !== undefined
        ? unitValue(
            journey.value,
            await store.events({ journey: journey.name, step, from, to, outcomes: ['success'], limit: SUCCESS_AMOUNT_SAMPLE }),
          )
        : unitValue(journey.value, []);
    if (!successUnit) reasons.elasticity = noValue;
    else
      elasticity = {
        lost: worth(fit.fit.lostAttempts, successUnit),
        low: worth(fit.fit.lostAttemptsLow, successUnit),
        high: worth(fit.fit.lostAttemptsHigh, successUnit),
        elasticity: fit.fit.elasticity,
        elasticityLow: fit.fit.low,
        elasticityHigh: fit.fit.high,
        lostAttempts: Math.round(fit.fit.lostAttempts),
        hoursDegraded: fit.fit.hoursDegraded,
        r2: fit.fit.r2,
      };
  }

  const figures = {
    direct: direct?.lost ?? null,
    abandonment: abandonment?.lost ?? null,
    elasticity: elasticity ? { lost: elasticity.lost, low: elasticity.low, high: elasticity.high } : null,
  };
  const range = valueRange(figures);
  const baseline = fit.baselineSuccessRate;
  const dropPoints = baseline !== null && successRate !== null ? (baseline - successRate) * 100 : null;
  return {
    journey: journey.name,
    displayName: journey.displayName ?? journey.name,
    currency: journey.value?.currency ?? null,
    from: toInstant(from),
    to: toInstant(to),
    step,
    attempts,
    failures,
    successRate,
    baselineSuccessRate: baseline,
    methods: { direct, abandonment, elasticity },
    reasons,
    range,
    statement: boardroomSentence({
      journey: journey.displayName ?? journey.name,
      from,
      to,
      dropPoints,
      failureShare: attempts > 0 ? failures / attempts : null,
      methods: figures,
      range,
    }),
    hours: fit.points.map((p, i) => ({ at: toInstant(from + i * HOUR_MS), ...p })),
  };
}
