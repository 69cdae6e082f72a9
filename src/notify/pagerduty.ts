/** The PagerDuty Events API v2 notification: trigger, acknowledge and resolve one alert per Vigil incident. */
import type { Incident, Priority } from '../model/incident.js';
import { customersText, headlineOf, type PayloadContext, stageText, valueAtRiskText } from './context.js';

/** PagerDuty's limits: summary 1,024 characters, dedup_key 255. */
export const SUMMARY_MAX = 1024;
const DEDUP_KEY_MAX = 255;

export type PagerDutySeverity = 'critical' | 'error' | 'warning' | 'info';
export type PagerDutyAction = 'trigger' | 'acknowledge' | 'resolve';

const SEVERITY: Readonly<Record<Priority, PagerDutySeverity>> = { P1: 'critical', P2: 'error', P3: 'warning', P4: 'info' };

export interface PagerDutyEvent {
  routing_key: string;
  event_action: PagerDutyAction;
  dedup_key: string;
  payload?: {
    summary: string;
    source: string;
    severity: PagerDutySeverity;
    timestamp: string;
    component?: string;
    group?: string;
    class: string;
    custom_details: Record<string, unknown>;
  };
  client?: string;
  client_url?: string;
  links?: { href: string; text: string }[];
}

/** The PagerDuty severity of a Vigil priority. */
export function pagerDutySeverity(priority: Priority): PagerDutySeverity {
  return SEVERITY[priority];
}

/**
 * The body POSTed to a `pagerduty` target. Opening and escalating trigger (PagerDuty folds a re-trigger
 * with the same dedup_key into the open alert, updating its summary); acknowledging and resolving send
 * only the action and the key, as the Events API expects.
 * @example pagerDutyEvent(incident, context) // { routing_key: 'R0…', event_action: 'trigger', dedup_key: 'inc-…', payload: { … } }
 */
export function pagerDutyEvent(incident: Incident, context: PayloadContext): PagerDutyEvent {
  const routingKey = context.target.routingKey ?? '';
  const dedupKey = incident.id.slice(0, DEDUP_KEY_MAX);
  if (context.change === 'acknowledged' || context.change === 'resolved') {
    return { routing_key: routingKey, event_action: context.change === 'acknowledged' ? 'acknowledge' : 'resolve', dedup_key: dedupKey };
  }
  const summary = headlineOf(incident, context);
  const absolute = /^https?:\/\//.test(context.incidentUrl);
  return {
    routing_key: routingKey,
    event_action: 'trigger',
    dedup_key: dedupKey,
    payload: {
      summary: summary.length <= SUMMARY_MAX ? summary : `${summary.slice(0, SUMMARY_MAX - 1)}…`,
      source: incident.services.length > 0 ? incident.services.join(', ') : `vigil:${incident.journeys.join(',')}`,
      severity: pagerDutySeverity(incident.priority),
      timestamp: new Date(context.now).toISOString(),
      ...(incident.services[0] !== undefined && { component: incident.services[0] }),
      ...(incident.journeys.length > 0 && { group: incident.journeys.join(', ') }),
      class: 'customer-impact',
      custom_details: {
        incident: incident.id,
        priority: incident.priority,
        routing: context.routing,
        reason: incident.reason,
        journeys: incident.journeys.join(', '),
        stages: incident.stages.map(stageText).join(', '),
        customers_affected: customersText(incident) ?? 'not assessed',
        value_at_risk: valueAtRiskText(incident) ?? 'not assessed',
        alerts: incident.alertCount,
        opened_at: new Date(incident.openedAt).toISOString(),
        link: context.incidentUrl,
        ...(context.dora !== undefined && { dora: context.dora }),
      },
    },
    client: 'Vigil',
    ...(absolute && { client_url: context.incidentUrl, links: [{ href: context.incidentUrl, text: `Vigil incident ${incident.id}` }] }),
  };
}
