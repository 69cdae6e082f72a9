/**
 * What one event contributes to an SLI (docs/slo-maths.md ("Good and total")), and the key under which SLIs with the same
 * definition share their per-minute aggregates.
 */
import type { CorrectionSpec, JourneySpec, PrometheusSliQueries, SliSource, SliWeight, SloSpec } from '../model/config.js';
import type { JourneyEvent } from '../model/event.js';
import type { SliMinute } from '../model/minutes.js';
import { minorDigits } from '../model/money.js';
import { correctionsFingerprint, cyrb53, insideAnyCorrection, type SliCorrection, sliCorrectionsOf } from './corrections.js';

/** The part of an SLO that decides good and total; SLOs that differ only in objective or window share it. */
export interface SliDefinition {
  key: string;
  /** Where good and total come from (docs/configuration.md, "SLI source"). */
  source: SliSource;
  journey: string;
  /** null = the whole journey (events without a step). */
  step: string | null;
  /** `prometheus`: good and total are read from Prometheus (`prometheus`), never counted from events. */
  kind: 'success' | 'latency' | 'prometheus';
  thresholdMs?: number;
  /** Only for kind `prometheus` (docs/prometheus.md ("Prometheus as an SLI source")). */
  prometheus?: PrometheusSliQueries;
  abandonedIsBad: boolean;
  /**
   * `amount`: good and total are sums of integer minor units of `currency` (docs/slo-maths.md ("Value-weighted SLIs"));
   * absent means `events`, so definitions stored before weights existed read the same.
   */
  weight?: SliWeight;
  /** Only with weight `amount`. */
  currency?: string;
  /** The journey's corrections: events inside one count for nothing (docs/slo-maths.md ("Corrections")); absent: none. */
  corrections?: SliCorrection[];
}

/**
 * The SLI definition of an SLO.
 * @example sliDefinition(journey, slo).key === 'wire-transfer|*|latency:10000|abandoned:ok'
 */
export function sliDefinition(journey: JourneySpec, slo: SloSpec, corrections: readonly SliCorrection[] = []): SliDefinition {
  if (slo.sli.kind === 'prometheus') return prometheusDefinition(journey, slo.sli.prometheus ?? { total: '' }, corrections);
  const step = slo.sli.step ?? null;
  const kindPart = slo.sli.kind === 'latency' ? `latency:${slo.sli.thresholdMs}` : 'success';
  // Keys of `events` SLIs name stored aggregates, so they stay as they were before sources existed.
  // An amount-weighted SLI names its currency in the key, so turning weighting on (or changing the journey's currency)
  // is a new SLI whose aggregates are recomputed from raw events (docs/slo-maths.md ("Changing an SLO")).
  const weighted = slo.sli.weight === 'amount';
  const weightPart = weighted ? `|amount:${slo.sli.currency ?? ''}` : '';
  // Corrections change which events count, so they are part of the key: adding one recomputes the SLI over history.
  const correctionPart = corrections.length > 0 ? `|corrections:${correctionsFingerprint(corrections)}` : '';
  const key = `${journey.name}|${step ?? '*'}|${kindPart}|abandoned:${slo.sli.abandonedIsBad ? 'bad' : 'ok'}${weightPart}${correctionPart}`;
  return {
    key,
    source: slo.sli.source ?? 'events',
    journey: journey.name,
    step,
    kind: slo.sli.kind,
    ...(slo.sli.kind === 'latency' ? { thresholdMs: slo.sli.thresholdMs } : {}),
    abandonedIsBad: slo.sli.abandonedIsBad,
    ...(weighted && { weight: 'amount' as const, currency: slo.sli.currency ?? '' }),
    ...(corrections.length > 0 && { corrections: corrections.map((c) => ({ ...c })) }),
  };
}

/**
 * The definition of an SLI read from Prometheus. Its key names the journey and a hash of its queries, so editing a query
 * is a new SLI read again from Prometheus; corrections are not in it: the minutes read are stored as Prometheus gave them
 * and corrections are applied when they are loaded (docs/prometheus.md ("Prometheus as an SLI source")).
 * @example prometheusDefinition(journey, { good: 'ok_total', total: 'all_total' }).key // 'login|prometheus:…'
 */
export function prometheusDefinition(
  journey: Pick<JourneySpec, 'name'>,
  queries: PrometheusSliQueries,
  corrections: readonly SliCorrection[] = [],
): SliDefinition {
  const text = JSON.stringify([queries.good ?? null, queries.bad ?? null, queries.total]);
  return {
    key: `${journey.name}|prometheus:${cyrb53(text).toString(36)}`,
    source: 'prometheus',
    journey: journey.name,
    step: null,
    kind: 'prometheus',
    abandonedIsBad: false,
    prometheus: { ...queries },
    ...(corrections.length > 0 && { corrections: corrections.map((c) => ({ ...c })) }),
  };
}

/**
 * Minutes read from an external source as the SLI counts them: a minute that starts inside one of its corrections counts
 * for nothing (docs/slo-maths.md ("Corrections")), like the events inside one.
 * @example correctedMinutes({ ...def, corrections: [] }, rows) // rows unchanged
 */
export function correctedMinutes(def: Pick<SliDefinition, 'corrections'>, rows: readonly SliMinute[]): SliMinute[] {
  if (def.corrections === undefined || def.corrections.length === 0) return [...rows];
  return rows.map((row) => (insideAnyCorrection(def.corrections, row.minute * 60_000) ? { ...row, good: 0, total: 0 } : row));
}

/**
 * How many stored units make one unit on the wire: 1 for an event-counted SLI, 10^minor digits for an amount-weighted
 * one (its aggregates hold integer minor units, so sums are exact; docs/slo-maths.md ("Value-weighted SLIs")).
 * @example unitScale({ weight: 'amount', currency: 'GBP' }) // 100
 * @example unitScale({ weight: 'amount', currency: 'JPY' }) // 1
 */
