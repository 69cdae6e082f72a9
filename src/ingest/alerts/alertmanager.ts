/** Prometheus Alertmanager webhook payloads (version 4) → IncomingAlert, keyed by fingerprint (SPEC §5.1). */
import * as z from 'zod';
import type { IncomingAlert } from '../../model/alert.js';
import { type AlertParseResult, expecting, goTime, invalidPayload, labelFingerprint, severityOf, stringMap, summaryOf } from './common.js';

const alertSchema = z.object(
  {
    status: z.enum(['firing', 'resolved'], expecting("'firing' or 'resolved'")),
    labels: stringMap,
    annotations: stringMap.optional(),
    startsAt: goTime.optional(),
    endsAt: goTime.optional(),
    generatorURL: z.string(expecting('a string')).optional(),
    fingerprint: z.string(expecting('a string')).optional(),
  },
  expecting('an alert object'),
);

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
 * Reads an Alertmanager webhook body (already JSON-parsed). Each alert is keyed by its `fingerprint`,
 * or by a hash of its sorted labels when the sender gave none; a firing alert has no end time.
 * @example parseAlertmanagerPayload({ version: '4', alerts: [{ status: 'firing', labels: { alertname: 'Down' }, fingerprint: 'ab12' }] })
 * // { ok: true, truncated: 0, alerts: [{ source: 'alertmanager', sourceKey: 'ab12', status: 'firing', name: 'Down', … }] }
 */
export function parseAlertmanagerPayload(body: unknown): AlertParseResult {
  const parsed = alertmanagerPayloadSchema.safeParse(body);
  if (!parsed.success) return invalidPayload(parsed.error, 'Alertmanager webhook');
  const alerts = parsed.data.alerts.map((alert): IncomingAlert => {
    const annotations = alert.annotations ?? {};
    const name = alert.labels['alertname'] || 'unnamed alert';
    return {
      source: 'alertmanager',
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
  });
  return { ok: true, alerts, truncated: parsed.data.truncatedAlerts ?? 0 };
}
