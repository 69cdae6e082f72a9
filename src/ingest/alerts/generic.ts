/** Vigil's own alert format for any other monitoring tool (docs/alerting.md ("The generic format")): one object or an array of them. */
import * as z from 'zod';
import type { IncomingAlert } from '../../model/alert.js';
import { parseRfc3339 } from '../timestamp.js';
import {
  type AlertParseResult,
  annotationMap,
  checkAlertTimes,
  describeJson,
  expecting,
  invalidPayload,
  labelMap,
  tooManyAlerts,
} from './common.js';

export const MAX_KEY_LENGTH = 200;
const TIME_WORDS = 'an RFC 3339 time with a zone (2026-11-26T10:00:00Z) or whole epoch milliseconds';
const MAX_DATE_MS = 8.64e15;

const instant = z.union([z.string(), z.number()], expecting(TIME_WORDS)).transform((value, ctx): number => {
  // Epoch milliseconds are whole and within what a Date can hold; 1e300 or 1.5 is a sender's bug, not an instant.
  const ms =
    typeof value === 'number' ? (Number.isInteger(value) && Math.abs(value) <= MAX_DATE_MS ? value : undefined) : parseRfc3339(value);
  if (ms !== undefined) return ms;
  ctx.issues.push({ code: 'custom', input: value, message: `expected ${TIME_WORDS}, got ${describeJson(value)}` });
  return z.NEVER;
});

/** The fields of a generic alert, in documentation order. */
export const GENERIC_FIELDS = [
  'source',
  'key',
  'status',
  'service',
  'severity',
  'summary',
  'labels',
  'annotations',
  'startsAt',
  'endsAt',
] as const;

const text = (what: string) => z.string(expecting(what)).regex(/\S/, expecting(what));

/** One alert. The shape is closed, like journey events: a misspelt field is an error rather than silently lost. */
export const genericAlertSchema = z.strictObject(
  {
    source: text('a non-empty string naming the sending system').optional(),
    key: text(`a non-empty string of at most ${MAX_KEY_LENGTH} characters`).max(
      MAX_KEY_LENGTH,
      expecting(`at most ${MAX_KEY_LENGTH} characters`),
    ),
    status: z.enum(['firing', 'resolved'], expecting("'firing' or 'resolved'")).optional(),
    service: text('a non-empty service name').optional(),
    severity: text('a non-empty string such as critical or warning').optional(),
    summary: text('a non-empty string').optional(),
    labels: labelMap.optional(),
    annotations: annotationMap.optional(),
    startsAt: instant.optional(),
    endsAt: instant.optional(),
  },
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `'${k}'`).join(', ')}; an alert has only ${GENERIC_FIELDS.join(', ')}`
        : `expected an alert object, got ${describeJson(issue.input)}`,
  },
);

type GenericAlert = z.output<typeof genericAlertSchema>;

function toIncoming(alert: GenericAlert): IncomingAlert {
  const labels = alert.labels ?? {};
  // Without a status, an end time says the alert is over.
  const status = alert.status ?? (alert.endsAt !== undefined ? 'resolved' : 'firing');
  const name = labels['alertname'] || alert.key;
  return {
    source: 'generic',
    // The sender's name keeps keys of two systems apart: nagios/disk-full is not zabbix/disk-full.
    sourceKey: alert.source ? `${alert.source}/${alert.key}` : alert.key,
    status,
    name,
    summary: alert.summary ?? name,
    severity: alert.severity ?? (labels['severity'] || null),
    ...(alert.service !== undefined && { service: alert.service }),
    labels,
    annotations: alert.annotations ?? {},
    startsAt: alert.startsAt ?? null,
    endsAt: status === 'resolved' ? (alert.endsAt ?? null) : null,
  };
}

/**
 * Reads a generic alert body (already JSON-parsed): one alert object or an array of them. Given the server
 * clock `now`, alert times are also checked against it (checkAlertTimes).
 * @example parseGenericPayload({ source: 'nagios', key: 'disk-full', service: 'core-ledger', summary: 'Disk 95% full' })
 * // { ok: true, truncated: 0, alerts: [{ source: 'generic', sourceKey: 'nagios/disk-full', status: 'firing', service: 'core-ledger', … }] }
 */
export function parseGenericPayload(body: unknown, now?: number): AlertParseResult {
  // Validate an array item by item so that the message names the failing index and field, not the union.
  const tooMany = tooManyAlerts(body);
  if (tooMany) return tooMany;
  const items = Array.isArray(body) ? body : [body];
  const alerts: IncomingAlert[] = [];
  for (let i = 0; i < items.length; i++) {
    const parsed = genericAlertSchema.safeParse(items[i]);
    if (!parsed.success) {
      const error = Array.isArray(body)
        ? new z.ZodError(parsed.error.issues.map((issue) => ({ ...issue, path: [i, ...issue.path] })))
        : parsed.error;
      return invalidPayload(error, 'generic alert');
    }
    alerts.push(toIncoming(parsed.data));
  }
  const refused = now === undefined ? null : checkAlertTimes(alerts, now, (i) => (Array.isArray(body) ? `[${i}]` : ''));
  return refused ?? { ok: true, alerts, truncated: 0 };
}
