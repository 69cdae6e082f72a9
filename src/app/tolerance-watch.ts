/**
 * The impact-tolerance watch (docs/impact-tolerances.md): singleton work (src/app/leader-work.ts) that, after each alerting
 * tick, runs the disruption clock of every important business service over the registry's whole-journey minutes and the
 * incidents covering it, records each disruption, and notes its warning and breach on the incident's timeline.
 */
import type { SloRegistry } from '../engine/slo-registry.js';
import {
  type DisruptionRecord,
  durationWords,
  findDisruptions,
  type IncidentSpan,
  LOOKBACK_MINUTES,
  type MinuteState,
  minuteState,
  reconcile,
} from '../incidents/impact-tolerance.js';
import type { JourneySpec, VigilConfig } from '../model/config.js';
import type { Incident } from '../model/incident.js';
import { regulationOf } from '../model/regulation.js';
import { localTime } from '../notify/context.js';
import type { AlertingStore } from '../store/alerting/alerting-store.js';
import type { DisruptionStore } from '../store/disruptions/disruption-store.js';
import type { LeaderWork } from './leader-work.js';
import type { RuntimeLog } from './runtime.js';

const MINUTE_MS = 60_000;
/** The longest stretch of minutes scanned back: a disruption running longer keeps the start it was recorded with. */
export const MAX_SCAN_MINUTES = 31 * 1440;

/** An important business service: a journey with `regulation.importantBusinessService` and its tolerance. */
export interface ImportantService {
  journey: JourneySpec;
  toleranceMs: number;
}

/** The important business services of a configuration, in its order. */
export function importantServices(config: VigilConfig): ImportantService[] {
  const out: ImportantService[] = [];
  for (const journey of config.journeys) {
    const regulation = journey.regulation;
    if (!regulation?.importantBusinessService || regulation.impactToleranceMinutes === undefined) continue;
    out.push({ journey, toleranceMs: regulation.impactToleranceMinutes * MINUTE_MS });
  }
  return out;
}

/**
 * Each minute's state from the journey's whole-journey outcomes (events without a step) kept by the registry, over
 * epoch minutes [fromMinute, toMinute).
 */
export function journeyMinuteStates(
  registry: SloRegistry,
  journey: string,
  fromMinute: number,
  toMinute: number,
  downtimeBelow: number,
): (minute: number) => MinuteState {
  const success = registry.outcomeMinutes(journey, null, 'success', fromMinute, toMinute);
  const failure = registry.outcomeMinutes(journey, null, 'failure', fromMinute, toMinute);
  return (minute) => minuteState(success.get(minute) ?? 0, failure.get(minute) ?? 0, downtimeBelow);
}

/** What the watch needs from the incident manager. */
export interface ToleranceNotes {
  onTicked(listener: (now: number) => void): () => void;
  noteTolerance(id: string, at: number, kind: 'tolerance_warning' | 'tolerance_breached', message: string): Promise<boolean>;
}

export interface ToleranceWatchOptions {
  config: () => VigilConfig;
  registry: () => SloRegistry;
  alerting: Pick<AlertingStore, 'incidents' | 'incident'>;
  disruptions: DisruptionStore;
  notes: ToleranceNotes;
  log: RuntimeLog;
}

/** The words of a warning or breach entry: the same disruption always gives the same words, so a retried note is not doubled. */
export function toleranceMessage(
  kind: 'tolerance_warning' | 'tolerance_breached',
  name: string,
  record: DisruptionRecord,
  timezone: string,
): string {
  const tolerance = durationWords(record.toleranceMs);
  const since = localTime(record.startAt, timezone);
  if (kind === 'tolerance_warning') {
    const breachAt = localTime(record.startAt + record.toleranceMs, timezone);
    return `${name} disrupted for half its ${tolerance} impact tolerance (since ${since}); it breaches at ${breachAt} unless restored`;
  }
  return `Impact tolerance breached: ${name} disrupted longer than its ${tolerance} tolerance (since ${since})`;
}

export class ToleranceWatch implements LeaderWork {
  readonly name = 'impact tolerances';
  private unsubscribe: (() => void) | null = null;
  private running: Promise<void> | null = null;
  private again: number | null = null;

  constructor(private readonly options: ToleranceWatchOptions) {}

  start(): void {
    if (this.unsubscribe) return;
    this.unsubscribe = this.options.notes.onTicked((now) => this.kick(now));
  }

  async stop(): Promise<void> {
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.again = null;
    await this.running?.catch(() => {});
  }

  /** Ticks arriving while a scan runs fold into one more scan, at the latest tick's time. */
  private kick(now: number): void {
    if (this.running) {
      this.again = now;
      return;
    }
    this.running = this.scan(now)
      .catch((error: unknown) => this.options.log.warn(`impact tolerances: ${String(error)}`))
      .finally(() => {
        this.running = null;
        const next = this.again;
        this.again = null;
        if (next !== null && this.unsubscribe) this.kick(next);
      });
  }

