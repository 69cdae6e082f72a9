/**
 * The demo bank's traffic simulator: pure and deterministic. Each minute draws its journey attempts
 * from its own seeded stream, so any range of minutes regenerates identically, in one run or in pieces.
 */
import type { JourneySpec, VigilConfig } from '../model/config.js';
import type { JourneyEvent } from '../model/event.js';
import { MAX_STEP_LATENCY_MS, MAX_THINK_MS, NORMAL_CONDITIONS, type SimJourney, type StepConditions, simulateAttempt } from './attempt.js';
import { type LocalTime, localTimeIn } from './calendar.js';
import { BANK_BEHAVIOUR, CUSTOMER_POOL, DEFAULT_JOURNEY, DEFAULT_STEP } from './profiles.js';
import { lognormal, mixSeed, mulberry32, normal, poisson, type Rng, zipfRank } from './random.js';
import { inSegment, type ScriptedIncident } from './scenario.js';
import { demandFactor } from './seasonality.js';

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;

/** An incident as it applies to one journey: which steps, from when to when, how. */
interface IncidentEffect {
  startMs: number;
  endMs: number;
  steps: ReadonlySet<string>;
  extraFailure: number;
  latencyMultiplier: number;
  /** Multiplies the journey's attempt rate while the incident lasts (customers put off by failures). */
  volumeFactor: number;
  /** Whether a customer (by number) meets the incident; absent: everyone does. */
  meets?: (customer: number) => boolean;
}

/** Customers who have left the bank: from `fromMs`, their draws go to other customers. */
export interface Departure {
  fromMs: number;
  customers: ReadonlySet<number>;
}

/** A configured journey with its behaviour and the incidents that touch it. */
export interface JourneyModel extends SimJourney {
  index: number;
  /** False when the model plays only other journeys: its attempts are drawn (the streams stay the same) but not played. */
  played: boolean;
  /** Incident effects by UTC hour (epoch ms / 1h) for fast lookup. */
  effectsByHour: Map<number, IncidentEffect[]>;
}

/** Everything the simulator needs, built once from a configuration: see buildTrafficModel. */
export interface TrafficModel {
  seed: number;
  scale: number;
  journeys: JourneyModel[];
  localTime: (ms: number) => LocalTime;
  /** Attempts started this many minutes before a range can still leave events inside it. */
  spillMinutes: number;
  /** Prefix of attempt and event ids: stable for a seed. */
  idPrefix: string;
  /** Customers who left after an incident's failures (ScriptedIncident.departures), oldest first. */
  departures: Departure[];
}

export interface TrafficModelOptions {
  seed: number;
  /** Multiplies every journey's rate (default 1). */
  scale?: number;
  incidents?: readonly ScriptedIncident[];
  /** Play only these journeys (default all): the others' attempts are drawn but not played, so the played ones are unchanged. */
  journeys?: readonly string[];
}

/**
 * Builds the simulator's model: each configured journey with its behaviour (src/demo/profiles.ts, or
 * generic defaults for journeys and steps it does not know) and the incidents that touch it.
 * @example const model = buildTrafficModel(config, { seed: 7, incidents: backfillIncidents(now) })
 */
