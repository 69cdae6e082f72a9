/**
 * Customer-centric alerting at run time (docs/alerting.md ("Customer-centric alerting")): alerts from webhooks and from the SLO engine go
 * through the pure Correlator; incidents get their impact measured from live data, their priority,
 * and notifications in the durable outbox; every step is stored atomically.
 */
import { randomUUID } from 'node:crypto';
import { VigilError } from '../errors/catalogue.js';
import { addTimelineEntry, Correlator, type TransitionResult } from '../incidents/correlate.js';
import { buildJourneyMap } from '../incidents/journey-map.js';
import { priorityRank } from '../incidents/priority.js';
import type { Alert, IncomingAlert } from '../model/alert.js';
import type { Incident, IncidentQuery, NoiseStats, PublicText } from '../model/incident.js';
import type { OutboxMessage } from '../model/notification.js';
import { buildNotifications, type IncidentChange } from '../notify/build.js';
import { catchUpNotifications, notifiedMessage } from '../notify/catch-up.js';
import { notificationsOf } from '../notify/routing.js';
import type { AlertingChanges } from '../store/store.js';
import { doraLine } from '../incidents/dora.js';
import type { Classification } from '../model/regulation.js';
import { DoraClassifier } from './dora.js';
import { clocksOf, decisionJson, doraSummary, flagJson, regulatoryResponse } from './read-models/regulatory-report.js';
import type { DoraSummaryJson } from '../api/incidents.js';
import type { RegulatoryFlagsResponse, RegulatoryResponse } from '../api/regulatory.js';
import { toInstant } from '../api/common.js';
import type { RegulatoryFlag } from '../model/regulation.js';
import { parseFlagsBody } from './regulatory-flags.js';
import { regulationOf } from '../model/regulation.js';
import { Step } from './alerting-step.js';
import { assessImpact, measureFigures, stagesRecovered } from './impact.js';
import type { IncidentService, ReceiveSummary } from './incident-service.js';
import { sloAlertStates } from './read-models/slo-alerts.js';
import type { RuntimeLog, VigilRuntime } from './runtime.js';

/** How often SLO alerts, impact and recovery are re-evaluated while serving. */
export const ALERTING_TICK_MS = 15_000;
/** Delay of the extra evaluation after new events: batches arriving together share one. */
const AFTER_APPEND_MS = 1_000;
/** Most alerts an incident's detail lists; the rest are counted in `alertsOmitted`. */
export const MAX_DETAIL_ALERTS = 500;
/** Figures count failures from this long before an incident's first alert: failures precede the alerts they cause. */
const FIGURES_LOOKBACK_MS = 15 * 60_000;
/** Resolved incidents and alerts are kept in memory this long (they stay in the store). */
const MEMORY_MS = 24 * 3_600_000;
/**
 * How many times a change refused by the store as incident_conflict (another node wrote the incident meanwhile) is made
 * again from the store's state before the conflict is returned (docs/scale-out.md ("Incident versions")).
 */
export const CONFLICT_RETRIES = 3;

/** A change that names a version (If-Match) the incident no longer has: refused before anything changed, not retried. */
class VersionMismatch extends VigilError {
  constructor(id: string, expected: number, current: number) {
    super('incident_conflict', `Incident ${id} is at version ${current}, not ${expected}; re-read it and retry.`, {
      details: { version: current },
    });
  }
}

/** A write the store refused because the incident's row moved on since it was read. */
function isStoreConflict(error: unknown): boolean {
  return error instanceof VigilError && error.code === 'incident_conflict' && !(error instanceof VersionMismatch);
}

/**
 * What measuring impact can change in an incident (impact but for when it was measured, priority, reason,
 * paging, a timeline entry): equal states need no write. Small, so a large incident costs no more to compare.
 */
function assessedState(incident: Incident): string {
  const { priority, reason, paged, timeline } = incident;
  const last = timeline[timeline.length - 1];
  const impact = incident.impact ? { ...incident.impact, assessedAt: 0 } : null;
  return JSON.stringify([impact, priority, reason, paged, timeline.length, last?.at, last?.message]);
}

