/** The shapes the dashboard reads from /api/v1 (docs/api.md ("Reading SLOs", "Incidents")), as the server sends them over JSON. */
import type { Alert, Stage } from '../../model/alert.js';
import type { Incident, NoiseStats } from '../../model/incident.js';
import type { AlertPairStatus, BurnWindow, SloStatus } from '../../model/status.js';
import type { JourneyValue } from '../../model/config.js';
import type { SloSeriesPoint as SeriesPoint } from '../../engine/evaluate.js';

export type { Alert, AlertPairStatus, BurnWindow, Incident, JourneyValue, NoiseStats, SeriesPoint, SloStatus, Stage };

export interface StepSummary {
  name: string;
  displayName: string;
  services: string[];
  critical: boolean;
}

export interface JourneySummary {
  name: string;
  displayName: string;
  description?: string;
  tier: string;
  owner?: string;
  value?: JourneyValue;
  steps: StepSummary[];
  /** Whole-journey outcome counts over the last 5 minutes and hour (absent from older servers). */
  outcomes?: { '5m': { successRate: number | null }; '1h': { successRate: number | null } };
  slos: SloStatus[];
  alerts: { page: boolean; ticket: boolean };
}

export interface JourneysResponse {
  at: string;
  journeys: JourneySummary[];
}

/** Outcome counts of a scope over a window, with success / (success + failure). */
export interface OutcomeCounts {
  success: number;
  failure: number;
  rejected: number;
  abandoned: number;
  successRate: number | null;
}

export interface StepDetail extends StepSummary {
  outcomes: { '1h': OutcomeCounts; '1d': OutcomeCounts };
  /** Names of the SLOs scoped to this step. */
  slos: string[];
}

export interface JourneyDetail extends Omit<JourneySummary, 'steps' | 'outcomes'> {
  at: string;
  outcomes: { '1h': OutcomeCounts; '1d': OutcomeCounts };
  steps: StepDetail[];
}

export interface SeriesResponse {
  journey: string;
  slo: string;
  objective: number;
  from: string;
  to: string;
  stepMs: number;
  points: SeriesPoint[];
}

export interface Info {
  version: string;
  timezone: string;
  journeys: number;
  slos: number;
  now?: string;
}

/** A technical alert firing on a service (the infrastructure view). */
export interface ServiceAlert {
  key: string;
  name: string;
  severity: string | null;
  summary: string;
  startsAt: number | string;
}

export interface ServiceState {
  name: string;
  owner?: string;
  tier?: string;
  stages: Stage[];
  firingAlerts: number;
  alerts: ServiceAlert[];
}

export interface ServicesResponse {
  services: ServiceState[];
}

export interface IncidentsResponse {
  incidents: Incident[];
}

export interface IncidentDetail {
  incident: Incident;
  alerts: Alert[];
}
