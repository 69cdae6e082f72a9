/** Alert correlation (docs/alerting.md ("Correlation")) as a pure state machine: alerts in, journey-stage incidents out; time comes from the alerts. */
import type { ErrorCode } from '../errors/catalogue.js';
import type { Alert, IncomingAlert } from '../model/alert.js';
import type { AlertingSpec } from '../model/config.js';
import type { Impact, Incident, TimelineEntry } from '../model/incident.js';
import { IncidentIndex, oldest } from './incident-index.js';
import {
  absorbAlert,
  absorbTrack,
  attachAlert,
  correlationKeys,
  incidentTitle,
  newTrack,
  recountSeverity,
  spanEnd,
  type Track,
} from './incident-track.js';
import type { JourneyMap } from './journey-map.js';
import { defaultRouting, prioritise, priorityRank, type Routing } from './priority.js';
import { createServiceResolver, type ServiceResolver, stagesFor } from './service-mapping.js';

export interface CorrelatorOptions {
  journeyMap: JourneyMap;
  alerting: AlertingSpec;
  /** Supplies incident ids; the Correlator never makes up its own. */
  newId: () => string;
  routing?: Routing;
  /** Stored state to resume from (e.g. the store's open incidents and their alerts). */
  incidents?: readonly Incident[];
  alerts?: readonly Alert[];
}

export interface CorrelationResult {
  /** The alert as stored after this message. */
  alert: Alert;
  /** True only the first time a key is seen: a re-sent or flapping alert is never new. */
  isNew: boolean;
  /** Every incident opened, changed or merged away by this message, each once. */
  incidents: Incident[];
  /** Id of the incident this message opened, if any. */
  opened: string | null;
  /** Keys of other alerts that changed incident because this message merged incidents (they need storing too). */
  moved: string[];
}

export type TransitionResult =
  | { ok: true; incident: Incident }
  | { ok: false; code: Extract<ErrorCode, 'incident_not_found' | 'invalid_transition'>; message: string };

/** What one call changed: incidents keyed by id, and the keys of alerts that moved to another incident in a merge. */
interface Changes {
  incidents: Map<string, Incident>;
  moved: string[];
}

/**
 * Folds alerts into incidents. An alert's time is its own `startsAt` (receipt time when absent). A firing
 * alert joins every open incident that shares a stage or a service with it and whose alert span
 * [earliest, newest alert] lies within the correlation window of that time, both ends inclusive; several
 * such incidents merge into the oldest, and merging repeats until no two open incidents correlate. Because
 * that closure only ever grows, replaying the same alerts in any order gives the same grouping.
 *
 * Returned objects are the Correlator's own and change on later calls: copy them to keep a snapshot.
 * @example const c = new Correlator({ journeyMap, alerting, newId: () => crypto.randomUUID() }); c.receive(incoming, Date.now()).incidents
 */
export class Correlator {
  private readonly map: JourneyMap;
  private readonly windowMs: number;
  private readonly newId: () => string;
  private readonly routing: Routing;
  private readonly serviceOf: ServiceResolver;
  private readonly alertsByKey = new Map<string, Alert>();
  private readonly incidentsById = new Map<string, Incident>();
  /** Open (not resolved) incidents only. */
  private readonly tracks = new Map<string, Track>();
  private readonly index: IncidentIndex;
  private seq = 0;

  constructor(options: CorrelatorOptions) {
    this.map = options.journeyMap;
    this.windowMs = options.alerting.correlationWindowMinutes * 60_000;
    this.index = new IncidentIndex(this.windowMs);
    this.newId = options.newId;
    this.routing = options.routing ?? defaultRouting;
    this.serviceOf = createServiceResolver(options.alerting);
    this.load(options.incidents ?? [], options.alerts ?? []);
  }

  /** Adds stored incidents and alerts to the state (alerts of incidents not given are kept as plain alerts). */
  load(incidents: readonly Incident[], alerts: readonly Alert[]): void {
    for (const alert of alerts) this.alertsByKey.set(alert.key, alert);
    const ordered = [...incidents].sort((a, b) => a.openedAt - b.openedAt);
    for (const incident of ordered) this.incidentsById.set(incident.id, incident);
    const members = new Map<string, Alert[]>();
    for (const alert of this.alertsByKey.values()) {
      if (alert.incidentId === null) continue;
      const list = members.get(alert.incidentId);
      if (list) list.push(alert);
      else members.set(alert.incidentId, [alert]);
    }
    for (const incident of ordered) {
      if (incident.status === 'resolved' || this.tracks.has(incident.id)) continue;
      const track = newTrack(incident, this.seq++, this.map);
      // The stored arrays are authoritative; absorbing re-adds nothing already there.
      for (const alert of members.get(incident.id) ?? []) absorbAlert(track, alert, this.map);
      this.index.add(track, track.indexKeys);
      this.tracks.set(incident.id, track);
    }
  }

