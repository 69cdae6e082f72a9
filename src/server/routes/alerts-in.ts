/** Alert webhooks in (docs/alerting.md ("Webhooks in")): Alertmanager, Grafana and the generic format, parsed whole before anything is stored. */
import type { FastifyInstance } from 'fastify';
import { isStorableText } from '../../ingest/storable-text.js';
import { VigilError } from '../../errors/catalogue.js';
import { parseAlertmanagerPayload } from '../../ingest/alerts/alertmanager.js';
import type { AlertParseResult } from '../../ingest/alerts/common.js';
import { parseGenericPayload } from '../../ingest/alerts/generic.js';
import { parseGrafanaPayload } from '../../ingest/alerts/grafana.js';
import type { IncidentService } from '../../app/incident-service.js';
import type { VigilRuntime } from '../../app/runtime.js';

/** The body as JSON; an empty or malformed body is `invalid_json`. */
export function parseJsonBody(body: unknown): unknown {
  const text = typeof body === 'string' ? body : '';
  if (text.trim() === '') throw new VigilError('invalid_json', 'The body is empty; expected a JSON document');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new VigilError('invalid_json', `The body is not valid JSON: ${(cause as Error).message}`, { cause });
  }
  const bad = unstorablePath(value, '');
  if (bad !== null)
    throw new VigilError('invalid_alert_payload', `${bad || 'the body'}: expected text without NUL characters or unpaired surrogates`);
  return value;
}

/** Path of the first string (key or value) that no store can keep as it is, or null. */
function unstorablePath(value: unknown, path: string): string | null {
  if (typeof value === 'string') return isStorableText(value) ? null : path;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const bad = unstorablePath(value[i], `${path}[${i}]`);
      if (bad !== null) return bad;
    }
    return null;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const at = path ? `${path}.${key}` : key;
      if (!isStorableText(key)) return at;
      const bad = unstorablePath(item, at);
      if (bad !== null) return bad;
    }
  }
  return null;
}

/**
 * POST /api/v1/alerts/alertmanager, /api/v1/alerts/grafana and /api/v1/alerts. A payload with any
 * malformed alert is refused whole (400, nothing stored); otherwise every alert goes to the incident
 * service in one call and the answer is its ReceiveSummary (plus `truncated` for the two webhooks).
 */
export function alertsInRoutes(app: FastifyInstance, runtime: VigilRuntime, incidents: IncidentService): void {
  const receive = (parse: (body: unknown) => AlertParseResult, reportTruncated: boolean) => async (request: { body: unknown }) => {
    const parsed = parse(parseJsonBody(request.body));
    if (!parsed.ok) throw new VigilError(parsed.code, parsed.message);
    const summary = await incidents.receiveAlerts(parsed.alerts, runtime.clock());
    return reportTruncated ? { ...summary, truncated: parsed.truncated } : summary;
  };
  app.post('/api/v1/alerts/alertmanager', receive(parseAlertmanagerPayload, true));
  app.post('/api/v1/alerts/grafana', receive(parseGrafanaPayload, true));
  app.post('/api/v1/alerts', receive(parseGenericPayload, false));
}
