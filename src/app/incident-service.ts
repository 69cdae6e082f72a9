/**
 * What the HTTP routes and the CLI need from incident handling (docs/api.md ("Incidents")). The runtime's
 * IncidentManager implements it over the pure correlation core and the store.
 */
import type { ReceiveSummary } from '../api/incidents.js';
import type { Alert, IncomingAlert } from '../model/alert.js';

export type { ReceiveSummary };
import type { Incident, IncidentQuery, NoiseStats, PublicText } from '../model/incident.js';
import type { DoraSummaryJson } from '../api/incidents.js';
import type { RegulatoryFlagsResponse, RegulatoryResponse } from '../api/regulatory.js';

export interface IncidentService {
  /** Map, correlate, prioritise and store a payload's alerts atomically. */
  receiveAlerts(alerts: IncomingAlert[], receivedAt: number): Promise<ReceiveSummary>;
  listIncidents(query: IncidentQuery): Promise<Incident[]>;
  /** How many incidents match the query's filters (its cursor and limit aside). */
  countIncidents(query: IncidentQuery): Promise<number>;
  /** The incident with its alerts, or null. */
  /** The incident and its first alerts (at most 500); `alertsOmitted` counts the alerts not listed. */
  incident(id: string): Promise<{ incident: Incident; alerts: Alert[]; alertsOmitted?: number } | null>;
  /**
   * Throws VigilError incident_not_found, invalid_transition, or incident_conflict when `expectedVersion` is given and the
   * incident is at another version (docs/api.md ("Incidents")).
   */
  acknowledge(id: string, at: number, by?: string, expectedVersion?: number): Promise<Incident>;
  resolve(id: string, at: number, by?: string, expectedVersion?: number): Promise<Incident>;
  stats(from: number, to: number): Promise<NoiseStats>;
  /** Technical (non-SLO) alerts firing now: the infrastructure view. */
  firingTechnicalAlerts?(): Alert[];
  /** The DORA classification, clocks and prefilled report of an incident at `now` (docs/dora.md). Throws incident_not_found. */
  regulatory?(id: string, now: number): Promise<RegulatoryResponse>;
  /**
   * Set person flags of an incident's classification (docs/dora.md ("Person flags")) from a PUT body, by whom `by` names, at
   * `at`; classifies it when they make it major. With `expectedVersion` (If-Match), only if the incident is at that version.
   * Throws invalid_regulatory_flags, incident_not_found, incident_conflict.
   */
  setRegulatoryFlags?(
    id: string,
    body: unknown,
    by: () => string | null,
    at: number,
    expectedVersion?: number,
  ): Promise<RegulatoryFlagsResponse>;
  /**
   * Set an incident's public text (docs/public-page.md ("Public text")), in turn with its other changes; with `expectedVersion`
   * (If-Match), only if the incident is at that version. Returns the incident's version after the write.
   * Throws incident_not_found, incident_conflict.
   */
  setPublicText?(id: string, text: PublicText, expectedVersion?: number): Promise<number>;
  /** The DORA summaries of classified incidents among these, by id (docs/dora.md ("Reporting clocks")). */
  doraSummaries?(incidents: readonly Incident[], now: number): Promise<Map<string, DoraSummaryJson>>;
  /** Runs `swap` (a change of the runtime's configuration) while no alerting step or alert intake is in progress. */
  reconfigure?(swap: () => Promise<void>): Promise<void>;
}
