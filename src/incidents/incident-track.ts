/** What the Correlator keeps beside each open incident: correlation keys, counts and the lead stage, kept up to date in O(1) per alert. */
import type { Alert, Stage } from '../model/alert.js';
import type { Incident } from '../model/incident.js';
import { compareStages, type JourneyMap, type StageInfo, stageKey } from './journey-map.js';

/**
 * Correlation keys. Two alerts (or incidents) correlate when a lookup key of one is an index key of the
 * other: the same step (`S`), a whole-journey stage against any stage of that journey (`W` / `J`), the
 * same service (`s`), or — for alerts with neither stage nor service — the same alert name (`n`).
 * The relation is symmetric, which the merge closure relies on.
 */
export interface CorrelationKeys {
  index: string[];
  lookup: string[];
}

/**
 * The keys of one alert. An alert on a service no journey uses also carries its owner (`o`) when the
 * service catalogue names one, so such noise folds by owner as Alertmanager's `group_by` would.
 */
export function correlationKeys(
  alert: Pick<Alert, 'stages' | 'service' | 'name'>,
  ownerOf?: (service: string) => string | undefined,
): CorrelationKeys {
  const index: string[] = [];
  const lookup: string[] = [];
  for (const stage of alert.stages) {
    if (stage.step === null) {
      index.push(`W:${stage.journey}`, `J:${stage.journey}`);
      lookup.push(`J:${stage.journey}`);
    } else {
      const step = `S:${stage.journey}\u0000${stage.step}`;
      index.push(step, `J:${stage.journey}`);
      lookup.push(step, `W:${stage.journey}`);
    }
  }
  if (alert.service !== null) {
    index.push(`s:${alert.service}`);
    lookup.push(`s:${alert.service}`);
    const owner = alert.stages.length === 0 ? ownerOf?.(alert.service) : undefined;
    if (owner !== undefined) {
      index.push(`o:${owner}`);
      lookup.push(`o:${owner}`);
    }
  } else if (alert.stages.length === 0) {
    index.push(`n:${alert.name}`);
    lookup.push(`n:${alert.name}`);
  }
  return { index, lookup };
}

export interface Track {
  incident: Incident;
  /** Keys of every member alert; the incident itself lists only the first MAX_INCIDENT_ALERT_KEYS. */
  members: Set<string>;
  /** Creation order, to break ties between incidents opened at the same time. */
  seq: number;
  indexKeys: Set<string>;
  lookupKeys: Set<string>;
  stageKeys: Set<string>;
  journeys: Set<string>;
  services: Set<string>;
  /** Names of alerts with neither service nor stage (for the title). */
  bareNames: Set<string>;
  /** Member alerts currently firing. */
  firing: number;
  /** Latest end among member alerts that resolved (epoch ms), 0 when none has. */
  lastEndAt: number;
  severities: Map<string | null, number>;
  /** Member alerts per stage key; the title leads with the stage most alerts touch. */
  stageCounts: Map<string, number>;
  lead: StageInfo | null;
  leadCount: number;
  /** Stage keys touched by an urgent alert (a critical severity or an SLO page): only those can take the lead from another. */
  urgentStages: Set<string>;
}

/** Severities urgent enough to decide what an incident is about (the same set that breaks priority ties). */
const URGENT_SEVERITIES: ReadonlySet<string> = new Set(['critical', 'page', 'emergency', 'fatal', 'high', 'sev1', 'p1']);

/** Whether an alert of this severity may decide an incident's lead stage. */
export function isUrgent(severity: string | null): boolean {
  return severity !== null && URGENT_SEVERITIES.has(severity.toLowerCase());
}

/** A track for an incident, seeded with the stages and services it already lists (a stored incident's arrays stay as they are). */
export function newTrack(incident: Incident, seq: number, map: JourneyMap): Track {
  const track: Track = {
    incident,
    members: new Set(),
    seq,
    indexKeys: new Set(),
    lookupKeys: new Set(),
    stageKeys: new Set(incident.stages.map(stageKey)),
    journeys: new Set(incident.journeys),
    services: new Set(incident.services),
    bareNames: new Set(),
    firing: 0,
    lastEndAt: 0,
    severities: new Map(),
    stageCounts: new Map(),
    lead: null,
    leadCount: 0,
    urgentStages: new Set(),
  };
  for (const stage of incident.stages) considerLead(track, stage, 0, map);
  return track;
}

