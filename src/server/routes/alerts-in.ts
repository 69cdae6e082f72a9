/** Alert webhooks in (docs/alerting.md ("Webhooks in")): Alertmanager, Grafana and the generic format, parsed whole before anything is stored. */
import type { FastifyPluginAsync } from 'fastify';
import { ReceiveSummary } from '../../api/incidents.js';
import type { VigilApi } from '../../app/api.js';
import type { IncidentService } from '../../app/incident-service.js';
import { VigilError } from '../../errors/catalogue.js';
import { parseAlertmanagerPayload } from '../../ingest/alerts/alertmanager.js';
import type { AlertParseResult } from '../../ingest/alerts/common.js';
import { parseGenericPayload } from '../../ingest/alerts/generic.js';
import { parseGrafanaPayload } from '../../ingest/alerts/grafana.js';
import { requireScope } from '../access.js';
import { parseJsonBody } from '../json-body.js';
import { acceptOnly, JSON_TYPES } from '../media-types.js';

/** Largest alert webhook body (docs/alerting.md ("Limits")), or `ingest.maxBodyBytes` when that is smaller. */
export const MAX_ALERT_BODY_BYTES = 5 * 1024 * 1024;

/**
 * POST /api/v1/alerts/alertmanager, /api/v1/alerts/grafana and /api/v1/alerts. A payload with any
 * malformed alert is refused whole (400, nothing stored); otherwise every alert goes to the incident
 * service in one call and the answer is its ReceiveSummary (plus `truncated` for the two webhooks).
 */
export const alertsInRoutes: FastifyPluginAsync<{ api: VigilApi; incidents: IncidentService }> = async (app, { api, incidents }) => {
  requireScope(app, api.access, 'ingest');
  const receive =
    (parse: (body: unknown, now: number) => AlertParseResult, reportTruncated: boolean) => async (request: { body: unknown }) => {
      const now = api.clock();
      const parsed = parse(parseJsonBody(request.body), now);
      if (!parsed.ok) throw new VigilError(parsed.code, parsed.message);
      const summary = await incidents.receiveAlerts(parsed.alerts, now);
      return reportTruncated ? { ...summary, truncated: parsed.truncated } : summary;
    };
  // An alert payload is at most MAX_ALERTS_PER_PAYLOAD alerts: a body far larger is refused while it is read.
  const wire = {
    config: { wire: ReceiveSummary },
    bodyLimit: Math.min(api.maxBodyBytes, MAX_ALERT_BODY_BYTES),
    onRequest: acceptOnly(JSON_TYPES),
  };
  app.post('/api/v1/alerts/alertmanager', wire, receive(parseAlertmanagerPayload, true));
  app.post('/api/v1/alerts/grafana', wire, receive(parseGrafanaPayload, true));
  app.post('/api/v1/alerts', wire, receive(parseGenericPayload, false));
};