export function buildTrafficModel(config: VigilConfig, options: TrafficModelOptions): TrafficModel {
  const incidents = options.incidents ?? [];
  let longestAttemptMs = 0;
  const journeys = config.journeys.map((spec, index): JourneyModel => {
    const behaviour = BANK_BEHAVIOUR[spec.name] ?? DEFAULT_JOURNEY;
    const steps = spec.steps.map((step) => ({ name: step.name, behaviour: behaviour.steps[step.name] ?? DEFAULT_STEP }));
    longestAttemptMs = Math.max(longestAttemptMs, steps.length * (MAX_THINK_MS + MAX_STEP_LATENCY_MS));
    const currency = spec.value?.currency ?? behaviour.amount?.currency;
    const effectsByHour = new Map<number, IncidentEffect[]>();
    for (const incident of incidents) {
      if (incident.endMs <= incident.startMs) continue;
      const affected = affectedSteps(spec, incident);
      if (affected.length === 0) continue;
      const effect: IncidentEffect = {
        startMs: incident.startMs,
        endMs: incident.endMs,
        steps: new Set(affected),
        extraFailure: incident.shape === 'latency' || incident.shape === 'unseen' ? 0 : incident.severity,
        latencyMultiplier: incident.shape === 'latency' ? incident.severity : 1,
        volumeFactor:
          incident.shape === 'latency' || incident.shape === 'unseen'
            ? 1
            : Math.max(0, 1 - (incident.volumeLossPerPoint ?? 0) * incident.severity * 100),
        ...(incident.segment ? { meets: segmentOf(incident.segment, options.seed) } : {}),
      };
      for (let hour = Math.floor(effect.startMs / HOUR_MS); hour * HOUR_MS < effect.endMs; hour += 1) {
        const list = effectsByHour.get(hour);
        if (list) list.push(effect);
        else effectsByHour.set(hour, [effect]);
      }
    }
    const played = options.journeys === undefined || options.journeys.includes(spec.name);
    return { name: spec.name, index, played, steps, behaviour, ...(currency !== undefined ? { currency } : {}), effectsByHour };
  });
  // An attempt starts within its minute, may fail and be retried once after up to a minute.
  const spillMinutes = Math.ceil((2 * longestAttemptMs + 2 * MINUTE_MS) / MINUTE_MS);
  const model: TrafficModel = {
    seed: options.seed,
    scale: options.scale ?? 1,
    journeys,
    localTime: localTimeIn(config.defaults.timezone),
    spillMinutes,
    idPrefix: Math.abs(Math.trunc(options.seed)).toString(36),
    departures: [],
  };
  const leaving = incidents.filter((i) => i.departures !== undefined).sort((a, b) => a.departures!.fromMs - b.departures!.fromMs);
  if (leaving.length > 0) {
    // Who met the failures is played without any departure (they all lie after the incidents that cause them).
    const before = incidents.map(({ departures: _, ...incident }) => incident);
    for (const incident of leaving) {
      const played = buildTrafficModel(config, { ...options, incidents: before, journeys: incident.journeys });
      model.departures.push({ fromMs: incident.departures!.fromMs, customers: departedCustomers(played, incident) });
    }
  }
  return model;
}

function segmentOf(segment: NonNullable<ScriptedIncident['segment']>, seed: number): (customer: number) => boolean {
  return (customer) => inSegment(segment, seed, customer);
}

/**
 * The customers an incident's failures drove away (ScriptedIncident.departures): its attempts are played from the attempts
 * starting while it lasts, each customer's failed attempts k counted (retries included), and a customer leaves when its
 * own fixed draw falls below 1 − (1 − perFailedAttempt)^k. Deterministic in the model and the incident.
 * @example departedCustomers(buildTrafficModel(config, { seed: 7, incidents, journeys: ['card-payment'] }), episode).size
 */
export function departedCustomers(model: TrafficModel, incident: ScriptedIncident): Set<number> {
  const failed = failedAttemptsByCustomer(model, incident);
  const leave = incident.departures?.perFailedAttempt ?? 0;
  const out = new Set<number>();
  for (const [customer, k] of failed) {
    if (mixSeed(model.seed, customer, 0xd3a4) / 4294967296 < 1 - (1 - leave) ** k) out.add(customer);
  }
  return out;
}

/** Failed attempts (whole-journey failure events, retries included) per customer number, of attempts starting during `incident`. */
export function failedAttemptsByCustomer(
  model: TrafficModel,
  incident: Pick<ScriptedIncident, 'startMs' | 'endMs' | 'journeys'>,
): Map<number, number> {
  const failed = new Map<number, number>();
  const journeys = new Set(incident.journeys);
  for (let minute = Math.floor(incident.startMs / MINUTE_MS); minute * MINUTE_MS < incident.endMs; minute += 1) {
    for (const event of generateMinute(model, minute * MINUTE_MS, minuteRng(model.seed, minute * MINUTE_MS))) {
      if (event.step !== undefined || event.outcome !== 'failure' || !journeys.has(event.journey)) continue;
      const customer = customerNumber(event.customerId!);
      failed.set(customer, (failed.get(customer) ?? 0) + 1);
    }
  }
  return failed;
}

/** `c-1234` → 1234. */
export function customerNumber(customerId: string): number {
  return Number(customerId.slice(2));
}

/** Whether customer number `customer` has left the bank at `atMs`. */
function departed(model: TrafficModel, customer: number, atMs: number): boolean {
  for (const d of model.departures) if (atMs >= d.fromMs && d.customers.has(customer)) return true;
  return false;
}

