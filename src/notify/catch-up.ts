/**
 * A target added while incidents are open hears about them (docs/alerting.md ("Targets added later")):
 * which targets heard about an incident is read from its `notified` timeline entries, written in the
 * same transaction as the outbox messages.
 */
import type { VigilConfig } from '../model/config.js';
import type { Incident } from '../model/incident.js';
import type { OutboxMessage } from '../model/notification.js';
import { buildNotifications } from './build.js';
import { targetsForIncident } from './routing.js';

/** The timeline wording of a notification, parsed back by `heardBy`. */
export function notifiedMessage(change: string, targets: readonly string[], why?: string): string {
  return `${change}: notified ${targets.join(', ')}${why ? ` (${why})` : ''}`;
}

/**
 * The targets named by an incident's `notified` timeline entries.
 * @example heardBy(incident) // Set { 'oncall', 'payments-slack' }
 */
export function heardBy(incident: Pick<Incident, 'timeline'>): Set<string> {
  const names = new Set<string>();
  for (const entry of incident.timeline) {
    if (entry.kind !== 'notified') continue;
    const match = /^\w+: notified ([a-z0-9, -]+?)(?: \(.*\))?$/.exec(entry.message);
    for (const name of match?.[1]?.split(', ') ?? []) if (name) names.add(name);
  }
  return names;
}

export interface CatchUp {
  incident: Incident;
  messages: OutboxMessage[];
}

/**
 * For every open incident, an `opened` message to each target that would receive it now but never did.
 * @example catchUpNotifications(openIncidents, config, Date.now(), randomUUID) // [{ incident, messages: [{ target: 'opsgenie', … }] }]
 */
export function catchUpNotifications(incidents: readonly Incident[], config: VigilConfig, now: number, newId: () => string): CatchUp[] {
  const out: CatchUp[] = [];
  for (const incident of incidents) {
    if (incident.status === 'resolved' || incident.mergedInto !== null) continue;
    const heard = heardBy(incident);
    const missing = new Set(targetsForIncident(incident, config).flatMap((t) => (heard.has(t.name) ? [] : [t.name])));
    if (missing.size === 0) continue;
    const messages = buildNotifications(incident, 'opened', config, now, newId, missing);
    if (messages.length > 0) out.push({ incident, messages });
  }
  return out;
}
