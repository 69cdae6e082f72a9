/** The `notifications` section of vigil.yaml: where incident notifications go and which priorities page. */
import * as z from 'zod';
import {
  DEFAULT_MIN_PRIORITY,
  DEFAULT_OPSGENIE_URL,
  DEFAULT_PAGERDUTY_URL,
  DEFAULT_ROUTING,
  type NotificationMatch,
  type NotificationTarget,
  type NotificationsSpec,
} from '../model/config.js';
import type { Priority } from '../model/incident.js';
import { expecting } from './messages.js';
import type { FileProblem, RawFile } from './rules.js';

const PRIORITY_WORDS = "'P1', 'P2', 'P3' or 'P4'";
const ROUTING_WORDS = "'page', 'ticket' or 'none'";
const URL_WORDS = 'an http:// or https:// URL';

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

const httpUrl = z.string(expecting(URL_WORDS)).refine(isHttpUrl, expecting(URL_WORDS));
const priority = z.enum(['P1', 'P2', 'P3', 'P4'], expecting(PRIORITY_WORDS));
const routing = z.enum(['page', 'ticket', 'none'], expecting(ROUTING_WORDS));

const names = (what: string) =>
  z.array(z.string(expecting(what)).min(1, expecting(what)), expecting(`a list of ${what}s`)).min(1, expecting(`a list of ${what}s`));

/** docs/alerting.md ("Routing by journey and team"): every field given must hold, each by any of its values. */
export const NotificationMatchSchema = z.strictObject(
  {
    priorities: z
      .array(priority, expecting(`a list of ${PRIORITY_WORDS}`))
      .min(1, expecting(`a list of ${PRIORITY_WORDS}`))
      .optional(),
    journeys: names('journey name').optional(),
    journeyOwners: names('journey owner').optional(),
    serviceOwners: names('service owner').optional(),
  },
  // No error of its own here: the file schema's unknown-key message lists the allowed keys.
);

export const NotificationTargetSchema = z.strictObject({
  name: z.string(expecting("a name of lowercase letters, digits and '-'")).regex(/^[a-z0-9-]+$/),
  type: z.enum(['webhook', 'slack', 'pagerduty', 'teams', 'opsgenie'], expecting("'webhook', 'slack', 'pagerduty', 'teams' or 'opsgenie'")),
  url: httpUrl.optional(),
  routingKey: z.string(expecting('a PagerDuty Events API v2 integration key')).min(1).optional(),
  apiKey: z.string(expecting('an Opsgenie API integration key')).min(1).optional(),
  minPriority: priority.optional(),
  match: NotificationMatchSchema.optional(),
});

export const NotificationsSchema = z.strictObject({
  externalUrl: httpUrl.optional(),
  targets: z.array(NotificationTargetSchema, expecting('a list of notification targets')).default([]),
  routing: z
    .strictObject(
      { P1: routing.optional(), P2: routing.optional(), P3: routing.optional(), P4: routing.optional() },
      expecting('a mapping of priority → page, ticket or none'),
    )
    .optional(),
});

export type NotificationsFile = z.output<typeof NotificationsSchema>;

type Dict = Record<string, unknown>;
const dictOf = (value: unknown): Dict => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Dict) : {});

/**
 * Rules across a target's fields: what each type needs, and unique target names.
 * @example notificationProblems({ file: 'vigil.yaml', data: { notifications: { targets: [{ name: 'ops', type: 'slack' }] } } })
 * // [{ file: 'vigil.yaml', path: ['notifications', 'targets', 0], at: 'value', message: 'missing url; a slack target needs the incoming-webhook URL' }]
 */