  /**
   * Takes one alert message received at `receivedAt` (epoch ms) and returns the alert as stored and every
   * incident it opened, changed or merged. A resolved message for an unknown key stores the alert as
   * resolved without opening an incident.
   */
  receive(incoming: IncomingAlert, receivedAt: number): CorrelationResult {
    const key = `${incoming.source}:${incoming.sourceKey}`;
    const changes: Changes = { incidents: new Map(), moved: [] };
    const existing = this.alertsByKey.get(key);
    let opened: string | null = null;
    if (!existing) {
      const service = this.serviceOf(incoming);
      const alert = newAlert(
        key,
        incoming,
        receivedAt,
        service,
        stagesFor({ source: incoming.source, service, stages: incoming.stages }, this.map),
      );
      this.alertsByKey.set(key, alert);
      if (alert.status === 'firing') opened = this.correlate(alert, changes);
      return this.result(alert, true, changes, opened);
    }
    const alert = existing;
    const time = incoming.startsAt ?? receivedAt;
    this.refresh(alert, incoming, receivedAt);
    if (incoming.status === 'firing' && alert.status === 'resolved') {
      if (alert.endsAt !== null && time < alert.endsAt) {
        // A late message about an episode that has already ended: the alert did fire, so it belongs in an incident.
        if (alert.incidentId === null) opened = this.correlate(alert, changes);
      } else {
        opened = this.refire(alert, time, changes);
      }
    } else if (incoming.status === 'firing' && alert.incidentId === null) {
      opened = this.correlate(alert, changes);
    } else if (incoming.status === 'resolved' && alert.status === 'firing') {
      const endsAt = incoming.endsAt ?? receivedAt;
      // A resolve older than the current episode's start belongs to an earlier episode.
      if (endsAt >= alert.startsAt) this.resolveAlert(alert, endsAt, changes);
    }
    return this.result(alert, false, changes, opened);
  }

  /** Sets the impact the runtime measured and re-derives priority, reason and paging. */
  assess(id: string, impact: Impact | null, at: number): TransitionResult {
    const incident = this.incidentsById.get(id);
    if (!incident) return notFound(id);
    const track = this.tracks.get(id);
    // An incident keeps its peak (docs/alerting.md ("What an incident keeps")): a later, smaller impact neither
    // lowers its priority nor replaces the impact behind it.
    if (track && incident.impact?.customerImpact === true) {
      const severities = [...track.severities.keys()];
      const next = prioritise(incident, impact, severities, this.map, this.routing);
      if (priorityRank(next.priority) > priorityRank(incident.priority)) return { ok: true, incident };
      // At the same priority, the reason keeps the larger impact (a burn read after the outage is not its peak).
      const current = prioritise(incident, incident.impact, severities, this.map, this.routing);
      if (next.priority === incident.priority && (next.score?.total ?? 0) < (current.score?.total ?? 0)) return { ok: true, incident };
    }
    incident.impact = impact;
    if (track) this.reprioritise(track, at);
    return { ok: true, incident };
  }

  /**
   * The end of an open incident's span for measuring impact: null while any of its alerts fires (it runs to now),
   * else its last alert's end; undefined when the incident is not open.
   */
  spanEndOf(id: string): number | null | undefined {
    const track = this.tracks.get(id);
    if (!track) return undefined;
    return track.firing > 0 ? null : spanEnd(track);
  }

  /** open → acknowledged. */
  acknowledge(id: string, at: number, by?: string): TransitionResult {
    const incident = this.incidentsById.get(id);
    if (!incident) return notFound(id);
    if (incident.status !== 'open') return invalid(incident, 'acknowledge');
    incident.status = 'acknowledged';
    incident.acknowledgedAt = at;
    entry(incident, at, 'acknowledged', by ? `acknowledged by ${by}` : 'acknowledged');
    return { ok: true, incident };
  }

  /** open or acknowledged → resolved, by hand; later alerts on the same stages open a new incident. */
  resolve(id: string, at: number, by?: string): TransitionResult {
    const incident = this.incidentsById.get(id);
    if (!incident) return notFound(id);
    const track = this.tracks.get(id);
    if (!track) return invalid(incident, 'resolve');
    this.close(track, at, 'resolved', by ? `resolved by ${by}` : 'resolved by hand');
    return { ok: true, incident };
  }

