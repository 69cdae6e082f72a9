/** Technical and SLO alerts as Vigil keeps them (docs/alerting.md ("Webhooks in", "Mapping alerts to journeys")), whatever format they arrived in. */
import type { AlertSource, AlertStatus } from '../api/incidents.js';
import type { Stage } from '../api/services.js';

export type { AlertSource, AlertStatus, Stage };

export interface Alert {
  /** Unique across sources: `${source}:${sourceKey}` (Alertmanager fingerprint, Grafana fingerprint, generic key, SLO id). */
  key: string;
  source: AlertSource;
  status: AlertStatus;
  /** alertname, or the SLO alert's name. */
  name: string;
  summary: string;
  /** Technical severity as sent (critical, warning, info …); it only breaks priority ties. */
  severity: string | null;
  /** The service the alert is about (docs/alerting.md ("Mapping alerts to journeys")), or null when none could be found. */
  service: string | null;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** The alert's own start time (epoch ms); receipt time when the source gave none. */
  startsAt: number;
  /** When it resolved (epoch ms), or null while firing. */
  endsAt: number | null;
  /** First and latest receipt (epoch ms). */
  firstReceivedAt: number;
  lastReceivedAt: number;
  /** How many times it went from resolved back to firing (a flapping alert stays one alert). */
  flaps: number;
  generatorUrl?: string;
  /** Known for SLO alerts; derived from the journey map for technical ones. */
  stages: Stage[];
  incidentId: string | null;
}

/** What an alert webhook parser produces for each alert in a payload, before mapping and storage. */
export interface IncomingAlert {
  source: AlertSource;
  sourceKey: string;
  status: AlertStatus;
  name: string;
  summary: string;
  severity: string | null;
  /** An explicit service (the generic format's `service` field), which wins over labels. */
  service?: string | null;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: number | null;
  endsAt: number | null;
  generatorUrl?: string;
  /** Only for SLO alerts, whose stage is known. */
  stages?: Stage[];
}