/** SLO alert keys: one per SLO and severity. */
export function sloAlertKey(journey: string, slo: string, severity: 'page' | 'ticket'): string {
  return `${journey}/${slo}/${severity}`;
}

/** An alert payload waiting to be committed with its group, and how to answer its caller. */
interface PendingPayload {
  incoming: IncomingAlert[];
  receivedAt: number;
  resolve: (summary: ReceiveSummary) => void;
  reject: (error: unknown) => void;
}

export class IncidentManager implements IncidentService {
  private readonly runtime: VigilRuntime;
  private readonly log: RuntimeLog;
  private correlator!: Correlator;
  private journeyMap;
  /** SLO alert keys that are firing, as last stored. */
  private sloFiring = new Set<string>();
  /** Memory may differ from the store (a failed change could not be undone by re-reading it): re-read before the next change. */
  private stale = false;
  /** Serialises every change to the correlation state and its storage. */
  private queue: Promise<unknown> = Promise.resolve();
  /** Payloads waiting for the next group commit (null: none is waiting, the next payload starts a group). */
  private gathering: PendingPayload[] | null = null;
  private timer: NodeJS.Timeout | undefined;
  private soon: NodeJS.Timeout | undefined;
  /** Told after each tick is stored (the impact-tolerance watch runs on it). */
  private readonly tickListeners = new Set<(now: number) => void>();
  /** Measures and classifies incidents under DORA (docs/dora.md). */
  readonly dora: DoraClassifier;
  /** The recorded DORA classifications of the incidents in memory, by id. */
  private classified = new Map<string, Classification>();

  private constructor(runtime: VigilRuntime, log: RuntimeLog) {
    this.runtime = runtime;
    this.log = log;
    this.journeyMap = buildJourneyMap(runtime.config);
    this.dora = new DoraClassifier(() => runtime.config, runtime.store);
  }

  /** Load the open incidents and firing alerts from the store and resume. */
  static async start(runtime: VigilRuntime, log: RuntimeLog): Promise<IncidentManager> {
    const manager = new IncidentManager(runtime, log);
    await manager.reload();
    await manager.changing(() => manager.notifyNewTargets(runtime.clock()));
    return manager;
  }

  /**
   * Follow a new configuration (docs/cli.md ("Signals")): `swap` switches the runtime while no change is in
   * progress; then journeys, correlation options and routing are rebuilt from the store's open state, and
   * targets added hear about open incidents.
   */
  reconfigure(swap: () => Promise<void>): Promise<void> {
    // Not made again on a conflict (swap runs once): the targets' catch-up is, on its own.
    return this.changing(async () => {
      await swap();
      this.journeyMap = buildJourneyMap(this.runtime.config);
      await this.reload();
    }, 0).then(() => this.changing(() => this.notifyNewTargets(this.runtime.clock())));
  }

  /**
   * Re-read the open incidents and firing alerts from the store: on a node that becomes the leader (another one
   * changed them meanwhile), and periodically on a follower, whose reads of memory would otherwise age
   * (docs/scale-out.md ("One leader")).
   */
  resync(): Promise<void> {
    return this.changing(() => this.reload());
  }

  /** Open incidents' `opened` notification to targets that would receive them now but never did. */
  private async notifyNewTargets(now: number): Promise<void> {
    const due = catchUpNotifications(this.correlator.openIncidents(), this.runtime.config, now, randomUUID);
    if (due.length === 0) return;
    for (const { incident, messages } of due) {
      const targets = messages.map((m) => m.target);
      addTimelineEntry(incident, now, 'notified', notifiedMessage('opened', targets, 'target added while open'));
      this.log.info(`incident ${incident.id} is open: notifying ${targets.join(', ')}, added since`);
    }
    await this.save({
      alerts: [],
      incidents: due.map((d) => d.incident),
      outbox: due.flatMap((d) => d.messages),
    });
  }