  /**
   * Resolves open incidents whose alerts have all resolved and whose journeys `recovered` says have
   * recovered (the caller judges that from live SLIs); returns the incidents it resolved.
   */
  settle(now: number, recovered: (incident: Incident) => boolean): Incident[] {
    const settled: Incident[] = [];
    for (const track of [...this.tracks.values()]) {
      if (track.firing > 0 || !recovered(track.incident)) continue;
      const why = track.incident.journeys.length > 0 ? 'all alerts resolved and the journeys recovered' : 'all alerts resolved';
      this.close(track, now, 'resolved', why);
      settled.push(track.incident);
    }
    return settled;
  }

  /**
   * Forgets incidents resolved before `before` and resolved alerts outside open incidents that ended
   * before it, so a long-running process keeps bounded state. Returns how many of each it dropped.
   */
  prune(before: number): { incidents: number; alerts: number } {
    let incidents = 0;
    let alerts = 0;
    for (const [id, incident] of this.incidentsById) {
      if (incident.status === 'resolved' && (incident.resolvedAt ?? 0) < before) {
        this.incidentsById.delete(id);
        incidents++;
      }
    }
    for (const [key, alert] of this.alertsByKey) {
      const open = alert.incidentId !== null && this.tracks.has(alert.incidentId);
      if (!open && alert.status === 'resolved' && (alert.endsAt ?? alert.lastReceivedAt) < before) {
        this.alertsByKey.delete(key);
        alerts++;
      }
    }
    return { incidents, alerts };
  }

  alert(key: string): Alert | undefined {
    return this.alertsByKey.get(key);
  }

  incident(id: string): Incident | undefined {
    return this.incidentsById.get(id);
  }

  /** Every incident held, merged-away and resolved ones included. */
  incidents(): Incident[] {
    return [...this.incidentsById.values()];
  }

  openIncidents(): Incident[] {
    return [...this.tracks.values()].map((track) => track.incident);
  }

  alerts(): Alert[] {
    return [...this.alertsByKey.values()];
  }

  /** A re-sent message updates what it describes (service and stages stay as first mapped). */
  private refresh(alert: Alert, incoming: IncomingAlert, receivedAt: number): void {
    if (receivedAt < alert.lastReceivedAt) return;
    alert.lastReceivedAt = receivedAt;
    alert.summary = incoming.summary;
    alert.annotations = { ...incoming.annotations };
    if (incoming.generatorUrl !== undefined) alert.generatorUrl = incoming.generatorUrl;
    if (incoming.severity !== alert.severity) {
      const track = alert.incidentId === null ? undefined : this.tracks.get(alert.incidentId);
      if (track) recountSeverity(track, alert.severity, incoming.severity);
      alert.severity = incoming.severity;
    }
  }

  /** A resolved alert firing again: same alert, one more flap; it stays with its incident when it can. */
  private refire(alert: Alert, time: number, changes: Changes): string | null {
    alert.flaps++;
    alert.status = 'firing';
    alert.startsAt = time;
    alert.endsAt = null;
    const incident = alert.incidentId === null ? undefined : this.incidentsById.get(alert.incidentId);
    const withinWindow =
      incident !== undefined && time >= incident.openedAt - this.windowMs && time <= incident.lastAlertAt + this.windowMs;
    if (incident && withinWindow && incident.mergedInto === null && !this.tracks.has(incident.id)) {
      entry(incident, time, 'reopened', `reopened: ${alert.name} fired again`, alert.key);
      incident.status = 'open';
      incident.resolvedAt = null;
      const track = newTrack(incident, this.seq++, this.map);
      for (const member of this.alertsByKey.values())
        if (member.incidentId === incident.id && member !== alert) absorbAlert(track, member, this.map);
      this.index.add(track, track.indexKeys);
      this.tracks.set(incident.id, track);
    }
    const track = alert.incidentId === null ? undefined : this.tracks.get(alert.incidentId);
    if (!track) return this.correlate(alert, changes);
    const absorbed = absorbAlert(track, alert, this.map, true);
    entry(
      track.incident,
      time,
      'alert_refired',
      `${alert.name} fired again (${alert.flaps} flap${alert.flaps === 1 ? '' : 's'})`,
      alert.key,
    );
    this.index.add(track, absorbed.newIndex);
    this.closeOver(track, absorbed.spanGrew ? [...track.lookupKeys] : absorbed.newLookups, time, changes);
    return null;
  }

