/**
 * DORA classification from Vigil's own data (docs/dora.md ("How each figure is measured")): each journey of an incident
 * measured in the store against its daily reference, the person flags and the recorded classification read, the pure
 * rules of src/incidents/dora.ts applied, and earlier incidents of the same cause taken together (Art. 8(2)).
 */
import {
  causeKey,
  classifyDora,
  type DoraAssessment,
  type DoraInput,
  type EarlierIncident,
  type JourneyMeasurement,
  type RecurringFinding,
  withRecurring,
} from '../incidents/dora.js';
import type { JourneySpec, VigilConfig } from '../model/config.js';
import type { Incident } from '../model/incident.js';
import { type Money, money, sumByCurrency } from '../model/money.js';
import { type Classification, journeyRegulation, type RegulatoryFlag, type RegulatoryFlagName, regulationOf } from '../model/regulation.js';
import { DEFAULT_MIN_SPIKE } from '../model/signal.js';
import type { AlertingStore, EventStore, SignalStore } from '../store/store.js';
import { spikeStatus, spikeWindows } from '../value/signal-spike.js';

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** Figures count failures from this long before an incident opened, as its figures do (docs/alerting.md ("What an incident keeps")). */
export const DORA_LOOKBACK_MS = 15 * MINUTE_MS;
/** Most countries listed. */
const MAX_COUNTRIES = 50;
/** Most hours of an incident checked for a complaint spike (the latest ones). */
const MAX_SPIKE_HOURS = 72;
/** Most earlier incidents of the same cause measured for the recurring rule (the latest ones). */
export const MAX_RECURRING = 20;
/** Entries kept in each cache before the oldest go. */
const CACHE_ENTRIES = 2000;

export interface DoraResult {
  input: DoraInput;
  /** The incident's assessment: its own, or the recurring one when that makes it major. */
  assessment: DoraAssessment;
  /** The incident on its own (Art. 8(1)). */
  own: DoraAssessment;
  recurring: RecurringFinding | null;
  cause: string;
  flags: RegulatoryFlag[];
  classification: Classification | null;
}

type Stores = { events: EventStore; alerting: AlertingStore; signals: Pick<SignalStore, 'signalCounts'> };

/** A bounded map: the oldest entries go first. */
class Cache<V> {
  private readonly map = new Map<string, V>();
  get(key: string): V | undefined {
    return this.map.get(key);
  }
  set(key: string, value: V): void {
    this.map.set(key, value);
    if (this.map.size > CACHE_ENTRIES) this.map.delete(this.map.keys().next().value!);
  }
}

interface Reference {
  days: number;
  customersPerDay: number | null;
  transactionsPerDay: number | null;
  amountPerDay: Money[];
  /** Whether the journey reports whole-journey events (attempts); else its last step stands for them. */
  wholeJourney: boolean;
}

/** The flags of a list, by name. */
export function flagMap(flags: readonly RegulatoryFlag[]): Partial<Record<RegulatoryFlagName, RegulatoryFlag>> {
  return Object.fromEntries(flags.map((f) => [f.name, f]));
}

/** Amounts per currency from buckets' amounts; those without a currency are the journey's, or left out when it has none. */
function amountsOf(amounts: readonly { currency: string | null; amount: number }[], journeyCurrency: string | undefined): Money[] {
  return sumByCurrency(
    amounts.flatMap((a) => ((a.currency ?? journeyCurrency) ? [money(a.amount, (a.currency ?? journeyCurrency)!)] : [])),
  );
}

/**
 * Measures and classifies incidents (docs/dora.md). The daily reference of a journey before an incident never changes,
 * and neither do finished hours of signals or incidents long resolved: they are cached.
 * @example const result = await new DoraClassifier(() => runtime.config, runtime.store).assess(incident, Date.now());
 */
export class DoraClassifier {
  private readonly references = new Cache<Reference>();
  private readonly spikes = new Cache<Map<string, { count: number; baseline: number; spiking: boolean }>>();
  private readonly resolved = new Cache<DoraInput>();

  constructor(
    private readonly config: () => VigilConfig,
    private readonly stores: Stores,
  ) {}

  /** Whether the incident touches a journey that is a critical service: only those can be major. */
  touchesCritical(incident: Pick<Incident, 'journeys'>): boolean {
    const config = this.config();
    return incident.journeys.some((name) => {
      const journey = config.journeys.find((j) => j.name === name);
      return journey !== undefined && journeyRegulation(journey).critical;
    });
  }