  /**
   * Evaluate SLO alerts, impact and recovery now and then every ALERTING_TICK_MS until stop(); also
   * shortly after new events arrive, so an SLO that starts burning pages within seconds.
   */
  startTicking(): void {
    const run = () => {
      this.tick(this.runtime.clock()).catch((error: unknown) => this.log.warn(`alerting tick failed: ${String(error)}`));
    };
    run();
    this.timer = setInterval(run, ALERTING_TICK_MS);
    this.timer.unref();
    this.runtime.append.onAppended(() => {
      if (this.soon || this.timer === undefined) return;
      this.soon = setTimeout(() => {
        this.soon = undefined;
        run();
      }, AFTER_APPEND_MS);
      this.soon.unref();
    });
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (this.soon) clearTimeout(this.soon);
    await this.queue.catch(() => {});
  }

  /**
   * Payloads are committed in groups: those arriving while a change is being stored wait, then go through one
   * Step and one transaction together, so a storm costs one durable write per group, not per payload. Each
   * caller still gets its own summary, and only once the transaction holding its alerts is durable; when that
   * transaction fails, every payload of the group fails and memory is re-read from the store.
   */
  receiveAlerts(incoming: IncomingAlert[], receivedAt: number): Promise<ReceiveSummary> {
    return new Promise<ReceiveSummary>((resolve, reject) => {
      const payload: PendingPayload = { incoming, receivedAt, resolve, reject };
      if (this.gathering !== null) {
        this.gathering.push(payload);
        return;
      }
      const group = [payload];
      this.gathering = group;
      this.changing(async () => {
        // From here on, arriving payloads gather for the next group.
        this.gathering = null;
        return this.receiveGroup(group);
      }).then(
        (summaries) => {
          for (const [n, p] of group.entries()) p.resolve(summaries[n]!);
        },
        (error: unknown) => {
          for (const p of group) p.reject(error);
        },
      );
    });
  }

  /** Correlates the payloads in arrival order in one Step and stores them in one transaction. */
  private async receiveGroup(group: readonly PendingPayload[]): Promise<ReceiveSummary[]> {
    const step = new Step(this.correlator);
    // An alert resolved long ago is no longer in memory: fetch it, so a re-send is an update, not a new alert.
    // One query for the whole group, not one per alert.
    const keys = new Set<string>();
    for (const { incoming } of group) for (const alert of incoming) keys.add(`${alert.source}:${alert.sourceKey}`);
    const missing = [...keys].filter((key) => !this.correlator.alert(key));
    if (missing.length > 0) {
      const stored = await this.runtime.store.alerting.alerts({ keys: missing });
      if (stored.length > 0) this.correlator.load([], stored);
    }
    let now = Number.NEGATIVE_INFINITY;
    const summaries = group.map(({ incoming, receivedAt }) => {
      now = Math.max(now, receivedAt);
      const summary: ReceiveSummary = { received: incoming.length, created: 0, updated: 0, incidents: [] };
      const incidents = new Set<string>();
      for (const alert of incoming) {
        const result = step.receive(alert, receivedAt);
        if (result.isNew) summary.created++;
        else summary.updated++;
        for (const incident of result.incidents) incidents.add(incident.id);
      }
      summary.incidents = [...incidents];
      return summary;
    });
    await this.commit(step, now);
    return summaries;
  }

  async listIncidents(query: IncidentQuery): Promise<Incident[]> {
    return this.runtime.store.alerting.incidents(query);
  }

  async countIncidents(query: IncidentQuery): Promise<number> {
    return this.runtime.store.alerting.incidentCount(query);
  }

  async incident(id: string): Promise<{ incident: Incident; alerts: Alert[]; alertsOmitted: number } | null> {
    const incident = await this.runtime.store.alerting.incident(id);
    if (!incident) return null;
    // A detail stays bounded however many alerts the incident gathered (docs/alerting.md ("Limits")).
    // Its members are the alerts that name it (the incident lists only its first keys).
    const members = await this.runtime.store.alerting.alerts({ incidentId: id });
    const alerts = members.slice(0, MAX_DETAIL_ALERTS);
    return { incident, alerts, alertsOmitted: members.length - alerts.length };
  }

