/** The generic JSON webhook notification: the incident summary a receiver can route, ticket or display. */
import { toInstant, toInstantOrNull } from '../api/common.js';
import type { Incident } from '../model/incident.js';
import type { Money } from '../model/money.js';
import { headlineOf, type PayloadContext } from './context.js';

export const WEBHOOK_PAYLOAD_VERSION = 2;

export interface WebhookPayload {
  version: typeof WEBHOOK_PAYLOAD_VERSION;
  /** `incident.opened`, `incident.escalated`, `incident.acknowledged`, `incident.resolved` or `incident.classified` (major under DORA). */
  event: string;
  /** The receiver's de-duplication key: the Vigil incident id, the same on every message about it. */
  dedupKey: string;
  routing: PayloadContext['routing'];
  summary: string;
  sentAt: string;
  incident: {
    id: string;
    status: Incident['status'];
    priority: Incident['priority'];
    reason: string;
    title: string;
    journeys: string[];
    stages: Incident['stages'];
    services: string[];
    alertCount: number;
    customerImpact: boolean | null;
    customersAffected: number | null;
    /** One amount per currency, largest first (version 2; version 1 had one number and `currency`). */
    valueAtRiskPerHour: Money[] | null;
    maxBurnRate: number | null;
    openedAt: string;
    acknowledgedAt: string | null;
    resolvedAt: string | null;
    mergedInto: string | null;
  };
  links: { incident: string };
  /** Only for an incident classified major under DORA: its next reporting clock in words (docs/dora.md ("Notifications")). */
  dora?: string;
}

/**
 * The body POSTed to a `webhook` target.
 * @example webhookPayload(incident, context).event // 'incident.opened'
 */
export function webhookPayload(incident: Incident, context: PayloadContext): WebhookPayload {
  const impact = incident.impact;
  return {
    version: WEBHOOK_PAYLOAD_VERSION,
    event: `incident.${context.change}`,
    dedupKey: incident.id,
    routing: context.routing,
    summary: headlineOf(incident, context),
    sentAt: toInstant(context.now),
    incident: {
      id: incident.id,
      status: incident.status,
      priority: incident.priority,
      reason: incident.reason,
      title: incident.title,
      journeys: incident.journeys,
      stages: incident.stages,
      services: incident.services,
      alertCount: incident.alertCount,
      customerImpact: impact ? impact.customerImpact : null,
      customersAffected: impact ? impact.customersAffected : null,
      valueAtRiskPerHour: impact ? impact.valueAtRiskPerHour : null,
      maxBurnRate: impact ? impact.maxBurnRate : null,
      openedAt: toInstant(incident.openedAt),
      acknowledgedAt: toInstantOrNull(incident.acknowledgedAt),
      resolvedAt: toInstantOrNull(incident.resolvedAt),
      mergedInto: incident.mergedInto,
    },
    links: { incident: context.incidentUrl },
    ...(context.dora !== undefined && { dora: context.dora }),
  };
}
