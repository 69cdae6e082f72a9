/** The AlertingStore capability: alerts, incidents and the notification outbox (docs/alerting.md). */
import type { Alert } from '../../model/alert.js';
import type { Incident, IncidentQuery, PublicText } from '../../model/incident.js';
import type { OutboxMessage } from '../../model/notification.js';
import type { Classification, RegulatoryFlag } from '../../model/regulation.js';
import type { PurgeResult } from '../purge.js';

/** One atomic step of alert correlation: what changed, written together or not at all. */
export interface AlertingChanges {
  alerts: Alert[];
  incidents: Incident[];
  outbox: OutboxMessage[];
  /** Incidents that became major (docs/dora.md ("What Vigil keeps")): each recorded only when none is recorded yet. */
  classifications?: Classification[];
}

/** Persistence of alerts, incidents and the notification outbox. */
export interface AlertingStore {
  /**
   * Upsert the alerts and incidents (by key / id) and insert the outbox messages, in one transaction. An incident carrying a
   * `version` is written only if its row still has that version, else nothing of the call is and it throws incident_conflict;
   * one without is written whatever its row's version (a new incident). Returns each incident's version after the write
   * (docs/scale-out.md ("Incident versions")); the objects given are not changed.
   */
  saveAlerting(changes: AlertingChanges): Promise<Map<string, number>>;
  alert(key: string): Promise<Alert | null>;
  /** Alerts of one incident, or with the given keys, ordered by startsAt. */
  alerts(query: { incidentId?: string; keys?: string[] }): Promise<Alert[]>;
  /** Incidents not resolved, and every alert that is firing or belongs to one of them (the correlation state to reload at start). */
  openAlerting(): Promise<{ incidents: Incident[]; alerts: Alert[] }>;
  incident(id: string): Promise<Incident | null>;
  /** Newest first (by openedAt). */
  incidents(query: IncidentQuery): Promise<Incident[]>;
  /** How many incidents match the query's filters, whatever its `after` and `limit`. */
  incidentCount(query: IncidentQuery): Promise<number>;
  /** Distinct alerts first received, incidents opened and incidents paged in [from, to). */
  alertingCounts(from: number, to: number): Promise<{ alertsReceived: number; incidentsOpened: number; incidentsPaged: number }>;
  /**
   * Technical alerts (every source but `slo`) first received in [from, to), counted by the service they name; alerts
   * naming none are left out (docs/value.md ("Where to invest")).
   */
  technicalAlertCounts(from: number, to: number): Promise<Array<{ service: string; alerts: number }>>;
  /** Undelivered messages with nextAttemptAt ≤ now, oldest first. */
  outboxDue(now: number, limit: number): Promise<OutboxMessage[]>;
  /**
   * Claim these messages for `claimant` until `until` (docs/scale-out.md ("Notifications once")): each one unclaimed, or
   * whose claim ended by `now`, or already the claimant's. Returns the ids the claimant holds now.
   */
  claimOutbox(ids: readonly string[], claimant: string, until: number, now: number): Promise<Set<string>>;
  /** Record a delivery attempt's outcome (deliveredAt, attempts, nextAttemptAt, lastError). */
  updateOutbox(message: OutboxMessage): Promise<void>;
  /**
   * Set (or replace) the public text of an incident (docs/public-page.md ("Public text")) and add one to the incident's
   * version, in one transaction. With `expectedVersion`, only if the incident is still at that version, else nothing is
   * written and it throws incident_conflict (docs/scale-out.md ("Incident versions")). Returns the incident's new version.
   * Throws incident_not_found when no incident has the id.
   */
  setPublicText(incidentId: string, publicText: PublicText, expectedVersion?: number): Promise<number>;
  /** The public texts of these incidents, by incident id; incidents without one are absent. */
  publicTexts(incidentIds: readonly string[]): Promise<Map<string, PublicText>>;
  /**
   * Set (or replace) person flags of an incident's DORA classification (docs/dora.md ("Person flags")) and add one to the
   * incident's version, all in one transaction; `expectedVersion`, the result and the errors as for setPublicText.
   */
  setRegulatoryFlags(incidentId: string, flags: readonly RegulatoryFlag[], expectedVersion?: number): Promise<number>;
  /** The flags of these incidents as last set, by incident id, each list by flag name; incidents without any are absent. */
  regulatoryFlags(incidentIds: readonly string[]): Promise<Map<string, RegulatoryFlag[]>>;
  /**
   * Record that an incident became major, unless a classification is already recorded: the first one stays, whatever
   * later measurements say. Returns the classification recorded (the earlier one, when there was one).
   */
  classify(classification: Classification): Promise<Classification>;
  /** The recorded classifications of these incidents, by incident id. */
  classifications(incidentIds: readonly string[]): Promise<Map<string, Classification>>;
  /**
   * Delete resolved alerts first and last received before `before` that belong to no stored incident (an incident's
   * alerts go with it, purgeIncidents), at most `batch` per transaction (docs/storage.md ("Purging old data")).
   */
  purgeAlerts(before: number, batch?: number): Promise<PurgeResult>;
  /**
   * Delete whole incidents resolved before `before` — each with its alerts, public text, person flags and classification,
   * in the same transaction — at most `batch` incidents per transaction. Kept whatever their age: incidents named in
   * `keep` (a running impact-tolerance clock's), incidents with a firing alert, and every incident merged with one kept
   * (into it, or it into them), so a merge is never left half purged (docs/configuration.md ("Retention")).
   * `rows` counts incidents; `alerts` the alerts that went with them.
   */
  purgeIncidents(before: number, options?: { keep?: readonly string[]; batch?: number }): Promise<PurgeResult & { alerts: number }>;
  /** Delete outbox messages delivered before `before`, at most `batch` per transaction; undelivered ones are never purged. */
  purgeOutbox(before: number, batch?: number): Promise<PurgeResult>;
}