  acknowledge(id: string, at: number, by?: string, expectedVersion?: number): Promise<Incident> {
    return this.transition(id, at, (c) => c.acknowledge(id, at, by), 'acknowledged', expectedVersion);
  }

  resolve(id: string, at: number, by?: string, expectedVersion?: number): Promise<Incident> {
    return this.transition(id, at, (c) => c.resolve(id, at, by), 'resolved', expectedVersion);
  }

  async stats(from: number, to: number): Promise<NoiseStats> {
    const counts = await this.runtime.store.alerting.alertingCounts(from, to);
    return {
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
      ...counts,
      compressionRatio: counts.alertsReceived > 0 ? 1 - counts.incidentsOpened / counts.alertsReceived : null,
      alertsPerPage: counts.incidentsPaged > 0 ? counts.alertsReceived / counts.incidentsPaged : null,
    };
  }

  async regulatory(id: string, now: number): Promise<RegulatoryResponse> {
    const incident = await this.runtime.store.alerting.incident(id);
    if (!incident) throw new VigilError('incident_not_found', `No incident has the id '${id}'`);
    return regulatoryResponse(incident, await this.dora.assess(incident, now), this.runtime.config, now);
  }

  /**
   * Stores the flags; when they make an incident never classified major, records the classification at `at` with a timeline
   * entry, and notifies it if the incident is open (docs/dora.md ("When it is classified")).
   */
  setRegulatoryFlags(
    id: string,
    body: unknown,
    actor: () => string | null,
    at: number,
    expectedVersion?: number,
  ): Promise<RegulatoryFlagsResponse> {
    const patch = parseFlagsBody(body, regulationOf(this.runtime.config).dora.economicImpact.currency);
    const by = actor();
    return this.changing(async () => {
      const { alerting } = this.runtime.store;
      const flags: RegulatoryFlag[] = patch.flags.map((f) => ({ ...f, setBy: by, setAt: at, note: patch.note }));
      const { incident, inMemory, version } = await this.besideIncident(id, expectedVersion, (expected) =>
        alerting.setRegulatoryFlags(id, flags, expected),
      );
      const result = await this.dora.assess(incident, at);
      const decision = result.assessment.decision;
      let classification = result.classification;
      if (decision.major && classification === null) {
        classification = { incidentId: id, classifiedAt: at, basis: decision.basis ?? 'thresholds', reason: decision.reason };
        addTimelineEntry(incident, at, 'classified', `DORA: classified major. ${decision.reason}`);
        if (inMemory) {
          this.classified.set(id, classification);
          const step = new Step(this.correlator);
          step.changed(id);
          if (incident.status !== 'resolved' && incident.mergedInto === null) step.notify(id, 'classified');
          await this.commit(step, at, [classification]);
        } else {
          await this.save({ alerts: [], incidents: [incident], outbox: [], classifications: [classification] });
        }
        this.log.info(`incident ${id} classified major under DORA after flags set by ${by ?? 'an unnamed person'}`);
      }
      return {
        id,
        flags: result.flags.map(flagJson),
        decision: decisionJson(decision),
        classification: classification
          ? { classifiedAt: toInstant(classification.classifiedAt), basis: classification.basis, reason: classification.reason }
          : null,
        // The classification's write, when there was one, moved the version on once more.
        version: Math.max(version, incident.version ?? 0),
      };
    });
  }

  /**
   * Set an incident's public text (docs/public-page.md ("Public text")) in turn with its other changes; with `expectedVersion`
   * (If-Match), only if the incident is at that version. Returns its version after the write.
   */
  setPublicText(id: string, text: PublicText, expectedVersion?: number): Promise<number> {
    return this.changing(async () => {
      const { version } = await this.besideIncident(id, expectedVersion, (expected) =>
        this.runtime.store.alerting.setPublicText(id, text, expected),
      );
      return version;
    });
  }