/**
 * The lead stage, which the title names (docs/alerting.md ("Correlation")). The first stage leads; after that
 * only a stage touched by an urgent alert can take over — from a stage no urgent alert touches, or from an
 * urgent one by being touched by more alerts (then the most important, compareStages). A later warning alert
 * never renames an incident.
 */
function considerLead(track: Track, stage: Stage, count: number, map: JourneyMap, urgent = false): void {
  const key = stageKey(stage);
  if (urgent) track.urgentStages.add(key);
  if (track.lead !== null && track.lead.journey === stage.journey && track.lead.step === stage.step) {
    track.leadCount = count;
    return;
  }
  const info = map.stageInfo(stage);
  if (info === null) return;
  if (track.lead === null) {
    track.lead = info;
    track.leadCount = count;
    return;
  }
  const leadUrgent = track.urgentStages.has(stageKey(track.lead));
  // The stages of the incident's first alert compete on importance; a later alert must be urgent to take over.
  const firstAlert = track.members.size <= 1;
  if (!firstAlert && !track.urgentStages.has(key)) return;
  if (firstAlert && !track.urgentStages.has(key) && leadUrgent) return;
  const better = count > track.leadCount || (count === track.leadCount && compareStages(info, track.lead) < 0);
  if ((track.urgentStages.has(key) && !leadUrgent) || better) {
    track.lead = info;
    track.leadCount = count;
  }
}

/** Whether `a` was opened before `b` (earliest alert, then creation order). */
export function isOlder(a: Track, b: Track): boolean {
  return a.incident.openedAt < b.incident.openedAt || (a.incident.openedAt === b.incident.openedAt && a.seq < b.seq);
}

/**
 * The end of an incident's span (docs/alerting.md ("Correlation")): its alerts' latest known end, or newest start
 * when later. A firing alert counts up to its start only: its end is not known yet, and spans that only grow as
 * messages arrive keep the grouping independent of arrival order.
 */
export function spanEnd(track: Track): number {
  return Math.max(track.incident.lastAlertAt, track.lastEndAt);
}

/** Distance in ms from time `t` to an incident's span [openedAt, spanEnd] (0 inside it). */
export function gapToTime(track: Track, t: number): number {
  const { openedAt } = track.incident;
  const end = spanEnd(track);
  return t < openedAt ? openedAt - t : t > end ? t - end : 0;
}

/** Distance in ms between two incidents' spans (0 when they overlap). */
export function gapBetween(a: Track, b: Track): number {
  return Math.max(0, b.incident.openedAt - spanEnd(a), a.incident.openedAt - spanEnd(b));
}

function addStage(track: Track, stage: Stage, alerts: number, map: JourneyMap, urgent = false): void {
  const key = stageKey(stage);
  const count = (track.stageCounts.get(key) ?? 0) + alerts;
  track.stageCounts.set(key, count);
  if (!track.stageKeys.has(key)) {
    track.stageKeys.add(key);
    track.incident.stages.push({ journey: stage.journey, step: stage.step });
    if (!track.journeys.has(stage.journey)) {
      track.journeys.add(stage.journey);
      track.incident.journeys.push(stage.journey);
    }
  }
  considerLead(track, stage, count, map, urgent);
}

function countSeverity(track: Track, severity: string | null, delta: number): void {
  const count = (track.severities.get(severity) ?? 0) + delta;
  if (count > 0) track.severities.set(severity, count);
  else track.severities.delete(severity);
}

/** Changes a member alert's counted severity (a re-send may carry a new one). */
export function recountSeverity(track: Track, from: string | null, to: string | null): void {
  countSeverity(track, from, -1);
  countSeverity(track, to, 1);
}

/**
 * Alert keys an incident lists: its first members. The rest are counted in `alertCount` and found by their
 * `incidentId`, so a storm incident is not rewritten whole with every payload (docs/alerting.md ("Limits")).
 */
export const MAX_INCIDENT_ALERT_KEYS = 200;

/**
 * Makes an alert a member of the track's incident: counted, and listed while the list is short.
 * @example attachAlert(track, 'alertmanager:5f2d6a8e'); track.incident.alertCount // one more
 */
export function attachAlert(track: Track, key: string): void {
  if (track.members.has(key)) return;
  track.members.add(key);
  const incident = track.incident;
  incident.alertCount++;
  if (incident.alertKeys.length < MAX_INCIDENT_ALERT_KEYS) incident.alertKeys.push(key);
}

