/** What the alert webhook parsers share: result type, field wording, times, summaries and label fingerprints. */
import { createHash } from 'node:crypto';
import * as z from 'zod';
import type { IncomingAlert } from '../../model/alert.js';
import { formatInstant, parseRfc3339 } from '../timestamp.js';
import { MAX_FUTURE_MS } from '../validate-event.js';

/** A whole payload parsed, or the first problem in it: nothing is stored from a payload that does not parse. */
export type AlertParseResult =
  | { ok: true; alerts: IncomingAlert[]; truncated: number }
  | { ok: false; code: 'invalid_alert_payload' | 'too_many_alerts'; message: string };

/**
 * Most alerts one payload may carry (docs/alerting.md ("Limits")): Alertmanager sends groups far smaller, and a
 * bigger payload is refused before any alert is read, so one request's work stays bounded.
 */
export const MAX_ALERTS_PER_PAYLOAD = 1000;

/**
 * `too_many_alerts` when `alerts` is an array longer than MAX_ALERTS_PER_PAYLOAD, else null; checked
 * before the payload is validated, so an oversized payload costs no more than its JSON parse.
 * @example tooManyAlerts(new Array(1001)) // { ok: false, code: 'too_many_alerts', … }
 */
export function tooManyAlerts(alerts: unknown): AlertParseResult | null {
  if (!Array.isArray(alerts) || alerts.length <= MAX_ALERTS_PER_PAYLOAD) return null;
  return {
    ok: false,
    code: 'too_many_alerts',
    message: `the payload holds ${alerts.length} alerts; at most ${MAX_ALERTS_PER_PAYLOAD} are accepted in one payload: send smaller groups`,
  };
}

/** The `alerts` field of a webhook payload object, if any. */
export function alertsField(body: unknown): unknown {
  return body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as { alerts?: unknown }).alerts : undefined;
}

/** How a JSON value reads back to its sender in a message. */
export function describeJson(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}

/** A zod error option wording any issue of a schema as "expected <what>, got <value>" (or "missing; expected …"). */
export function expecting(what: string): { error: (issue: { input?: unknown }) => string } {
  return {
    error: (issue) => (issue.input === undefined ? `missing; expected ${what}` : `expected ${what}, got ${describeJson(issue.input)}`),
  };
}

/** `alerts[0].labels.severity`; empty for the payload itself. */
export function formatJsonPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? String(segment) : `.${String(segment)}`;
  }
  return out;
}

/** The first issue of a failed parse as `path: message`, the message every 400 carries. */
export function invalidPayload(error: z.ZodError, format: string): AlertParseResult {
  const issue = error.issues[0];
  if (!issue) return { ok: false, code: 'invalid_alert_payload', message: `not a valid ${format} payload` };
  const where = formatJsonPath(issue.path);
  return { ok: false, code: 'invalid_alert_payload', message: `${where ? `${where}: ` : ''}${issue.message}` };
}

/** Go's zero time, which Alertmanager and Grafana send as `endsAt` of an alert still firing. */
const GO_ZERO_TIME = '0001-01-01T00:00:00';
const TIME_WORDS = 'an RFC 3339 time with a zone such as 2026-11-26T10:00:00Z';

/** An RFC 3339 time as epoch ms, with Go's zero time (and an empty string) meaning "not set" (null). */
export const goTime = z.string(expecting(TIME_WORDS)).transform((text, ctx): number | null => {
  if (text === '' || text.startsWith(GO_ZERO_TIME)) return null;
  const ms = parseRfc3339(text);
  if (ms !== undefined) return ms;
  ctx.issues.push({ code: 'custom', input: text, message: `expected ${TIME_WORDS}, got ${describeJson(text)}` });
  return z.NEVER;
});

/** Longest label or annotation name, label value and annotation value (docs/alerting.md ("Webhooks in")). */
export const MAX_LABEL_NAME_LENGTH = 200;
export const MAX_LABEL_VALUE_LENGTH = 2048;
export const MAX_ANNOTATION_LENGTH = 16_384;
/** Names that would reach an object's prototype machinery rather than be a label (JSON.parse keeps `__proto__` as an own key). */
const RESERVED_NAMES = ['__proto__', 'constructor', 'prototype'] as const;

/**
 * Prometheus-style label or annotation set: an object of string values with bounded lengths. Reserved names
 * are refused by name rather than dropped: a check done before the record is read, which would lose `__proto__`.
 */
function stringMap(maxValue: number) {
  const record = z.record(
    z.string().max(MAX_LABEL_NAME_LENGTH, { error: () => `expected a name of at most ${MAX_LABEL_NAME_LENGTH} characters` }),
    z.string(expecting('a string')).max(maxValue, { error: () => `expected a string of at most ${maxValue} characters` }),
    {
      error: (issue) =>
        issue.code === 'invalid_key' ? (issue.issues[0]?.message ?? 'invalid name') : expecting('an object of string values').error(issue),
    },
  );
  return z.preprocess((value, ctx) => {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
    for (const name of RESERVED_NAMES) {
      if (Object.hasOwn(value, name)) {
        ctx.issues.push({ code: 'custom', input: value, path: [name], message: `the name '${name}' is reserved; rename the label` });
      }
    }
    return value;
  }, record);
}