  /**
   * A change kept beside the incident row (public text, person flags), inside changing(): `write` stores it and moves the
   * incident's version on (docs/scale-out.md ("Incident versions")). With `expectedVersion` (If-Match) the incident must be
   * at that version: refused as VersionMismatch, not made again; the store checks it once more, and a refusal there (memory
   * behind another node's write) is made again from the store, where the check refuses it. Without, the write is blind.
   * The incident (memory's own object when held) takes the new version only when it is the one after its own, so that
   * memory behind the store still fails its next write and is re-read. Throws incident_not_found.
   */
  private async besideIncident(
    id: string,
    expectedVersion: number | undefined,
    write: (expected: number | undefined) => Promise<number>,
  ): Promise<{ incident: Incident; inMemory: boolean; version: number }> {
    const held = this.correlator.incident(id);
    const incident = held ?? (await this.runtime.store.alerting.incident(id));
    if (!incident) throw new VigilError('incident_not_found', `No incident has the id '${id}'`);
    if (expectedVersion !== undefined && incident.version !== expectedVersion) {
      throw new VersionMismatch(id, expectedVersion, incident.version ?? 0);
    }
    const version = await write(expectedVersion);
    if (incident.version !== undefined && version === incident.version + 1) incident.version = version;
    return { incident, inMemory: held !== undefined, version };
  }

  async doraSummaries(incidents: readonly Incident[], now: number): Promise<Map<string, DoraSummaryJson>> {
    const { alerting } = this.runtime.store;
    const ids = incidents.map((i) => i.id);
    const classifications = await alerting.classifications(ids);
    if (classifications.size === 0) return new Map();
    const flags = await alerting.regulatoryFlags([...classifications.keys()]);
    const tz = this.runtime.config.defaults.timezone;
    const out = new Map<string, DoraSummaryJson>();
    for (const incident of incidents) {
      const c = classifications.get(incident.id);
      if (c) out.set(incident.id, doraSummary(incident, c, flags.get(incident.id) ?? [], tz, now));
    }
    return out;
  }

  /** Technical alerts firing now (the infrastructure view): SLO alerts are the customer view. */
  firingTechnicalAlerts(): Alert[] {
    return this.correlator.alerts().filter((a) => a.status === 'firing' && a.source !== 'slo');
  }

  /**
   * One evaluation round: emit SLO alerts whose page/ticket state changed, re-measure the impact of
   * open incidents, resolve those whose alerts resolved and whose journeys recovered.
   */
  async tick(now: number): Promise<void> {
    await this.changing(async () => {
      const step = new Step(this.correlator);
      for (const incoming of this.sloTransitions(now)) step.receive(incoming, now);
      step.settle(now, (incident) => stagesRecovered(this.runtime.registry, incident.stages, now));
      for (const incident of this.correlator.openIncidents()) step.reassess(incident.id);
      await this.commit(step, now);
      this.correlator.prune(now - MEMORY_MS);
      for (const id of this.classified.keys()) if (!this.correlator.incident(id)) this.classified.delete(id);
    });
    for (const listener of this.tickListeners) listener(now);
  }

  /** Calls `listener` with the tick's time after each tick is stored; returns how to stop. */
  onTicked(listener: (now: number) => void): () => void {
    this.tickListeners.add(listener);
    return () => this.tickListeners.delete(listener);
  }