  private resolveAlert(alert: Alert, endsAt: number, changes: Changes): void {
    alert.status = 'resolved';
    alert.endsAt = endsAt;
    const track = alert.incidentId === null ? undefined : this.tracks.get(alert.incidentId);
    if (!track) return;
    track.firing--;
    const grew = endsAt > spanEnd(track);
    track.lastEndAt = Math.max(track.lastEndAt, endsAt);
    entry(track.incident, endsAt, 'alert_resolved', `${alert.name} resolved`, alert.key);
    // A longer span may now overlap another incident's (docs/alerting.md ("Correlation")).
    if (grew) this.closeOver(track, [...track.lookupKeys], endsAt, changes);
    else this.finish(track, endsAt, changes);
  }

  /** Puts an alert into an incident: the oldest one it correlates with, or a new one. Returns the id when opened. */
  private correlate(alert: Alert, changes: Changes): string | null {
    const time = alert.startsAt;
    const partners = this.index.atTime(new Set(correlationKeys(alert, this.map.ownerOf).lookup), time);
    let target = oldest(partners);
    let opened: string | null = null;
    if (target === null) {
      target = this.open(alert, time);
      opened = target.incident.id;
    }
    alert.incidentId = target.incident.id;
    attachAlert(target, alert.key);
    const absorbed = absorbAlert(target, alert, this.map);
    if (opened === null)
      entry(target.incident, time, 'alert_added', `${alert.name}${alert.service ? ` on ${alert.service}` : ''}`, alert.key);
    this.index.add(target, absorbed.newIndex);
    for (const partner of partners) if (partner !== target) this.merge(partner, target, time, changes);
    this.closeOver(target, absorbed.spanGrew || partners.length > 1 ? [...target.lookupKeys] : absorbed.newLookups, time, changes);
    return opened;
  }

  private open(alert: Alert, time: number): Track {
    const incident: Incident = {
      id: this.newId(),
      status: 'open',
      priority: 'P4',
      reason: '',
      title: '',
      journeys: [],
      stages: [],
      services: [],
      alertKeys: [],
      alertCount: 0,
      lastAlertAt: time,
      openedAt: time,
      acknowledgedAt: null,
      resolvedAt: null,
      paged: false,
      impact: null,
      mergedFrom: [],
      mergedInto: null,
      timeline: [
        { at: time, kind: 'opened', message: `opened by ${alert.name}${alert.service ? ` on ${alert.service}` : ''}`, alertKey: alert.key },
      ],
    };
    this.incidentsById.set(incident.id, incident);
    const track = newTrack(incident, this.seq++, this.map);
    this.tracks.set(incident.id, track);
    return track;
  }

  /**
   * Merges open incidents that correlate with `track` until none does, always into the oldest. Only
   * `keys` need checking: those new to the track, or all of them when its span grew.
   */
  private closeOver(start: Track, keys: readonly string[], at: number, changes: Changes): void {
    let track = start;
    let pending = keys;
    for (;;) {
      const partners = this.index.near(track, pending);
      if (partners.length === 0) break;
      const survivor = oldest([track, ...partners])!;
      for (const other of [track, ...partners]) if (other !== survivor) this.merge(other, survivor, at, changes);
      track = survivor;
      pending = [...track.lookupKeys];
    }
    this.finish(track, at, changes);
  }

  /** Moves `from`'s alerts into `into`; `from` becomes resolved and points at `into`. */
  private merge(from: Track, into: Track, at: number, changes: Changes): void {
    const source = from.incident;
    const target = into.incident;
    // The track holds every member (the incident lists only the first MAX_INCIDENT_ALERT_KEYS).
    for (const key of from.members) {
      const alert = this.alertsByKey.get(key);
      if (alert?.incidentId !== source.id) continue;
      alert.incidentId = target.id;
      attachAlert(into, key);
      changes.moved.push(key);
    }
    this.index.remove(from);
    this.index.add(into, absorbTrack(into, from, this.map));
    target.mergedFrom.push(source.id);
    target.impact ??= source.impact;
    target.paged ||= source.paged;
    entry(target, at, 'merged', `merged ${source.id} (${source.title})`);
    source.mergedInto = target.id;
    this.close(from, at, 'merged', `merged into ${target.id}`);
    changes.incidents.set(source.id, source);
  }

  private close(track: Track, at: number, kind: 'resolved' | 'merged', message: string): void {
    const incident = track.incident;
    incident.status = 'resolved';
    incident.resolvedAt = at;
    entry(incident, at, kind, message);
    this.index.remove(track);
    this.tracks.delete(incident.id);
  }

