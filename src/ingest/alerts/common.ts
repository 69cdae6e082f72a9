/** What the alert webhook parsers share: result type, field wording, times, summaries and label fingerprints. */
import { createHash } from 'node:crypto';
import * as z from 'zod';
import type { IncomingAlert } from '../../model/alert.js';
import { parseRfc3339 } from '../timestamp.js';

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

/** Prometheus-style label or annotation set: an object of string values. */
export const stringMap = z.record(z.string(), z.string(expecting('a string')), expecting('an object of string values'));

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
  labels: stringMap,
  annotations: stringMap.optional(),
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