  /**
   * Adds an impact-tolerance entry to an incident's timeline (docs/impact-tolerances.md ("Warning and breach")), once:
   * an entry of the same kind and words already there is not added again, so a note retried after a failure is not
   * doubled. An incident still open notifies its targets as for an escalation, in the same transaction. An incident no
   * longer kept in memory (resolved long ago) is read from the store and written back.
   * Returns false when no incident has the id.
   */
  noteTolerance(id: string, at: number, kind: 'tolerance_warning' | 'tolerance_breached', message: string): Promise<boolean> {
    return this.changing(async () => {
      const held = this.correlator.incident(id);
      const incident = held ?? (await this.runtime.store.alerting.incident(id));
      if (!incident) return false;
      if (incident.timeline.some((t) => t.kind === kind && t.message === message)) return true;
      addTimelineEntry(incident, at, kind, message);
      // An open incident's targets hear of it, in the same transaction as the entry (docs/alerting.md ("Notifications")).
      const outbox =
        incident.status === 'resolved' || incident.mergedInto !== null
          ? []
          : buildNotifications(incident, kind, this.runtime.config, at, randomUUID, undefined, message);
      if (outbox.length > 0) addTimelineEntry(incident, at, 'notified', `${kind}: notified ${outbox.map((m) => m.target).join(', ')}`);
      await this.save({ alerts: [], incidents: [incident], outbox });
      return true;
    });
  }

  /** SLO page/ticket states that differ from the stored SLO alerts, as alert messages. */
  private sloTransitions(now: number): IncomingAlert[] {
    const out: IncomingAlert[] = [];
    for (const { status, step: sloStep, severity, firing } of sloAlertStates(this.runtime.registry, now)) {
      const key = sloAlertKey(status.journey, status.slo, severity);
      if (firing === this.sloFiring.has(key)) continue;
      const burn = status.burnRates['1h'];
      const pair = status.alerts.pairs.find((p) => p.severity === severity && p.firing);
      out.push({
        source: 'slo',
        sourceKey: key,
        status: firing ? 'firing' : 'resolved',
        name: severity === 'page' ? 'SLOErrorBudgetFastBurn' : 'SLOErrorBudgetSlowBurn',
        summary: firing
          ? `${status.journey}/${status.slo} burning its error budget: ` +
            `${burn === null ? 'no events' : `${burn.toFixed(1)}× over 1 h`}` +
            `${pair ? ` (${pair.short}/${pair.long} pair above ${pair.factor.toFixed(2)})` : ''}`
          : `${status.journey}/${status.slo} no longer burning its budget fast enough to ${severity}`,
        severity: severity === 'page' ? 'critical' : 'warning',
        service: null,
        labels: {
          alertname: severity === 'page' ? 'SLOErrorBudgetFastBurn' : 'SLOErrorBudgetSlowBurn',
          journey: status.journey,
          slo: status.slo,
          severity,
        },
        annotations: { objective: String(status.objective), window: status.window },
        // Stamped when its condition first held, not when it was evaluated (docs/alerting.md ("SLO alerts")).
        startsAt: firing ? this.runtime.registry.firingSince(status.journey, status.slo, severity, now) : null,
        endsAt: firing ? null : now,
        stages: [{ journey: status.journey, step: sloStep }],
      });
    }
    return out;
  }

  /**
   * Made again from the store's state when another node wrote the incident meanwhile (changing): a change that no longer
   * applies (resolved meanwhile) is then refused as invalid_transition, one from a version it no longer has as incident_conflict.
   */
  private async transition(
    id: string,
    at: number,
    change: (c: Correlator) => TransitionResult,
    kind: IncidentChange,
    expectedVersion?: number,
  ): Promise<Incident> {
    return this.changing(async () => {
      const held = this.correlator.incident(id);
      if (!held) {
        // Not in memory (resolved long ago, or unknown): only the store can say which.
        const stored = await this.runtime.store.alerting.incident(id);
        if (!stored) throw new VigilError('incident_not_found', `No incident has the id '${id}'`);
        if (expectedVersion !== undefined && stored.version !== expectedVersion) {
          throw new VersionMismatch(id, expectedVersion, stored.version ?? 0);
        }
        throw new VigilError('invalid_transition', `Incident ${id} is ${stored.status}; it cannot be ${kind} now`);
      }
      if (expectedVersion !== undefined && held.version !== expectedVersion)
        throw new VersionMismatch(id, expectedVersion, held.version ?? 0);
      const step = new Step(this.correlator);
      const result = step.transition(change);
      if (!result.ok) throw new VigilError(result.code, result.message);
      step.notify(id, kind);
      await this.commit(step, at);
      return structuredClone(this.correlator.incident(id)!);
    });
  }

