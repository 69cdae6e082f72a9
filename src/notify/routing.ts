/** Which incidents page, ticket or stay quiet, and which notification targets hear about them. */
import {
  DEFAULT_ROUTING,
  type NotificationMatch,
  type NotificationTarget,
  type NotificationsSpec,
  type Routing,
  type VigilConfig,
} from '../model/config.js';
import type { Incident, Priority } from '../model/incident.js';

const RANK: Readonly<Record<Priority, number>> = { P1: 1, P2: 2, P3: 3, P4: 4 };

/** The notifications section in force: the configured one, or no targets and the default routing. */
export function notificationsOf(config: Pick<VigilConfig, 'notifications'>): NotificationsSpec {
  return config.notifications ?? { targets: [], routing: { ...DEFAULT_ROUTING } };
}

/**
 * What a priority asks for under the configured routing (default P1–P2 page, P3 ticket, P4 none).
 * @example routingFor('P3', notificationsOf(config)) // 'ticket'
 */
export function routingFor(priority: Priority, notifications: Pick<NotificationsSpec, 'routing'>): Routing {
  return notifications.routing[priority];
}

/**
 * Whether `priority` is at least as urgent as `threshold` (P1 is the most urgent).
 * @example atLeast('P2', 'P3') // true
 */
export function atLeast(priority: Priority, threshold: Priority): boolean {
  return RANK[priority] <= RANK[threshold];
}

/**
 * The targets that receive an incident of this priority: none when its routing is `none`, else those
 * whose `minPriority` it reaches.
 * @example targetsFor('P2', spec).map((t) => t.name) // ['oncall', 'payments-slack']
 */
export function targetsFor(priority: Priority, notifications: NotificationsSpec): NotificationTarget[] {
  if (routingFor(priority, notifications) === 'none') return [];
  return notifications.targets.filter((target) => atLeast(priority, target.minPriority));
}

/**
 * Whether a target's `match` holds for an incident: every field given must hold, each by any of its
 * values; journey owners come from the journeys, service owners (teams) from the `services` catalogue
 * (docs/alerting.md ("Routing by journey and team")).
 * @example matches({ journeyOwners: ['mortgages'] }, incident, config) // true when a journey it touches is owned by mortgages
 */
export function matches(
  match: NotificationMatch | undefined,
  incident: Pick<Incident, 'priority' | 'journeys' | 'services'>,
  config: Pick<VigilConfig, 'journeys' | 'services'>,
): boolean {
  if (!match) return true;
  const any = (wanted: readonly string[] | undefined, have: readonly (string | undefined)[]) =>
    wanted === undefined || have.some((value) => value !== undefined && wanted.includes(value));
  const journeyOwners = incident.journeys.map((name) => config.journeys.find((j) => j.name === name)?.owner);
  const serviceOwners = incident.services.map((name) => config.services.find((s) => s.name === name)?.owner);
  return (
    any(match.priorities, [incident.priority]) &&
    any(match.journeys, incident.journeys) &&
    any(match.journeyOwners, journeyOwners) &&
    any(match.serviceOwners, serviceOwners)
  );
}

/**
 * The targets that receive an incident: those `targetsFor` its priority whose `match` holds for it.
 * @example targetsForIncident(incident, config).map((t) => t.name) // ['mortgages-teams', 'oncall']
 */
export function targetsForIncident(
  incident: Pick<Incident, 'priority' | 'journeys' | 'services'>,
  config: VigilConfig,
): NotificationTarget[] {
  return targetsFor(incident.priority, notificationsOf(config)).filter((target) => matches(target.match, incident, config));
}