  /** Title and priority after a change, and the incident recorded as changed. */
  private finish(track: Track, at: number, changes: Changes): void {
    track.incident.title = incidentTitle(track);
    this.reprioritise(track, at);
    changes.incidents.set(track.incident.id, track.incident);
  }

  private reprioritise(track: Track, at: number): void {
    const incident = track.incident;
    const decision = prioritise(incident, incident.impact, [...track.severities.keys()], this.map, this.routing);
    if (incident.reason !== '' && decision.priority !== incident.priority) {
      entry(incident, at, 'priority_changed', `${incident.priority} → ${decision.priority}: ${decision.reason}`);
    }
    incident.priority = decision.priority;
    incident.reason = decision.reason;
    incident.paged ||= decision.paged;
  }

  private result(alert: Alert, isNew: boolean, changes: Changes, opened: string | null): CorrelationResult {
    return { alert, isNew, incidents: [...changes.incidents.values()], opened, moved: changes.moved };
  }
}

/** Timeline entries an incident keeps before later alert, notification and priority entries are folded (docs/alerting.md ("Limits")). */
export const MAX_TIMELINE_ENTRIES = 200;
/** Past MAX_TIMELINE_ENTRIES, lifecycle entries still go in up to this length; after it everything is folded. */
const MAX_TIMELINE_WITH_LIFECYCLE = 250;
// A DORA classification and a disruption's warning and breach against its impact tolerance are records a regulator may
// ask for (docs/dora.md, docs/impact-tolerances.md).
const LIFECYCLE_KINDS: ReadonlySet<TimelineEntry['kind']> = new Set([
  'acknowledged',
  'resolved',
  'reopened',
  'merged',
  'classified',
  'tolerance_warning',
  'tolerance_breached',
]);
const foldedMessage = (count: number) =>
  `${count} more timeline entr${count === 1 ? 'y' : 'ies'} not listed: the timeline keeps its first ${MAX_TIMELINE_ENTRIES} entries`;

/**
 * Appends to an incident's timeline, keeping it bounded: past MAX_TIMELINE_ENTRIES an entry is counted in one
 * `alerts_folded` entry instead (lifecycle entries — acknowledged, resolved, reopened, merged, tolerance warnings and
 * breaches — go in a little longer).
 * @example addTimelineEntry(incident, Date.now(), 'notified', 'opened: notified slack')
 */
export function addTimelineEntry(incident: Incident, at: number, kind: TimelineEntry['kind'], message: string, alertKey?: string): void {
  const timeline = incident.timeline;
  if (timeline.length < (LIFECYCLE_KINDS.has(kind) ? MAX_TIMELINE_WITH_LIFECYCLE : MAX_TIMELINE_ENTRIES)) {
    timeline.push(alertKey === undefined ? { at, kind, message } : { at, kind, message, alertKey });
    return;
  }
  for (let i = timeline.length - 1; i >= MAX_TIMELINE_ENTRIES; i--) {
    const folded = timeline[i]!;
    if (folded.kind !== 'alerts_folded') continue;
    folded.at = at;
    folded.message = foldedMessage(Number.parseInt(folded.message, 10) + 1);
    return;
  }
  timeline.push({ at, kind: 'alerts_folded', message: foldedMessage(1) });
}

const entry = addTimelineEntry;

function notFound(id: string): TransitionResult {
  return { ok: false, code: 'incident_not_found', message: `No incident has the id '${id}'` };
}

function invalid(incident: Incident, action: 'acknowledge' | 'resolve'): TransitionResult {
  const state = incident.mergedInto !== null ? `merged into ${incident.mergedInto}` : incident.status;
  return { ok: false, code: 'invalid_transition', message: `cannot ${action} incident ${incident.id}: it is ${state}` };
}

/** An alert as first stored: its time is its own startsAt, else the receipt time. */
function newAlert(key: string, incoming: IncomingAlert, receivedAt: number, service: string | null, stages: Alert['stages']): Alert {
  const resolved = incoming.status === 'resolved';
  return {
    key,
    source: incoming.source,
    status: incoming.status,
    name: incoming.name,
    summary: incoming.summary,
    severity: incoming.severity,
    service,
    labels: { ...incoming.labels },
    annotations: { ...incoming.annotations },
    startsAt: incoming.startsAt ?? receivedAt,
    endsAt: resolved ? (incoming.endsAt ?? receivedAt) : null,
    firstReceivedAt: receivedAt,
    lastReceivedAt: receivedAt,
    flaps: 0,
    ...(incoming.generatorUrl !== undefined && { generatorUrl: incoming.generatorUrl }),
    stages,
    incidentId: null,
  };
}