/**
 * Records an alert's stages, service, severity and time in the track and its incident (not the
 * membership list or the timeline, which the caller owns); `rejoining` for a member firing again. Returns the lookup keys new to the track
 * and whether the incident's alert span grew, which is what decides the merge checks to run.
 */
export function absorbAlert(
  track: Track,
  alert: Alert,
  map: JourneyMap,
  rejoining = false,
): { newLookups: string[]; newIndex: string[]; spanGrew: boolean } {
  const incident = track.incident;
  track.members.add(alert.key);
  // A member firing again brings nothing new but its time.
  if (!rejoining) for (const stage of alert.stages) addStage(track, stage, 1, map, isUrgent(alert.severity));
  if (alert.service !== null && !track.services.has(alert.service)) {
    track.services.add(alert.service);
    incident.services.push(alert.service);
  }
  if (alert.service === null && alert.stages.length === 0) track.bareNames.add(alert.name);
  // A member firing again was counted when it joined; it only counts as firing again.
  if (!rejoining) countSeverity(track, alert.severity, 1);
  if (alert.status === 'firing') track.firing++;
  let spanGrew = false;
  if (alert.endsAt !== null && alert.endsAt > track.lastEndAt) {
    spanGrew ||= alert.endsAt > spanEnd(track);
    track.lastEndAt = alert.endsAt;
  }
  if (alert.startsAt < incident.openedAt) {
    incident.openedAt = alert.startsAt;
    spanGrew = true;
  }
  if (alert.startsAt > incident.lastAlertAt) {
    incident.lastAlertAt = alert.startsAt;
    spanGrew = true;
  }
  const keys = correlationKeys(alert, map.ownerOf);
  const newLookups = keys.lookup.filter((key) => !track.lookupKeys.has(key));
  const newIndex = keys.index.filter((key) => !track.indexKeys.has(key));
  for (const key of newLookups) track.lookupKeys.add(key);
  for (const key of newIndex) track.indexKeys.add(key);
  return { newLookups, newIndex, spanGrew };
}

/** Folds `from`'s sets, counts and span into `into` (membership and index are the caller's). */
export function absorbTrack(into: Track, from: Track, map: JourneyMap): string[] {
  const target = into.incident;
  for (const stage of from.incident.stages) {
    const key = stageKey(stage);
    addStage(into, stage, from.stageCounts.get(key) ?? 0, map, from.urgentStages.has(key));
  }
  for (const service of from.services) {
    if (!into.services.has(service)) {
      into.services.add(service);
      target.services.push(service);
    }
  }
  for (const name of from.bareNames) into.bareNames.add(name);
  for (const [severity, count] of from.severities) countSeverity(into, severity, count);
  into.firing += from.firing;
  into.lastEndAt = Math.max(into.lastEndAt, from.lastEndAt);
  target.openedAt = Math.min(target.openedAt, from.incident.openedAt);
  target.lastAlertAt = Math.max(target.lastAlertAt, from.incident.lastAlertAt);
  for (const key of from.lookupKeys) into.lookupKeys.add(key);
  const newIndex: string[] = [];
  for (const key of from.indexKeys) {
    if (!into.indexKeys.has(key)) {
      into.indexKeys.add(key);
      newIndex.push(key);
    }
  }
  return newIndex;
}

function stageLabel(stage: Stage): string {
  return stage.step === null ? stage.journey : `${stage.journey} · ${stage.step}`;
}

function shortList(names: readonly string[], max: number): string {
  return names.length > max ? `${names.slice(0, max).join(', ')} +${names.length - max} more` : names.join(', ');
}

/**
 * The incident's title: lead stage, alert count and services.
 * @example 'card-payment · authorise: 14 alerts on card-issuer-proxy, core-ledger'
 * @example '3 alerts on hr-portal (no journey)'
 */
export function incidentTitle(track: Track): string {
  const incident = track.incident;
  const count = incident.alertCount;
  const alerts = `${count} alert${count === 1 ? '' : 's'}`;
  const services = incident.services.length > 0 ? ` on ${shortList(incident.services, 3)}` : '';
  const lead = track.lead ?? incident.stages[0] ?? null;
  if (lead === null) {
    if (incident.services.length > 0) return `${alerts}${services} (no journey)`;
    return `${alerts} ${shortList([...track.bareNames], 2)} with no service`;
  }
  const more = incident.stages.length - 1;
  return `${stageLabel(lead)}${more > 0 ? ` +${more} stage${more === 1 ? '' : 's'}` : ''}: ${alerts}${services}`;
}