  /** One pass over every important business service at `now`; also what tests call. */
  async scan(now: number): Promise<void> {
    const config = this.options.config();
    const services = importantServices(config);
    const serviceNames = new Set(services.map((s) => s.journey.name));
    for (const service of services) await this.scanService(service, config, now);
    // A journey that is no longer an important business service: its running disruptions end where their clocks stand.
    const orphans = (await this.options.disruptions.runningDisruptions()).filter((d) => !serviceNames.has(d.journey));
    for (const journey of new Set(orphans.map((d) => d.journey))) {
      const stored = orphans.filter((d) => d.journey === journey);
      const { save } = reconcile({ journey, toleranceMs: stored[0]!.toleranceMs, now, stored, found: [], scannedFrom: 0 });
      if (save.length > 0) await this.options.disruptions.saveDisruptions(save);
    }
  }

  private async scanService(service: ImportantService, config: VigilConfig, now: number): Promise<void> {
    const name = service.journey.name;
    const nowMinute = Math.floor(now / MINUTE_MS);
    const running = await this.options.disruptions.runningDisruptions(name);
    const incidents = await this.coveringIncidents(name, running, now);
    if (incidents.length === 0 && running.length === 0) return;
    let fromMinute = nowMinute;
    for (const i of incidents) fromMinute = Math.min(fromMinute, Math.floor(i.openedAt / MINUTE_MS) - LOOKBACK_MINUTES);
    for (const d of running) fromMinute = Math.min(fromMinute, Math.floor(d.startAt / MINUTE_MS));
    fromMinute = Math.max(fromMinute, nowMinute - MAX_SCAN_MINUTES);
    const toMinute = nowMinute + 1;
    const state = journeyMinuteStates(this.options.registry(), name, fromMinute, toMinute, regulationOf(config).downtimeBelow);
    const found = findDisruptions({ state, fromMinute, toMinute, incidents });
    const stored = await this.options.disruptions.disruptions({ journey: name, startFrom: fromMinute * MINUTE_MS });
    for (const d of running) if (!stored.some((s) => s.id === d.id)) stored.push(d);
    const result = reconcile({
      journey: name,
      toleranceMs: service.toleranceMs,
      now,
      stored,
      found,
      scannedFrom: fromMinute * MINUTE_MS,
    });
    // The timeline first: a note retried after a failed save is not doubled, a record saved before its note could lose it.
    const displayName = service.journey.displayName;
    const timezone = config.defaults.timezone;
    for (const record of result.warned) {
      // Found already past the whole tolerance (after a restart, or from late events): the breach says it all.
      if (result.breached.includes(record)) continue;
      await this.note(record, now, 'tolerance_warning', toleranceMessage('tolerance_warning', displayName, record, timezone));
    }
    for (const record of result.breached) {
      await this.note(record, now, 'tolerance_breached', toleranceMessage('tolerance_breached', displayName, record, timezone));
    }
    if (result.save.length > 0) await this.options.disruptions.saveDisruptions(result.save);
  }

  private async note(
    record: DisruptionRecord,
    now: number,
    kind: 'tolerance_warning' | 'tolerance_breached',
    message: string,
  ): Promise<void> {
    const noted = await this.options.notes.noteTolerance(record.incidentId, now, kind, message);
    if (!noted) this.options.log.warn(`impact tolerances: incident ${record.incidentId} of ${record.journey} is not stored; not noted`);
    else this.options.log.info(`incident ${record.incidentId}: ${message}`);
  }

  /**
   * The incidents covering a journey that the clock may tie a disruption to: those open at some time over the last
   * LOOKBACK_MINUTES, and those of its running disruptions; merged-away incidents are left out (their survivor covers it).
   */
  private async coveringIncidents(journey: string, running: readonly DisruptionRecord[], now: number): Promise<IncidentSpan[]> {
    const recent = await this.options.alerting.incidents({ journey, from: now - LOOKBACK_MINUTES * MINUTE_MS, to: now + 1, limit: 1000 });
    const byId = new Map<string, Incident>(recent.map((i) => [i.id, i]));
    for (const d of running) {
      if (byId.has(d.incidentId)) continue;
      const incident = await this.options.alerting.incident(d.incidentId);
      if (incident) byId.set(incident.id, incident);
    }
    const spans: IncidentSpan[] = [];
    for (const i of byId.values()) {
      if (i.mergedInto !== null || !i.journeys.includes(journey)) continue;
      spans.push({ id: i.id, openedAt: i.openedAt, resolvedAt: i.status === 'resolved' ? i.resolvedAt : null });
    }
    return spans;
  }
}
