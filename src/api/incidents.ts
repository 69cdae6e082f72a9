/** Alerts and incidents on the wire (docs/api.md ("Incidents")): the model with every instant as RFC 3339. */
import { z } from 'zod';
import { Instant, Measured } from './common.js';
import { Money } from './money.js';
import { Stage } from './services.js';

export const AlertSource = z.enum(['alertmanager', 'grafana', 'generic', 'slo']);
export type AlertSource = z.infer<typeof AlertSource>;
export const AlertStatus = z.enum(['firing', 'resolved']);
export type AlertStatus = z.infer<typeof AlertStatus>;
export const IncidentStatus = z.enum(['open', 'acknowledged', 'resolved']);
export type IncidentStatus = z.infer<typeof IncidentStatus>;
export const Priority = z.enum(['P1', 'P2', 'P3', 'P4']);
export type Priority = z.infer<typeof Priority>;
export const TimelineKind = z.enum([
  'opened',
  'alert_added',
  'alert_resolved',
  'alert_refired',
  'merged',
  'priority_changed',
  'acknowledged',
  'resolved',
  'reopened',
  'notified',
  'impact_recovered',
  'alerts_folded',
  'classified',
  'tolerance_warning',
  'tolerance_breached',
]);
export type TimelineKind = z.infer<typeof TimelineKind>;

export const AlertJson = z.strictObject({
  key: z.string(),
  source: AlertSource,
  status: AlertStatus,
  name: z.string(),
  summary: z.string(),
  severity: z.string().nullable(),
  service: z.string().nullable(),
  labels: z.record(z.string(), z.string()),
  annotations: z.record(z.string(), z.string()),
  startsAt: Instant,
  endsAt: Instant.nullable(),
  firstReceivedAt: Instant,
  lastReceivedAt: Instant,
  flaps: z.number().int().nonnegative(),
  generatorUrl: z.string().optional(),
  stages: z.array(Stage),
  incidentId: z.string().nullable(),
});
export type AlertJson = z.infer<typeof AlertJson>;

export const ImpactJson = z.strictObject({
  customerImpact: z.boolean(),
  maxBurnRate: Measured,
  customersAffected: z.number().nonnegative(),
  failuresPerHour: z.number().nonnegative(),
  /** One amount per currency, largest first, never summed across currencies; empty when nothing is at risk. */
  valueAtRiskPerHour: z.array(Money),
  tier: z.string().nullable(),
  criticalStage: z.boolean(),
  assessedAt: Instant,
});
export type ImpactJson = z.infer<typeof ImpactJson>;

/** Peaks and totals over an incident's own span (docs/alerting.md ("What an incident keeps")). */
export const IncidentFiguresJson = z.strictObject({
  from: Instant,
  to: Instant,
  peakBurnRate: Measured,
  peakFailuresPerHour: z.number().nonnegative(),
  peakCustomersAffected: z.number().nonnegative(),
  customersFailed: z.number().nonnegative(),
  failedAttempts: z.number().nonnegative(),
  valueLost: z.array(Money),
  firstFailureAt: Instant.nullable(),
  peakPriority: Priority,
});
export type IncidentFiguresJson = z.infer<typeof IncidentFiguresJson>;

export const TimelineEntryJson = z.strictObject({
  at: Instant,
  kind: TimelineKind,
  message: z.string(),
  alertKey: z.string().optional(),
});
export type TimelineEntryJson = z.infer<typeof TimelineEntryJson>;

/** One reporting clock of a major incident (docs/dora.md ("Reporting clocks")). */
export const ClockJson = z.strictObject({
  report: z.enum(['initial', 'intermediate', 'final']),
  dueAt: Instant,
  /** The deadline in `defaults.timezone`, as people read it ("14:32", "02:32 on 4 Dec"). */
  dueLocal: z.string(),
  submittedAt: Instant.nullable(),
  state: z.enum(['due', 'overdue', 'submitted', 'submitted_late']),
  rule: z.string(),
});
export type ClockJson = z.infer<typeof ClockJson>;

/** What `vigil incidents` and the dashboard show of a major incident beside its row (docs/dora.md ("Reporting clocks")). */
export const DoraSummaryJson = z.strictObject({
  classifiedAt: Instant,
  basis: z.enum(['thresholds', 'recurring']),
  /** "DORA: major — initial notification due by 14:32". */
  line: z.string(),
  next: ClockJson.nullable(),
});
export type DoraSummaryJson = z.infer<typeof DoraSummaryJson>;