  /** Measure impact of the touched incidents, decide notifications, store everything in one transaction. */
  private async commit(step: Step, now: number, classifications: Classification[] = []): Promise<void> {
    const config = this.runtime.config;
    for (const id of step.toAssess()) {
      const incident = this.correlator.incident(id);
      if (!incident || incident.status === 'resolved' || incident.mergedInto !== null) continue;
      const before = { priority: incident.priority, state: step.isChanged(id) ? null : assessedState(incident) };
      // Measured over the incident's own span, not the server's clock: a replayed or late incident ranks as the
      // live stream would have (docs/alerting.md ("How impact is measured")).
      const at = Math.min(now, this.correlator.spanEndOf(id) ?? now);
      const { registry } = this.runtime;
      const events = this.runtime.store.events;
      const impact = incident.journeys.length > 0 ? await assessImpact(registry, events, incident.stages, incident.openedAt, at) : null;
      this.correlator.assess(id, impact, now);
      const after = this.correlator.incident(id)!;
      if (impact !== null) {
        const from = incident.openedAt - FIGURES_LOOKBACK_MS;
        after.figures = await measureFigures(registry, events, after.stages, from, at, impact, after.priority, after.figures);
        if (await this.classifyIfMajor(after, at, now, classifications)) step.changed(id);
      }
      // An incident re-assessed to the same impact is not written again (ticks would rewrite every open one).
      if (before.state === null || assessedState(after) !== before.state) step.changed(id);
      if (step.opened.has(id)) step.notify(id, 'opened');
      else if (priorityRank(after.priority) < priorityRank(before.priority)) step.notify(id, 'escalated');
    }
    for (const id of step.resolvedIds()) step.notify(id, 'resolved');
    // A newly major incident is notified as such, unless it is notified now anyway (its message carries the DORA line).
    for (const c of classifications) if (!step.notifications.has(c.incidentId)) step.notify(c.incidentId, 'classified');

    const outbox: OutboxMessage[] = [];
    for (const [id, kind] of step.notifications) {
      const incident = this.correlator.incident(id);
      if (!incident) continue;
      // Acknowledge and resolve go only to receivers that heard about the incident.
      if ((kind === 'resolved' || kind === 'acknowledged') && !incident.timeline.some((t) => t.kind === 'notified')) continue;
      const messages = buildNotifications(incident, kind, config, now, randomUUID, undefined, await this.doraText(incident, now));
      if (messages.length === 0) continue;
      outbox.push(...messages);
      addTimelineEntry(incident, now, 'notified', `${kind}: notified ${messages.map((m) => m.target).join(', ')}`);
      step.changed(id);
    }
    // No copies: both stores encode the rows before their first await, so later changes cannot reach this write.
    const changes: AlertingChanges = {
      alerts: step.alertKeys().flatMap((key) => {
        const alert = this.correlator.alert(key);
        return alert ? [alert] : [];
      }),
      incidents: step.incidentIds().flatMap((id) => {
        const incident = this.correlator.incident(id);
        return incident ? [incident] : [];
      }),
      outbox,
      classifications,
    };
    if (changes.alerts.length === 0 && changes.incidents.length === 0 && classifications.length === 0) return;
    await this.save(changes);
    for (const alert of changes.alerts) {
      if (alert.source !== 'slo') continue;
      if (alert.status === 'firing') this.sloFiring.add(alert.key.slice('slo:'.length));
      else this.sloFiring.delete(alert.key.slice('slo:'.length));
    }
  }