export function unitScale(sli: Pick<SloSpec['sli'], 'weight' | 'currency'>): number {
  return sli.weight === 'amount' ? 10 ** minorDigits(sli.currency ?? '') : 1;
}

/**
 * Every distinct SLI definition of a configuration, in configuration order, each with its journey's corrections (weekly
 * ones read in `timeZone`, the configuration's `defaults.timezone`).
 */
export function sliDefinitions(
  journeys: readonly JourneySpec[],
  corrections: readonly CorrectionSpec[] = [],
  timeZone = 'UTC',
): SliDefinition[] {
  const byKey = new Map<string, SliDefinition>();
  for (const journey of journeys) {
    const own = sliCorrectionsOf(journey.name, corrections, timeZone);
    for (const slo of journey.slos) {
      const def = sliDefinition(journey, slo, own);
      if (!byKey.has(def.key)) byKey.set(def.key, def);
    }
  }
  return [...byKey.values()];
}

/** What an event adds to good and total: 1 or 0 for an event-counted SLI, integer minor units for an amount-weighted one; good ≤ total. */
export interface Contribution {
  good: number;
  total: number;
}

const NONE: Contribution = { good: 0, total: 0 };
const GOOD: Contribution = { good: 1, total: 1 };
const BAD: Contribution = { good: 0, total: 1 };

type CountedEvent = Pick<JourneyEvent, 'journey' | 'step' | 'outcome' | 'latencyMs' | 'amount' | 'currency'>;
/** Without a timestamp an event is in no correction (the hand-built events of maths tests). */
type TimedEvent = CountedEvent & Partial<Pick<JourneyEvent, 'timestamp'>>;

/**
 * What an event adds to an SLI: rejected never counts, abandoned counts as bad only with
 * `abandonedIsBad`, latency SLIs need success within the threshold (an event without latencyMs
 * cannot prove it was fast enough, so it is bad). An amount-weighted SLI counts the event with its
 * amount in minor units (`eventWeight`). An event inside one of the SLI's corrections counts for nothing.
 */
export function sliContribution(def: SliDefinition, event: TimedEvent): Contribution {
  const c = eventContribution(def, event);
  if (c.total === 0 || (event.timestamp !== undefined && insideAnyCorrection(def.corrections, event.timestamp))) return NONE;
  if (def.weight !== 'amount' || c.total === 0) return c;
  const weight = eventWeight(def, event);
  if (weight === null || weight === 0) return NONE;
  return { good: c.good === 0 ? 0 : weight, total: weight };
}

/**
 * An event's weight in an amount-weighted SLI: its amount in integer minor units of the SLI's currency (an event
 * without `currency` is in the journey's). Null when it has no amount, a negative one, or another currency: ingest
 * refuses such events for journeys with an amount-weighted SLO, so only events stored before it was configured are
 * left uncounted (docs/slo-maths.md ("Value-weighted SLIs")).
 * @example eventWeight({ ...def, weight: 'amount', currency: 'GBP' }, { amount: 2500 }) // 250000
 */
export function eventWeight(def: Pick<SliDefinition, 'currency'>, event: Pick<JourneyEvent, 'amount' | 'currency'>): number | null {
  const currency = def.currency ?? '';
  if (event.amount === undefined || event.amount === null || !(event.amount >= 0)) return null;
  if (event.currency !== undefined && event.currency !== null && event.currency !== currency) return null;
  // toPrecision(15) first: 1.005 × 100 is 100.49999999999999 in binary, but the sender wrote 1.005, which is 101 pence.
  const minor = Math.round(Number((event.amount * 10 ** minorDigits(currency)).toPrecision(15)));
  return Number.isSafeInteger(minor) ? minor : null;
}

/** Whether the event counts for the SLI and is good, ignoring its weight. */
function eventContribution(def: SliDefinition, event: CountedEvent): Contribution {
  if (def.source !== 'events' || event.journey !== def.journey) return NONE;
  if ((event.step ?? null) !== def.step) return NONE;
  switch (event.outcome) {
    case 'rejected':
      return NONE;
    case 'abandoned':
      return def.abandonedIsBad ? BAD : NONE;
    case 'failure':
      return BAD;
    case 'success':
      if (def.kind === 'success') return GOOD;
      return event.latencyMs !== undefined && event.latencyMs <= (def.thresholdMs ?? 0) ? GOOD : BAD;
  }
}

/**
 * Why an event cannot be accepted for its journey's amount-weighted SLIs (docs/api.md ("Rejection codes")), or null:
 * an event such an SLI counts must carry an `amount` ≥ 0 in the journey's currency.
 * @example amountProblem(defs, { journey: 'card-payment', outcome: 'failure' })
 * // { code: 'amount_required', message: 'amount: required by the amount-weighted SLI of journey "card-payment" …' }
 */
export function amountProblem(
  defs: readonly SliDefinition[],
  event: CountedEvent,
): { code: 'amount_required' | 'currency_mismatch'; message: string } | null {
  for (const def of defs) {
    if (def.weight !== 'amount' || eventContribution(def, event).total === 0) continue;
    const currency = def.currency ?? '';
    if (event.currency !== undefined && event.currency !== currency) {
      return {
        code: 'currency_mismatch',
        message: `currency: ${event.currency} is not ${currency}, the currency of journey "${def.journey}" whose SLI counts amounts`,
      };
    }
    if (eventWeight(def, event) === null) {
      return {
        code: 'amount_required',
        message: `amount: journey "${def.journey}" has an amount-weighted SLI, so this event needs an amount ≥ 0 in ${currency}`,
      };
    }
  }
  return null;
}
