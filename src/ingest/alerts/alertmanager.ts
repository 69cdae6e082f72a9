/** Prometheus Alertmanager webhook payloads (version 4) → IncomingAlert, keyed by fingerprint (docs/alerting.md ("Prometheus Alertmanager")). */
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

const alertSchema = z.object(prometheusAlertFields, expecting('an alert object'));

/**
 * The parts of the payload Vigil reads; the group fields (groupKey, receiver, groupLabels, commonLabels,
 * commonAnnotations, externalURL, status) repeat what each alert carries, and unknown fields are ignored.
 */
export const alertmanagerPayloadSchema = z.object(
  {
    version: z.literal('4', expecting('"4" (Alertmanager webhook payload version 4)')).optional(),
    truncatedAlerts: z.number(expecting('a whole number ≥ 0')).int().min(0).optional(),
    alerts: z.array(alertSchema, expecting('an array of alerts')),
  },
  expecting('an Alertmanager webhook payload (an object with alerts)'),
);

/**
 * Reads an Alertmanager webhook body (already JSON-parsed); given the server clock `now`, alert times are
 * checked against it (checkAlertTimes). Each alert is keyed by its `fingerprint`,
 * or by a hash of its sorted labels when the sender gave none; a firing alert has no end time.
 * @example parseAlertmanagerPayload({ version: '4', alerts: [{ status: 'firing', labels: { alertname: 'Down' }, fingerprint: 'ab12' }] })
 * // { ok: true, truncated: 0, alerts: [{ source: 'alertmanager', sourceKey: 'ab12', status: 'firing', name: 'Down', … }] }
 */
export function parseAlertmanagerPayload(body: unknown, now?: number): AlertParseResult {
  const tooMany = tooManyAlerts(alertsField(body));
  if (tooMany) return tooMany;
  const parsed = alertmanagerPayloadSchema.safeParse(body);
  if (!parsed.success) return invalidPayload(parsed.error, 'Alertmanager webhook');
  const alerts = parsed.data.alerts.map((alert) => fromPrometheusAlert('alertmanager', alert, alert.annotations ?? {}));
  const refused = now === undefined ? null : checkAlertTimes(alerts, now, (i) => `alerts[${i}]`);
  return refused ?? { ok: true, alerts, truncated: parsed.data.truncatedAlerts ?? 0 };
}
