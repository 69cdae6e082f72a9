/** Incidents as the incidents page shows them: grouped by journey stage, with their alerts on a timeline. */
import type { Alert, Incident, NoiseStats } from './api-types.js';

const PRIORITY_RANK: Readonly<Record<Incident['priority'], number>> = { P1: 1, P2: 2, P3: 3, P4: 4 };
const STATUS_RANK: Readonly<Record<Incident['status'], number>> = { open: 0, acknowledged: 1, resolved: 2 };

export interface StageGroup {
  /** "journey/step", or "journey" for the whole journey, or "" for incidents touching no journey. */
  key: string;
  journey: string | null;
  step: string | null;
  label: string;
  incidents: Incident[];
}

/** Unresolved first, then by priority, then newest first. */
export function byUrgency(a: Incident, b: Incident): number {
  return (
    STATUS_RANK[a.status] - STATUS_RANK[b.status] ||
    PRIORITY_RANK[a.priority] - PRIORITY_RANK[b.priority] ||
    Date.parse(b.openedAt) - Date.parse(a.openedAt)
  );
}

/**
 * Incidents grouped under their first affected stage; groups in order of their most urgent incident.
 * @param displayNames journey name → display name, for labels.
 */
export function groupByStage(incidents: Incident[], displayNames: ReadonlyMap<string, string> = new Map()): StageGroup[] {
  const groups = new Map<string, StageGroup>();
  for (const incident of [...incidents].sort(byUrgency)) {
    const stage = incident.stages[0];
    const journey = stage?.journey ?? incident.journeys[0] ?? null;
    const step = stage?.step ?? null;
    const key = journey === null ? '' : step === null ? journey : `${journey}/${step}`;
    let group = groups.get(key);
    if (!group) {
      const name = journey === null ? 'No customer journey' : (displayNames.get(journey) ?? journey);
      group = { key, journey, step, label: step === null ? name : `${name} › ${step}`, incidents: [] };
      groups.set(key, group);
    }
    group.incidents.push(incident);
  }
  // Insertion order follows the most urgent incident of each group; what touches no journey goes last.
  return [...groups.values()].sort((a, b) => Number(a.journey === null) - Number(b.journey === null));
}

export interface TimelineBar {
  key: string;
  name: string;
  service: string | null;
  severity: string | null;
  firing: boolean;
  startsAt: number;
  endsAt: number | null;
  /** Position on the timeline, in percent of its width. */
  left: number;
  width: number;
}

/**
 * The incident's alerts as bars on a timeline from the first alert to `nowMs` (or the resolution),
 * earliest first. Each bar is at least 0.5% wide so that a one-off alert stays visible.
 */
export function alertTimeline(alerts: Alert[], nowMs: number): { from: number; to: number; bars: TimelineBar[] } {
  if (alerts.length === 0) return { from: nowMs, to: nowMs, bars: [] };
  const spans = alerts.map((a) => ({ ...a, startsAt: Date.parse(a.startsAt), endsAt: a.endsAt === null ? null : Date.parse(a.endsAt) }));
  const from = Math.min(...spans.map((a) => a.startsAt));
  const to = Math.max(nowMs, ...spans.map((a) => a.endsAt ?? nowMs));
  const span = Math.max(to - from, 60_000);
  const bars = spans
    .sort((a, b) => a.startsAt - b.startsAt || a.key.localeCompare(b.key))
    .map((a) => {
      const end = a.endsAt ?? to;
      const left = ((a.startsAt - from) / span) * 100;
      const width = Math.max(0.5, ((end - a.startsAt) / span) * 100);
      return {
        key: a.key,
        name: a.name,
        service: a.service,
        severity: a.severity,
        firing: a.status === 'firing',
        startsAt: a.startsAt,
        endsAt: a.endsAt,
        left: round(Math.min(left, 99.5)),
        width: round(Math.min(width, 100 - Math.min(left, 99.5))),
      };
    });
  return { from, to, bars };
}

/**
 * The noise figure in words: "1,204 alerts → 9 incidents → 3 paged (99.3% fewer interruptions)".
 */
export function noiseSentence(stats: NoiseStats, count: (n: number) => string): string {
  const ratio = stats.compressionRatio === null ? '' : ` (${(Math.floor(stats.compressionRatio * 1000) / 10).toFixed(1)}% folded away)`;
  // Pages are what wake people: alerts → pages beside the folding (docs/api.md ("GET /api/v1/incidents/stats")).
  const pages = ` · ${count(stats.alertsReceived)} alerts → ${count(stats.incidentsPaged)} page${stats.incidentsPaged === 1 ? '' : 's'}`;
  return `${count(stats.alertsReceived)} alerts received → ${count(stats.incidentsOpened)} incidents → ${count(stats.incidentsPaged)} paged${ratio}${pages}`;
}

/** Which actions an incident offers now. */
export function incidentActions(incident: Pick<Incident, 'status'>): { acknowledge: boolean; resolve: boolean } {
  return { acknowledge: incident.status === 'open', resolve: incident.status !== 'resolved' };
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
