/** The `notifications` section of vigil.yaml: where incident notifications go and which priorities page. */
import * as z from 'zod';
import {
  DEFAULT_MIN_PRIORITY,
  DEFAULT_PAGERDUTY_URL,
  DEFAULT_ROUTING,
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

export const NotificationTargetSchema = z.strictObject({
  name: z.string(expecting("a name of lowercase letters, digits and '-'")).regex(/^[a-z0-9-]+$/),
  type: z.enum(['webhook', 'slack', 'pagerduty'], expecting("'webhook', 'slack' or 'pagerduty'")),
  url: httpUrl.optional(),
  routingKey: z.string(expecting('a PagerDuty Events API v2 integration key')).min(1).optional(),
  minPriority: priority.optional(),
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
    if ((type === 'webhook' || type === 'slack') && target['url'] === undefined) {
      const what = type === 'slack' ? 'the incoming-webhook URL' : 'the URL to POST to';
      problems.push({ file, path, at: 'value', message: `missing url; a ${type} target needs ${what}` });
    }
    if ((type === 'webhook' || type === 'slack') && target['routingKey'] !== undefined) {
      problems.push({ file, path: [...path, 'routingKey'], at: 'key', message: `routingKey applies only to type 'pagerduty'; remove it` });
    }
    if (type === 'pagerduty' && target['routingKey'] === undefined) {
      problems.push({ file, path, at: 'value', message: 'missing routingKey; a pagerduty target needs its Events API v2 integration key' });
    }
  });
  return problems;
}

/**
 * The resolved section with every default applied: routing P1–P2 page, P3 ticket, P4 none; minPriority P3;
 * PagerDuty's public endpoint when a pagerduty target gives no url.
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
        url: target.url ?? DEFAULT_PAGERDUTY_URL,
        ...(target.routingKey !== undefined && { routingKey: target.routingKey }),
        minPriority: (target.minPriority ?? DEFAULT_MIN_PRIORITY) as Priority,
      }),
    ),
    routing: routingSpec,
  };
}