/** One draw from the customer pool, skewed towards regulars; 7919 is prime, coprime to the pool size, so the busiest are not c-1, c-2, …. */
function drawCustomer(rng: Rng): number {
  return ((zipfRank(rng, CUSTOMER_POOL) * 7919) % CUSTOMER_POOL) + 1;
}

/**
 * The steps of a journey an incident touches: its `step` when it names one, else every step that
 * depends on a blamed service. Empty when the incident does not list the journey.
 * @example affectedSteps(sepaInstant, { journeys: ['sepa-instant'], services: ['auth-gateway'], … }) // ['login']
 */
export function affectedSteps(
  journey: Pick<JourneySpec, 'name' | 'steps'>,
  incident: Pick<ScriptedIncident, 'journeys' | 'step' | 'services'>,
): string[] {
  if (!incident.journeys.includes(journey.name)) return [];
  return journey.steps
    .filter((step) =>
      incident.step !== undefined ? step.name === incident.step : step.services.some((service) => incident.services.includes(service)),
    )
    .map((step) => step.name);
}

/** The random stream of one minute of one simulation: what generateTraffic passes to generateMinute. */
export function minuteRng(seed: number, minuteStartMs: number): Rng {
  return mulberry32(mixSeed(seed, Math.floor(minuteStartMs / MINUTE_MS)));
}

function conditionsFor(journey: JourneyModel, customer: number): (step: string, atMs: number) => StepConditions {
  return (step, atMs) => {
    const effects = journey.effectsByHour.get(Math.floor(atMs / HOUR_MS));
    if (!effects) return NORMAL_CONDITIONS;
    let extraFailure = 0;
    let latencyMultiplier = 1;
    for (const effect of effects) {
      if (atMs < effect.startMs || atMs >= effect.endMs || !effect.steps.has(step)) continue;
      if (effect.meets && !effect.meets(customer)) continue;
      extraFailure += effect.extraFailure;
      latencyMultiplier *= effect.latencyMultiplier;
    }
    return { extraFailure, latencyMultiplier };
  };
}

/** Expected attempts of a journey in the minute starting at `minuteStartMs` (before Poisson noise). */
export function expectedAttempts(model: TrafficModel, journey: JourneyModel, minuteStartMs: number): number {
  const local = model.localTime(minuteStartMs);
  // Some days are simply busier than others: ±5%, fixed per journey and local date.
  const dayNoise = 1 + 0.05 * normal(mulberry32(mixSeed(model.seed, local.dayNumber, journey.index, 0xda7)));
  let volume = 1;
  for (const effect of journey.effectsByHour.get(Math.floor(minuteStartMs / HOUR_MS)) ?? []) {
    if (minuteStartMs >= effect.startMs && minuteStartMs < effect.endMs) volume *= effect.volumeFactor;
  }
  return journey.behaviour.ratePerMinute * demandFactor(journey.behaviour.demand, local) * dayNoise * model.scale * volume;
}

/**
 * The events of every attempt that starts in the minute beginning at `minuteStartMs` (epoch ms, a
 * whole minute), sorted by timestamp. Later steps and retries land up to `model.spillMinutes` later.
 * `rng` decides attempt counts and seeds each attempt's own stream (use minuteRng for reproducibility).
 * @example generateMinute(model, Date.UTC(2026, 10, 26, 12, 0), minuteRng(7, Date.UTC(2026, 10, 26, 12, 0)))
 */