  /**
   * The incident's criteria, decision and recurring finding at `now` (its resolution when resolved). `known` spares a read
   * of what the caller holds already.
   */
  async assess(
    incident: Incident,
    now: number,
    known?: { flags?: RegulatoryFlag[]; classification?: Classification | null },
  ): Promise<DoraResult> {
    const config = this.config();
    const thresholds = regulationOf(config).dora;
    const flags = known?.flags ?? (await this.stores.alerting.regulatoryFlags([incident.id])).get(incident.id) ?? [];
    const classification =
      known?.classification !== undefined
        ? known.classification
        : ((await this.stores.alerting.classifications([incident.id])).get(incident.id) ?? null);
    const input = await this.measure(incident, flags, now);
    const own = classifyDora(input, thresholds);
    const cause = causeKey(incident, flagMap(flags).cause);
    let result = { assessment: own, recurring: null as RecurringFinding | null };
    if (!own.decision.major && own.decision.criticalService) {
      const earlier = await this.earlier(incident, cause, input, now);
      result = withRecurring(own, input, cause, earlier, thresholds);
    }
    return { input, own, assessment: result.assessment, recurring: result.recurring, cause, flags, classification };
  }

  /** What Vigil measured of one incident (docs/dora.md ("How each figure is measured")). */
  async measure(
    incident: Incident,
    flags: readonly RegulatoryFlag[],
    now: number,
    reference?: { from: number; to: number },
  ): Promise<DoraInput> {
    const config = this.config();
    const regulation = regulationOf(config);
    const from = incident.figures?.from ?? incident.openedAt - DORA_LOOKBACK_MS;
    const to = Math.max(from + 1, incident.resolvedAt ?? now);
    const ref = reference ?? { from: from - regulation.dora.referenceDays * DAY_MS, to: from };
    const window = { from, to };
    const journeys: JourneyMeasurement[] = [];
    for (const name of incident.journeys) {
      const journey = config.journeys.find((j) => j.name === name);
      if (!journey) continue;
      journeys.push(await this.measureJourney(journey, window, ref, regulation.downtimeBelow, now));
    }
    const start = incident.figures?.firstFailureAt ?? incident.openedAt;
    return {
      window,
      reference: ref,
      journeys,
      durationMinutes: Math.max(0, Math.round((to - Math.min(start, to)) / MINUTE_MS)),
      valueLost: incident.figures?.valueLost ?? [],
      flags: flagMap(flags),
    };
  }

  private async measureJourney(
    journey: JourneySpec,
    window: { from: number; to: number },
    ref: { from: number; to: number },
    downtimeBelow: number,
    now: number,
  ): Promise<JourneyMeasurement> {
    const { events } = this.stores;
    const currency = journey.value?.currency;
    const reference = await this.reference(journey, ref);
    const lastStep = journey.steps[journey.steps.length - 1]?.name;
    const attempts = { journey: journey.name, step: reference.wholeJourney ? null : (lastStep ?? null), ...window };
    const span = window.to - window.from;
    const [failedAny, failedAttempts, countries, minutes, spike] = await Promise.all([
      events.eventBuckets({ journey: journey.name, ...window, outcomes: ['failure'] }, span),
      events.eventBuckets({ ...attempts, outcomes: ['failure'] }, span),
      events.attributeValues({ journey: journey.name, ...window, outcomes: ['failure'] }, 'country', MAX_COUNTRIES),
      events.scopeMinutes(Math.floor(window.from / MINUTE_MS), Math.ceil(window.to / MINUTE_MS), journey.name),
      this.complaintSpike(journey.name, window, now),
    ]);
    const step = attempts.step;
    let downtime = 0;
    for (const m of minutes) {
      if (m.step !== step) continue;
      const valid = m.success + m.failure;
      if (valid > 0 && m.success / valid < downtimeBelow) downtime++;
    }
    return {
      journey: journey.name,
      critical: journeyRegulation(journey).critical,
      referenceDays: reference.days,
      customersPerDay: reference.customersPerDay,
      transactionsPerDay: reference.transactionsPerDay,
      amountPerDay: reference.amountPerDay,
      customersFailed: failedAny.reduce((s, b) => s + b.customers, 0),
      transactionsFailed: failedAttempts.reduce((s, b) => s + b.events, 0),
      amountFailed: amountsOf(
        failedAttempts.flatMap((b) => b.amounts),
        currency,
      ),
      downtimeMinutes: downtime,
      countries,
      complaintSpike: spike,
    };
  }