  /**
   * Classifies an open incident on a critical journey that is not classified yet (docs/dora.md ("When it is classified")):
   * when the rules say major, the classification (at `now`) joins this step's write, with a timeline entry. True when it did.
   */
  private async classifyIfMajor(incident: Incident, at: number, now: number, out: Classification[]): Promise<boolean> {
    if (this.classified.has(incident.id) || !this.dora.touchesCritical(incident)) return false;
    const { assessment } = await this.dora.assess(incident, at, { classification: null });
    const decision = assessment.decision;
    if (!decision.major) return false;
    const classification: Classification = {
      incidentId: incident.id,
      classifiedAt: now,
      basis: decision.basis ?? 'thresholds',
      reason: decision.reason,
    };
    this.classified.set(incident.id, classification);
    out.push(classification);
    addTimelineEntry(incident, now, 'classified', `DORA: classified major. ${decision.reason}`);
    this.log.info(`incident ${incident.id} classified major under DORA`);
    return true;
  }

  /** The DORA line of a classified incident's notifications ("DORA: major — initial notification due by 14:32"), else undefined. */
  private async doraText(incident: Incident, now: number): Promise<string | undefined> {
    const classification = this.classified.get(incident.id);
    if (!classification) return undefined;
    const flags = (await this.runtime.store.alerting.regulatoryFlags([incident.id])).get(incident.id) ?? [];
    const tz = this.runtime.config.defaults.timezone;
    return doraLine(clocksOf(incident, classification, flags, tz, now), tz, now);
  }

  /**
   * Store a change; the incidents written (memory's own objects) take the versions the store gave them, so the next write
   * of each is made from the version it now has (docs/scale-out.md ("Incident versions")).
   */
  private async save(changes: AlertingChanges): Promise<void> {
    const versions = await this.runtime.store.alerting.saveAlerting(changes);
    for (const incident of changes.incidents) incident.version = versions.get(incident.id) ?? incident.version;
  }

  private async reload(): Promise<void> {
    this.stale = true;
    const { incidents, alerts } = await this.runtime.store.alerting.openAlerting();
    this.classified = await this.runtime.store.alerting.classifications(incidents.map((i) => i.id));
    this.stale = false;
    this.correlator = new Correlator({
      journeyMap: this.journeyMap,
      alerting: this.runtime.config.alerting,
      newId: () => `inc-${randomUUID().slice(0, 8)}`,
      routing: notificationsOf(this.runtime.config).routing,
      incidents,
      alerts,
    });
    this.sloFiring = new Set(alerts.filter((a) => a.source === 'slo' && a.status === 'firing').map((a) => a.key.slice('slo:'.length)));
  }

  /**
   * Work that changes the correlation state, serialised. If it fails anywhere (measuring impact, a refused
   * or interrupted save), the in-memory changes are thrown away by re-reading the store, so memory never
   * holds an alert or incident the store does not (docs/alerting.md ("Correlation")). When the store
   * cannot be read either, memory is marked stale and the next change re-reads it before anything else.
   */
  /**
   * A write the store refuses as incident_conflict (another node, one that led before or leads now, wrote the incident since
   * it was read) is made again from the store's state, up to `retries` times (docs/scale-out.md ("Incident versions")).
   */
  private changing<T>(work: () => Promise<T>, retries = CONFLICT_RETRIES): Promise<T> {
    return this.serially(async () => {
      if (this.stale) await this.reload();
      for (let attempt = 0; ; attempt++) {
        try {
          return await work();
        } catch (error) {
          // A refusal decided before anything changed (unknown incident, invalid transition) keeps memory as it is.
          if (error instanceof VigilError && error.status < 500 && !isStoreConflict(error)) throw error;
          const reloaded = await this.reload().then(
            () => true,
            (reloadError: unknown) => {
              this.log.warn(`alerting state could not be re-read after a failed change; retrying on the next one: ${String(reloadError)}`);
              return false;
            },
          );
          if (!reloaded || !isStoreConflict(error) || attempt >= retries) throw error;
          this.log.info(`incidents changed by another node meanwhile; making the change again from the store (${String(error)})`);
        }
      }
    });
  }

  private serially<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => {});
    return next;
  }
}