export function generateMinute(model: TrafficModel, minuteStartMs: number, rng: Rng): JourneyEvent[] {
  const minuteTag = Math.floor(minuteStartMs / MINUTE_MS).toString(36);
  // Counts and attempt seeds are drawn up front in a fixed order, so an incident that changes one
  // attempt's outcome cannot shift the random numbers of any other attempt.
  const plan: { journey: JourneyModel; seeds: number[] }[] = [];
  for (const journey of model.journeys) {
    const count = poisson(rng, expectedAttempts(model, journey, minuteStartMs));
    const seeds: number[] = [];
    for (let i = 0; i < count; i += 1) seeds.push(Math.floor(rng() * 4294967296));
    plan.push({ journey, seeds });
  }

  const events: JourneyEvent[] = [];
  for (const { journey, seeds } of plan) {
    if (!journey.played) continue;
    seeds.forEach((attemptSeed, i) => {
      const attemptRng = mulberry32(attemptSeed);
      const attemptId = `att-${model.idPrefix}-${minuteTag}-${journey.index}-${i}`;
      let customer = drawCustomer(attemptRng);
      if (model.departures.length > 0 && departed(model, customer, minuteStartMs)) {
        // A customer who has left: the attempt goes to another, drawn from a stream of its own, so that the attempt's
        // stream (and so its steps, outcome and amount) stays exactly as it was.
        const redraw = mulberry32(mixSeed(attemptSeed, 0x2ed4));
        for (let n = 0; n < 1000 && departed(model, customer, minuteStartMs); n += 1) customer = drawCustomer(redraw);
      }
      const customerId = `c-${customer}`;
      const conditions = conditionsFor(journey, customer);
      const startMs = minuteStartMs + Math.floor(attemptRng() * MINUTE_MS);
      const first = simulateAttempt({ journey, attemptId, customerId, startMs, conditions }, attemptRng);
      events.push(...first.events);
      if (first.outcome === 'failure' && attemptRng() < journey.behaviour.retryProbability) {
        const retryStart = first.endMs + Math.round(Math.min(MINUTE_MS, lognormal(attemptRng, 20_000, 0.5)));
        // One retry at most: a customer who fails twice gives up (or calls the bank).
        const retry = simulateAttempt({ journey, attemptId: `${attemptId}r`, customerId, startMs: retryStart, conditions }, attemptRng);
        events.push(...retry.events);
      }
    });
  }
  return events.sort(byTimestamp);
}

function byTimestamp(a: JourneyEvent, b: JourneyEvent): number {
  return a.timestamp - b.timestamp;
}

export interface GenerateTrafficOptions {
  config: VigilConfig;
  /** Epoch ms, inclusive. */
  fromMs: number;
  /** Epoch ms, exclusive; Infinity for an endless live stream. */
  toMs: number;
  seed: number;
  incidents: readonly ScriptedIncident[];
  /** Multiplies every journey's rate (default 1). */
  scale?: number;
  /** Only these journeys' events (default all); the others are drawn but not played, so these are exactly as in a full run. */
  journeys?: readonly string[];
}

/**
 * Simulated traffic for [fromMs, toMs): one array per UTC minute (possibly empty), holding the events
 * whose timestamps fall in that minute, sorted. Attempts that straddle `fromMs` or `toMs` are split
 * exactly as a longer run would split them, so [a, b) then [b, c) yields the events of [a, c).
 * @example for (const batch of generateTraffic({ config, fromMs, toMs, seed: 7, incidents })) await store.events.appendEvents(batch, slis, now)
 */
export function* generateTraffic(options: GenerateTrafficOptions): Generator<JourneyEvent[]> {
  const { fromMs, toMs, seed } = options;
  const model = buildTrafficModel(options.config, {
    seed,
    incidents: options.incidents,
    ...(options.scale !== undefined ? { scale: options.scale } : {}),
    ...(options.journeys !== undefined ? { journeys: options.journeys } : {}),
  });
  const firstMinute = Math.floor(fromMs / MINUTE_MS);
  const pending = new Map<number, JourneyEvent[]>();
  const keep = (events: JourneyEvent[]): void => {
    for (const event of events) {
      if (event.timestamp < fromMs || event.timestamp >= toMs) continue;
      const minute = Math.floor(event.timestamp / MINUTE_MS);
      const bucket = pending.get(minute);
      if (bucket) bucket.push(event);
      else pending.set(minute, [event]);
    }
  };
  for (let minute = firstMinute - model.spillMinutes; minute < firstMinute; minute += 1) {
    keep(generateMinute(model, minute * MINUTE_MS, minuteRng(seed, minute * MINUTE_MS)));
  }
  for (let minute = firstMinute; minute * MINUTE_MS < toMs; minute += 1) {
    keep(generateMinute(model, minute * MINUTE_MS, minuteRng(seed, minute * MINUTE_MS)));
    const batch = pending.get(minute) ?? [];
    pending.delete(minute);
    // Events of earlier minutes' attempts were appended first; order the minute by time.
    yield batch.sort(byTimestamp);
  }
}
