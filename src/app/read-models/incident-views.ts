/** Incidents and alerts as the API serves them (docs/api.md ("Incidents")): the model with every instant as RFC 3339. */
import { toInstant, toInstantOrNull } from '../../api/common.js';
import type { AlertJson, IncidentFiguresJson, IncidentJson } from '../../api/incidents.js';
import type { Alert } from '../../model/alert.js';
import type { Incident, IncidentFigures } from '../../model/incident.js';

/**
 * An incident on the wire.
 * @example incidentJson(incident).openedAt // '2026-11-26T09:58:00.000Z'
 */
export function incidentJson(incident: Incident): IncidentJson {
  return {
    ...incident,
    lastAlertAt: toInstant(incident.lastAlertAt),
    openedAt: toInstant(incident.openedAt),
    acknowledgedAt: toInstantOrNull(incident.acknowledgedAt),
    resolvedAt: toInstantOrNull(incident.resolvedAt),
    impact: incident.impact ? { ...incident.impact, assessedAt: toInstant(incident.impact.assessedAt) } : null,
    figures: incident.figures ? figuresJson(incident.figures) : null,
    timeline: incident.timeline.map((entry) => ({ ...entry, at: toInstant(entry.at) })),
    version: incident.version ?? 0,
  };
}

/** An incident's figures on the wire. */
export function figuresJson(figures: IncidentFigures): IncidentFiguresJson {
  return { ...figures, from: toInstant(figures.from), to: toInstant(figures.to), firstFailureAt: toInstantOrNull(figures.firstFailureAt) };
}

/** An alert on the wire. */
export function alertJson(alert: Alert): AlertJson {
  return {
    ...alert,
    startsAt: toInstant(alert.startsAt),
    endsAt: toInstantOrNull(alert.endsAt),
    firstReceivedAt: toInstant(alert.firstReceivedAt),
    lastReceivedAt: toInstant(alert.lastReceivedAt),
  };
}
