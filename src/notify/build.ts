/** Turns one change of an incident into the outbox messages its notification targets should receive. */
import type { NotificationTarget, VigilConfig } from '../model/config.js';
import type { Incident } from '../model/incident.js';
import type { OutboxMessage } from '../model/notification.js';
import { type IncidentChange, isToleranceChange, type PayloadContext } from './context.js';
import { pagerDutyEvent } from './pagerduty.js';
import { opsgenieRequest } from './opsgenie.js';
import { notificationsOf, routingFor, targetsForIncident } from './routing.js';
import { slackPayload } from './slack.js';
import { teamsPayload } from './teams.js';
import { webhookPayload } from './webhook.js';

export type { IncidentChange } from './context.js';

/** The request body for one target, as JSON text. */
export function payloadFor(incident: Incident, context: PayloadContext): string {
  const builders: Record<NotificationTarget['type'], (i: Incident, c: PayloadContext) => unknown> = {
    webhook: webhookPayload,
    slack: slackPayload,
    pagerduty: pagerDutyEvent,
    teams: teamsPayload,
    opsgenie: opsgenieRequest,
  };
  return JSON.stringify(builders[context.target.type](incident, context));
}

/**
 * The messages to put in the outbox for an incident that was opened, escalated, acknowledged or
 * resolved, or whose important business service reached half its impact tolerance or breached it (`note`: its
 * words): one per target whose `minPriority` the incident reaches and whose `match` holds, none when its priority
 * routes to `none` (only those named in `only`, when given). Every message about an
 * incident carries its id as dedup key, so receivers fold them into one.
 * @example buildNotifications(incident, 'opened', config, Date.now(), randomUUID) // [{ target: 'oncall', dedupKey: incident.id, … }]
 */
export function buildNotifications(
  incident: Incident,
  change: IncidentChange,
  config: VigilConfig,
  now: number,
  newId: () => string,
  only?: ReadonlySet<string>,
  /** A tolerance warning's or breach's words (`note`), or a DORA classification's clock (`dora`). */
  text?: string,
): OutboxMessage[] {
  const notifications = notificationsOf(config);
  const routing = routingFor(incident.priority, notifications);
  const path = `/api/v1/incidents/${encodeURIComponent(incident.id)}`;
  const incidentUrl = notifications.externalUrl ? `${notifications.externalUrl}${path}` : path;
  const targets = targetsForIncident(incident, config).filter((target) => only === undefined || only.has(target.name));
  return targets.map((target) => ({
    id: newId(),
    target: target.name,
    dedupKey: incident.id,
    payload: payloadFor(incident, {
      change,
      routing,
      target,
      now,
      incidentUrl,
      timezone: config.defaults.timezone,
      ...(text !== undefined && (isToleranceChange(change) ? { note: text } : { dora: text })),
    }),
    createdAt: now,
    attempts: 0,
    nextAttemptAt: now,
    deliveredAt: null,
    lastError: null,
  }));
}