  /** The journey's daily reference over [ref.from, ref.to): means over the days that hold any of its events. */
  private async reference(journey: JourneySpec, ref: { from: number; to: number }): Promise<Reference> {
    const key = `${journey.name}|${ref.from}|${ref.to}|${journey.value?.currency ?? ''}`;
    const cached = this.references.get(key);
    if (cached) return cached;
    const { events } = this.stores;
    const lastStep = journey.steps[journey.steps.length - 1]?.name ?? null;
    const [any, whole] = await Promise.all([
      events.eventBuckets({ journey: journey.name, ...ref }, DAY_MS),
      events.eventBuckets({ journey: journey.name, step: null, ...ref }, DAY_MS),
    ]);
    const wholeJourney = whole.length > 0 || lastStep === null;
    const attempts = wholeJourney ? whole : await events.eventBuckets({ journey: journey.name, step: lastStep, ...ref }, DAY_MS);
    const days = any.length;
    const perDay = (total: number) => (days === 0 ? null : total / days);
    const amounts = amountsOf(
      attempts.flatMap((b) => b.amounts),
      journey.value?.currency,
    );
    const reference: Reference = {
      days,
      customersPerDay: perDay(any.reduce((s, b) => s + b.customers, 0)),
      transactionsPerDay: perDay(attempts.reduce((s, b) => s + b.events, 0)),
      amountPerDay: days === 0 ? [] : amounts.map((m) => money(m.amount / days, m.currency)),
      wholeJourney,
    };
    this.references.set(key, reference);
    return reference;
  }

  /**
   * The first hour of the window in which the journey's signals spiked (docs/signals.md ("Spikes")): the hours ending
   * one, two… hours after its start, then the hour ending at its end, at most the last MAX_SPIKE_HOURS.
   */
  private async complaintSpike(
    journey: string,
    window: { from: number; to: number },
    now: number,
  ): Promise<JourneyMeasurement['complaintSpike']> {
    const minSpike = this.config().signals?.minSpike ?? DEFAULT_MIN_SPIKE;
    const ends: number[] = [];
    for (let end = window.from + HOUR_MS; end < window.to; end += HOUR_MS) ends.push(end);
    ends.push(window.to);
    for (const end of ends.slice(-MAX_SPIKE_HOURS)) {
      const statuses = await this.hourStatuses(end, minSpike, now);
      const status = statuses.get(journey);
      if (status?.spiking) return { hourFrom: end - HOUR_MS, count: status.count, baseline: status.baseline };
    }
    return null;
  }

  /** Every journey's spike status for the hour ending at `end`; cached once the hour is a minute in the past. */
  private async hourStatuses(end: number, minSpike: number, now: number) {
    const key = `${end}|${minSpike}`;
    const cached = this.spikes.get(key);
    if (cached) return cached;
    const sums = await Promise.all(spikeWindows(end).map((w) => this.stores.signals.signalCounts(w.from, w.to)));
    const counts = sums.map((rows) => new Map(rows.map((r) => [r.journey, r.count])));
    const journeys = new Set(counts.flatMap((c) => [...c.keys()].filter((j): j is string => j !== null)));
    const out = new Map<string, { count: number; baseline: number; spiking: boolean }>();
    for (const journey of journeys) {
      const [last, ...weeks] = counts.map((c) => c.get(journey) ?? 0);
      const s = spikeStatus(last ?? 0, weeks, minSpike);
      out.set(journey, { count: s.lastHour, baseline: s.baseline, spiking: s.spiking });
    }
    if (end <= now - MINUTE_MS) this.spikes.set(key, out);
    return out;
  }

  /**
   * Earlier incidents of the same cause (docs/dora.md ("Recurring incidents")): opened within `recurringWithin` before this
   * one, on its first journey, not merged, not classified major themselves, latest MAX_RECURRING; each measured against
   * this incident's reference.
   */
  private async earlier(incident: Incident, cause: string, current: DoraInput, now: number): Promise<EarlierIncident[]> {
    const journey = incident.journeys[0];
    if (journey === undefined) return [];
    const within = regulationOf(this.config()).dora.recurringWithinMinutes * MINUTE_MS;
    const since = incident.openedAt - within;
    const candidates = (await this.stores.alerting.incidents({ journey, from: since, to: incident.openedAt, limit: 200 })).filter(
      (i) => i.id !== incident.id && i.mergedInto === null && i.openedAt >= since && i.openedAt < incident.openedAt,
    );
    if (candidates.length === 0) return [];
    const ids = candidates.map((i) => i.id);
    const [flags, classified] = await Promise.all([this.stores.alerting.regulatoryFlags(ids), this.stores.alerting.classifications(ids)]);
    const same = candidates
      .filter((i) => !classified.has(i.id) && causeKey(i, flagMap(flags.get(i.id) ?? []).cause) === cause)
      .sort((a, b) => b.openedAt - a.openedAt)
      .slice(0, MAX_RECURRING);
    const out: EarlierIncident[] = [];
    for (const i of same) {
      const own = flags.get(i.id) ?? [];
      // A flag set later on an earlier incident changes its input: the latest flag time is part of the key.
      const key = `${i.id}|${current.reference.from}|${Math.max(0, ...own.map((f) => f.setAt))}`;
      let input = i.status === 'resolved' ? this.resolved.get(key) : undefined;
      if (!input) {
        input = await this.measure(i, own, now, current.reference);
        if (i.status === 'resolved') this.resolved.set(key, input);
      }
      out.push({ id: i.id, openedAt: i.openedAt, input });
    }
    return out;
  }
}
