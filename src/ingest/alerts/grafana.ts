/** Grafana-managed (unified) alerting webhook payloads → IncomingAlert, keyed by fingerprint (docs/alerting.md ("Grafana")). */
import * as z from 'zod';
import {
  type AlertParseResult,
  alertsField,
  checkAlertTimes,
  expecting,
  fromPrometheusAlert,
  invalidPayload,
  prometheusAlertFields,
  tooManyAlerts,
} from './common.js';

const alertSchema = z.object(
  {
    ...prometheusAlertFields,
    silenceURL: z.string(expecting('a string')).optional(),
    dashboardURL: z.string(expecting('a string')).optional(),
    panelURL: z.string(expecting('a string')).optional(),
    // Query results by refId; Grafana sends null when the rule has none.
    values: z.record(z.string(), z.number(expecting('a number')).nullable(), expecting('an object of numbers')).nullish(),
    valueString: z.string(expecting('a string')).optional(),
  },
  expecting('an alert object'),
);

/**
 * The unified alerting payload. `receiver`, `status`, `orgId`, `groupKey`, `groupLabels`, `commonLabels`,
 * `commonAnnotations`, `externalURL`, `title`, `state` and `message` describe the notification as a whole
 * and are not needed per alert; unknown fields are ignored. Legacy (pre-8) Grafana alerts have no
 * `alerts` array and are refused with a message saying so.
 */
export const grafanaPayloadSchema = z.object(
  {
    version: z.literal('1', expecting('"1" (Grafana-managed alerting webhook)')).optional(),
    truncatedAlerts: z.number(expecting('a whole number ≥ 0')).int().min(0).optional(),
    alerts: z.array(alertSchema, expecting('an array of alerts (Grafana-managed alerting; legacy dashboard alerts are not supported)')),
  },
  expecting('a Grafana alerting webhook payload (an object with alerts)'),
);

type GrafanaAlert = z.output<typeof alertSchema>;

/** Grafana's links and query values, kept with the annotations (an annotation of the same name wins). */
function annotationsOf(alert: GrafanaAlert): Record<string, string> {
  const extra: Record<string, string> = {};
  if (alert.dashboardURL) extra['dashboardURL'] = alert.dashboardURL;
  if (alert.panelURL) extra['panelURL'] = alert.panelURL;
  if (alert.silenceURL) extra['silenceURL'] = alert.silenceURL;
  const values = Object.entries(alert.values ?? {}).filter((entry): entry is [string, number] => entry[1] !== null);
  if (values.length > 0) extra['values'] = values.map(([ref, value]) => `${ref}=${value}`).join(', ');
  else if (alert.valueString) extra['values'] = alert.valueString;
  return { ...extra, ...(alert.annotations ?? {}) };
}

/**
 * Reads a Grafana-managed alerting webhook body (already JSON-parsed); given the server clock `now`, alert
 * times are checked against it (checkAlertTimes). Alerts are keyed by their
 * `fingerprint`, or by a hash of their sorted labels when absent.
 * @example parseGrafanaPayload({ version: '1', alerts: [{ status: 'firing', labels: { alertname: 'High memory' }, fingerprint: 'c6ea' }] })
 * // { ok: true, truncated: 0, alerts: [{ source: 'grafana', sourceKey: 'c6ea', name: 'High memory', … }] }
 */
export function parseGrafanaPayload(body: unknown, now?: number): AlertParseResult {
  const tooMany = tooManyAlerts(alertsField(body));
  if (tooMany) return tooMany;
  const parsed = grafanaPayloadSchema.safeParse(body);
  if (!parsed.success) return invalidPayload(parsed.error, 'Grafana alerting webhook');
  const alerts = parsed.data.alerts.map((alert) => fromPrometheusAlert('grafana', alert, annotationsOf(alert)));
  const refused = now === undefined ? null : checkAlertTimes(alerts, now, (i) => `alerts[${i}]`);
  return refused ?? { ok: true, alerts, truncated: parsed.data.truncatedAlerts ?? 0 };
}