export function notificationProblems({ file, data }: RawFile): FileProblem[] {
  const targets = dictOf(data)['notifications'];
  const list = dictOf(targets)['targets'];
  if (!Array.isArray(list)) return [];
  const problems: FileProblem[] = [];
  const seen = new Map<string, number>();
  list.forEach((raw, i) => {
    const target = dictOf(raw);
    const path = ['notifications', 'targets', i];
    const name = target['name'];
    if (typeof name === 'string') {
      const first = seen.get(name);
      if (first !== undefined) {
        problems.push({
          file,
          path: [...path, 'name'],
          at: 'value',
          message: `duplicate notification target '${name}'`,
          related: { file, path: ['notifications', 'targets', first, 'name'], at: 'value' },
        });
      } else seen.set(name, i);
    }
    const type = target['type'];
    if ((type === 'webhook' || type === 'slack' || type === 'teams') && target['url'] === undefined) {
      const what = type === 'webhook' ? 'the URL to POST to' : 'the incoming-webhook URL';
      problems.push({ file, path, at: 'value', message: `missing url; a ${type} target needs ${what}` });
    }
    if (type !== 'pagerduty' && typeof type === 'string' && target['routingKey'] !== undefined) {
      problems.push({ file, path: [...path, 'routingKey'], at: 'key', message: `routingKey applies only to type 'pagerduty'; remove it` });
    }
    if (type !== 'opsgenie' && typeof type === 'string' && target['apiKey'] !== undefined) {
      problems.push({ file, path: [...path, 'apiKey'], at: 'key', message: `apiKey applies only to type 'opsgenie'; remove it` });
    }
    if (type === 'pagerduty' && target['routingKey'] === undefined) {
      problems.push({ file, path, at: 'value', message: 'missing routingKey; a pagerduty target needs its Events API v2 integration key' });
    }
    if (type === 'opsgenie' && target['apiKey'] === undefined) {
      problems.push({ file, path, at: 'value', message: 'missing apiKey; an opsgenie target needs the key of an API integration' });
    }
  });
  return problems;
}

/**
 * Journeys a target's `match` names must be configured (in any file), or the target would never hear a thing.
 * @example notificationMatchProblems({ file: 'vigil.yaml', data }, new Set(['mortgage']))
 * // [{ path: ['notifications', 'targets', 0, 'match', 'journeys', 0], message: "no journey is named 'mortage'" }]
 */
export function notificationMatchProblems({ file, data }: RawFile, journeys: ReadonlySet<string>): FileProblem[] {
  const list = dictOf(dictOf(data)['notifications'])['targets'];
  if (!Array.isArray(list)) return [];
  const problems: FileProblem[] = [];
  list.forEach((raw, i) => {
    const named = dictOf(dictOf(raw)['match'])['journeys'];
    if (!Array.isArray(named)) return;
    named.forEach((name, j) => {
      if (typeof name === 'string' && !journeys.has(name)) {
        const known = [...journeys].sort().join(', ') || 'none';
        problems.push({
          file,
          path: ['notifications', 'targets', i, 'match', 'journeys', j],
          at: 'value',
          message: `no journey is named '${name}' (journeys: ${known})`,
        });
      }
    });
  });
  return problems;
}

/**
 * The resolved section with every default applied: routing P1–P2 page, P3 ticket, P4 none; minPriority P3;
 * PagerDuty's public endpoint when a pagerduty target gives no url, Opsgenie's (US) API when an opsgenie one gives none.
 * @example resolveNotifications({ targets: [] }).routing.P3 === 'ticket'
 */
export function resolveNotifications(section: NotificationsFile): NotificationsSpec {
  const routingSpec = { ...DEFAULT_ROUTING };
  for (const key of ['P1', 'P2', 'P3', 'P4'] as const) {
    const value = section.routing?.[key];
    if (value !== undefined) routingSpec[key] = value;
  }
  return {
    ...(section.externalUrl !== undefined && { externalUrl: section.externalUrl.replace(/\/+$/, '') }),
    targets: section.targets.map(
      (target): NotificationTarget => ({
        name: target.name,
        type: target.type,
        url: (target.url ?? (target.type === 'opsgenie' ? DEFAULT_OPSGENIE_URL : DEFAULT_PAGERDUTY_URL)).replace(
          target.type === 'opsgenie' ? /\/+$/ : /$^/,
          '',
        ),
        ...(target.routingKey !== undefined && { routingKey: target.routingKey }),
        ...(target.apiKey !== undefined && { apiKey: target.apiKey }),
        minPriority: (target.minPriority ?? DEFAULT_MIN_PRIORITY) as Priority,
        ...(target.match !== undefined && { match: target.match as NotificationMatch }),
      }),
    ),
    routing: routingSpec,
  };
}