export const labelMap = stringMap(MAX_LABEL_VALUE_LENGTH);
export const annotationMap = stringMap(MAX_ANNOTATION_LENGTH);

/** How far an alert's times may lie from the server clock (docs/alerting.md ("Webhooks in")). */
export const MAX_ALERT_AGE_MS = 366 * 86_400_000;
export const MAX_ALERT_AHEAD_MS = MAX_FUTURE_MS;

/**
 * The first alert whose times cannot be true, as a refusal naming it: `startsAt` or `endsAt` more than
 * MAX_ALERT_AGE_MS before `now` or MAX_ALERT_AHEAD_MS after it, or `endsAt` before `startsAt`. A payload
 * dated year 1 or 9999 would otherwise open an incident no window or query can hold.
 * @example checkAlertTimes([{ startsAt: Date.parse('9999-01-01T00:00:00Z'), … }], Date.now(), (i) => `alerts[${i}]`).ok // false
 */
export function checkAlertTimes(alerts: IncomingAlert[], now: number, pathOf: (index: number) => string): AlertParseResult | null {
  for (let i = 0; i < alerts.length; i++) {
    const { startsAt, endsAt } = alerts[i]!;
    const problem =
      timeProblem('startsAt', startsAt, now) ??
      timeProblem('endsAt', endsAt, now) ??
      (startsAt !== null && endsAt !== null && endsAt < startsAt
        ? `endsAt: ${formatInstant(endsAt)} is before startsAt (${formatInstant(startsAt)})`
        : null);
    if (problem !== null) {
      const path = pathOf(i);
      return { ok: false, code: 'invalid_alert_payload', message: `${path ? `${path}.` : ''}${problem}` };
    }
  }
  return null;
}

function timeProblem(field: string, at: number | null, now: number): string | null {
  if (at === null) return null;
  if (at < now - MAX_ALERT_AGE_MS) return `${field}: ${formatInstant(at)} is more than 366 days before the server clock`;
  if (at > now + MAX_ALERT_AHEAD_MS) return `${field}: ${formatInstant(at)} is more than 5 minutes ahead of the server clock`;
  return null;
}

/**
 * The alert's one-line summary: annotation `summary`, else `description`, else `message`, else the alert name.
 * @example summaryOf({ description: 'p99 above 2 s' }, 'HighLatency') // 'p99 above 2 s'
 */
export function summaryOf(annotations: Record<string, string>, name: string): string {
  for (const key of ['summary', 'description', 'message']) {
    const text = annotations[key]?.trim();
    if (text) return text;
  }
  return name;
}

/**
 * A stable key for an alert sent without a fingerprint: a hash of its labels sorted by name, so the
 * same label set always maps to the same stored alert whatever order the labels arrive in.
 * @example labelFingerprint({ b: '2', a: '1' }) === labelFingerprint({ a: '1', b: '2' })
 */
export function labelFingerprint(labels: Record<string, string>): string {
  const sorted = Object.keys(labels)
    .sort()
    .map((name) => [name, labels[name]]);
  return createHash('sha256').update(JSON.stringify(sorted)).digest('hex').slice(0, 16);
}

/** A non-empty severity label, or null. */
export function severityOf(labels: Record<string, string>): string | null {
  const severity = labels['severity']?.trim();
  return severity ? severity : null;
}

/** The alert fields Alertmanager and Grafana's unified alerting share (Grafana adds its own beside them). */
export const prometheusAlertFields = {
  status: z.enum(['firing', 'resolved'], expecting("'firing' or 'resolved'")),
  labels: labelMap,
  annotations: annotationMap.optional(),
  startsAt: goTime.optional(),
  endsAt: goTime.optional(),
  generatorURL: z.string(expecting('a string')).optional(),
  fingerprint: z.string(expecting('a string')).optional(),
};

type PrometheusAlert = z.output<z.ZodObject<typeof prometheusAlertFields>>;

/**
 * An Alertmanager-style alert as an IncomingAlert: keyed by its fingerprint (a hash of its sorted labels
 * when absent), named by `alertname`; a firing alert has no end time.
 */
export function fromPrometheusAlert(
  source: 'alertmanager' | 'grafana',
  alert: PrometheusAlert,
  annotations: Record<string, string>,
): IncomingAlert {
  const name = alert.labels['alertname'] || 'unnamed alert';
  return {
    source,
    sourceKey: alert.fingerprint || labelFingerprint(alert.labels),
    status: alert.status,
    name,
    summary: summaryOf(annotations, name),
    severity: severityOf(alert.labels),
    labels: alert.labels,
    annotations,
    startsAt: alert.startsAt ?? null,
    endsAt: alert.status === 'resolved' ? (alert.endsAt ?? null) : null,
    ...(alert.generatorURL ? { generatorUrl: alert.generatorURL } : {}),
  };
}
