/**
 * The Opsgenie Alert API v2 notification: create one alert per Vigil incident (its id is the alias, so
 * Opsgenie folds repeats), acknowledge and close it by alias. The stored payload is an envelope naming
 * the API path, since each change goes to a different endpoint; the key is added only when sending.
 */
import type { Incident, Priority } from '../model/incident.js';
import { customersText, headlineOf, isToleranceChange, type PayloadContext, stageText, valueAtRiskText } from './context.js';

/** Opsgenie's limits (Alert API, "Create alert"): message 130, alias 512, description 15,000, source 100, tag 50, details 8,000 in all. */
export const OPSGENIE_LIMITS = { message: 130, alias: 512, description: 15_000, source: 100, tag: 50, tags: 20, details: 8_000 } as const;

const PRIORITY: Readonly<Record<Priority, 'P1' | 'P2' | 'P3' | 'P4' | 'P5'>> = { P1: 'P1', P2: 'P2', P3: 'P3', P4: 'P4' };

export interface OpsgenieCreate {
  message: string;
  alias: string;
  description: string;
  priority: 'P1' | 'P2' | 'P3' | 'P4' | 'P5';
  tags: string[];
  details: Record<string, string>;
  source: string;
  entity?: string;
}

export interface OpsgenieAction {
  source: string;
  user: string;
  note: string;
}

/** What the outbox stores for an opsgenie target: the path under the API URL and the JSON body. */
export interface OpsgenieEnvelope {
  path: string;
  body: OpsgenieCreate | OpsgenieAction;
}

const clip = (text: string, max: number): string => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);

/** Tags are single words in Opsgenie's UI: spaces and commas become '-'. */
const tag = (text: string): string => clip(text.replace(/[\s,]+/g, '-'), OPSGENIE_LIMITS.tag);

/**
 * The envelope for an `opsgenie` target: `POST /v2/alerts` on opening and escalating (the same alias
 * updates the open alert), `/v2/alerts/{alias}/acknowledge` and `/close` (`identifierType=alias`) after, and
 * `/v2/alerts/{alias}/notes` for an impact-tolerance warning or breach.
 * @example opsgenieRequest(incident, context).path // '/v2/alerts'
 */
export function opsgenieRequest(incident: Incident, context: PayloadContext): OpsgenieEnvelope {
  const alias = clip(incident.id, OPSGENIE_LIMITS.alias);
  if (isToleranceChange(context.change)) {
    // A note on the open alert: a warning or breach changes nothing else about it.
    return {
      path: `/v2/alerts/${encodeURIComponent(alias)}/notes?identifierType=alias`,
      body: { source: 'Vigil', user: 'Vigil', note: clip(headlineOf(incident, context), 25_000) },
    };
  }
  if (context.change === 'acknowledged' || context.change === 'resolved') {
    const action = context.change === 'acknowledged' ? 'acknowledge' : 'close';
    return {
      path: `/v2/alerts/${encodeURIComponent(alias)}/${action}?identifierType=alias`,
      body: { source: 'Vigil', user: 'Vigil', note: clip(headlineOf(incident, context), 25_000) },
    };
  }
  const raw: Record<string, string> = {
    incident: incident.id,
    routing: context.routing,
    reason: incident.reason,
    journeys: incident.journeys.join(', '),
    stages: incident.stages.map(stageText).join(', '),
    customers_affected: customersText(incident) ?? 'not assessed',
    value_at_risk: valueAtRiskText(incident) ?? 'not assessed',
    alerts: String(incident.alertKeys.length),
    opened_at: new Date(incident.openedAt).toISOString(),
    link: context.incidentUrl,
    ...(context.dora !== undefined && { dora: context.dora }),
  };
  // The details map is bounded in total: each value is clipped to a share of it.
  const share = Math.floor(OPSGENIE_LIMITS.details / Object.keys(raw).length) - 32;
  const details = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, clip(v, share)]));
  const tags = [
    'vigil',
    incident.priority,
    context.routing,
    ...incident.journeys.map((j) => `journey:${j}`),
    ...incident.services.map((s) => `service:${s}`),
  ]
    .map(tag)
    .slice(0, OPSGENIE_LIMITS.tags);
  return {
    path: '/v2/alerts',
    body: {
      message: clip(headlineOf(incident, context), OPSGENIE_LIMITS.message),
      alias,
      description: clip(
        `${incident.reason || incident.title}${context.dora ? `\n\n${context.dora}` : ''}\n\n${context.incidentUrl}`,
        OPSGENIE_LIMITS.description,
      ),
      priority: PRIORITY[incident.priority],
      tags,
      details,
      source: 'Vigil',
      ...(incident.services[0] !== undefined && { entity: clip(incident.services.join(', '), OPSGENIE_LIMITS.alias) }),
    },
  };
}