export const IncidentJson = z.strictObject({
  id: z.string(),
  status: IncidentStatus,
  priority: Priority,
  reason: z.string(),
  title: z.string(),
  journeys: z.array(z.string()),
  stages: z.array(Stage),
  services: z.array(z.string()),
  /** Its first alerts (at most 200); `alertCount` counts them all (docs/alerting.md ("Limits")). */
  alertKeys: z.array(z.string()),
  alertCount: z.number().int().nonnegative(),
  lastAlertAt: Instant,
  openedAt: Instant,
  acknowledgedAt: Instant.nullable(),
  resolvedAt: Instant.nullable(),
  paged: z.boolean(),
  impact: ImpactJson.nullable(),
  figures: IncidentFiguresJson.nullable(),
  mergedFrom: z.array(z.string()),
  mergedInto: z.string().nullable(),
  timeline: z.array(TimelineEntryJson),
  /** Its row's version, one more at each write; `If-Match` on a change names it (docs/api.md ("Incidents")). 0: never stored. */
  version: z.number().int().nonnegative(),
  /** Set when the incident was classified major under DORA (docs/dora.md): its classification and next reporting clock. */
  dora: DoraSummaryJson.optional(),
});
export type IncidentJson = z.infer<typeof IncidentJson>;

export const IncidentsResponse = z.strictObject({
  incidents: z.array(IncidentJson),
  /** Incidents matching the filters, over every page (docs/api.md ("Incident history")). */
  total: z.number().int().nonnegative(),
  /** The `cursor` of the next page; null on the last one. */
  next: z.string().nullable(),
});
export type IncidentsResponse = z.infer<typeof IncidentsResponse>;

/** One incident with its alerts beside its own fields. */
export const IncidentDetailResponse = z.strictObject({
  ...IncidentJson.shape,
  alerts: z.array(AlertJson),
  /** Alerts of the incident not listed in `alerts` (it lists at most 500, docs/alerting.md ("Limits")). */
  alertsOmitted: z.number().int().nonnegative().optional(),
});
export type IncidentDetailResponse = z.infer<typeof IncidentDetailResponse>;

/** The noise figure: alerts received, incidents opened and paged in [from, to). */
export const NoiseStats = z.strictObject({
  from: Instant,
  to: Instant,
  alertsReceived: z.number().int().nonnegative(),
  incidentsOpened: z.number().int().nonnegative(),
  incidentsPaged: z.number().int().nonnegative(),
  compressionRatio: z.number().nullable(),
  /** Alerts per page: what wakes people (null when nothing paged). */
  alertsPerPage: z.number().nullable(),
});
export type NoiseStats = z.infer<typeof NoiseStats>;

/** What an alert webhook answers. */
export const ReceiveSummary = z.strictObject({
  /** Alerts in the payload. */
  received: z.number().int().nonnegative(),
  /** Alerts seen for the first time. */
  created: z.number().int().nonnegative(),
  /** Re-sent alerts that updated a stored one (status, endsAt, labels…). */
  updated: z.number().int().nonnegative(),
  /** Ids of incidents opened or changed by this payload. */
  incidents: z.array(z.string()),
  /** Alertmanager and Grafana: how many alerts the sender left out of the payload. */
  truncated: z.number().int().nonnegative().optional(),
});
export type ReceiveSummary = z.infer<typeof ReceiveSummary>;

/** Durations of an incident's life in seconds, null when a moment is not reached (docs/alerting.md ("Incident review")). */
export const ReviewDurations = z.strictObject({
  /** First failure → incident opened. */
  timeToDetect: z.number().nullable(),
  /** Incident opened → acknowledged. */
  timeToAcknowledge: z.number().nullable(),
  /** Incident opened → resolved. */
  timeToResolve: z.number().nullable(),
  /** First failure (or opening) → resolved, or → the review while open. */
  duration: z.number().nullable(),
});
export type ReviewDurations = z.infer<typeof ReviewDurations>;

/** GET /api/v1/incidents/{id}/review: what a post-incident review or a major-incident report needs. */
export const IncidentReviewResponse = z.strictObject({
  id: z.string(),
  title: z.string(),
  status: IncidentStatus,
  priority: Priority,
  reason: z.string(),
  journeys: z.array(z.string()),
  stages: z.array(Stage),
  services: z.array(z.string()),
  openedAt: Instant,
  acknowledgedAt: Instant.nullable(),
  resolvedAt: Instant.nullable(),
  figures: IncidentFiguresJson.nullable(),
  durations: ReviewDurations,
  alertCount: z.number().int().nonnegative(),
  timeline: z.array(TimelineEntryJson),
  generatedAt: Instant,
});
export type IncidentReviewResponse = z.infer<typeof IncidentReviewResponse>;
