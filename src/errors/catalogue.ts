/**
 * The one catalogue of error codes Vigil returns: code → HTTP status and meaning.
 * docs/errors.md documents every code; a test keeps the two in step.
 */

export const ERROR_CATALOGUE = {
  // ingest (docs/api.md ("Rejection codes"))
  invalid_json: { status: 400, message: 'The body, or one NDJSON line of it, is not valid JSON.' },
  invalid_event: { status: 400, message: 'An event does not match the event schema; the message names the field.' },
  unknown_journey: { status: 400, message: 'The event or signal names a journey that is not configured.' },
  unknown_step: { status: 400, message: 'The event names a step that the journey does not have.' },
  too_old: { status: 400, message: 'The event is older than raw-event retention, or the signal older than signal retention.' },
  in_future: { status: 400, message: 'The event or signal is more than 5 minutes ahead of the server clock.' },
  no_valid_events: { status: 400, message: 'The body holds no valid event.' },
  payload_too_large: { status: 413, message: 'The body is larger than the configured limit.' },
  unsupported_media_type: { status: 415, message: 'The Content-Type is not one this endpoint accepts.' },
  // alerts in (docs/alerting.md ("Webhooks in"))
  invalid_alert_payload: { status: 400, message: 'The alert webhook payload does not match the expected format.' },
  too_many_alerts: { status: 413, message: 'The alert payload holds more alerts than one payload may carry.' },
  // reads
  invalid_query: { status: 400, message: 'A query parameter is malformed or out of range.' },
  journey_not_found: { status: 404, message: 'No journey of that name is configured.' },
  slo_not_found: { status: 404, message: 'The journey has no SLO of that name.' },
  incident_not_found: { status: 404, message: 'No incident has that id.' },
  route_not_found: { status: 404, message: 'No endpoint answers that method and path.' },
  invalid_transition: { status: 409, message: 'The incident cannot make that change in its current state.' },
  invalid_if_match: { status: 400, message: 'An If-Match header on an incident change is not one version number, as "3" or 3.' },
  incident_conflict: {
    status: 409,
    message: 'The incident is no longer at the version the change was made from; the message names its current version.',
  },
  not_ready: { status: 503, message: 'The server is still starting (recomputing history or opening the store).' },
  internal_error: { status: 500, message: 'An unexpected error; the server log has the details.' },
  // configuration and CLI
  config_invalid: { status: 400, message: 'The configuration does not validate; each problem names file, line and column.' },
  config_not_found: { status: 400, message: 'The configuration file or directory does not exist.' },
  // OpenSLO (docs/openslo.md)
  openslo_invalid: { status: 400, message: 'OpenSLO documents do not validate; each problem names file, line and column.' },
  sloth_spec_invalid: {
    status: 400,
    message: 'The Sloth spec does not load; each problem names file, line and column (docs/prometheus.md).',
  },
  store_unavailable: { status: 503, message: 'The database cannot be opened or reached.' },
  store_outdated: { status: 503, message: 'The database schema is older than this Vigil, and a read-only open cannot upgrade it.' },
  store_read_only: { status: 500, message: 'The store was opened read-only and the operation writes.' },
  sqlite_driver_unavailable: { status: 503, message: 'The SQLite driver (better-sqlite3) is missing or built for another Node.js.' },
  address_in_use: { status: 503, message: 'The server cannot listen: the address or port is taken or not allowed.' },
  // several nodes (docs/scale-out.md ("One leader"))
  store_in_use: { status: 503, message: 'Another vigil serve already serves this SQLite file.' },
  leader_unavailable: { status: 503, message: 'No node leads the cluster now: alerts and incident changes cannot be taken.' },
  node_unreachable: { status: 502, message: 'Another node of the store did not answer when asked to reload.' },
  // browsers (docs/api.md ("Security"))
  host_not_allowed: { status: 421, message: 'The request names a Host this server is not configured to answer.' },
  cross_origin_refused: { status: 403, message: 'A browser page of another origin tried to change something.' },
  // access (docs/access.md ("Access tokens"))
  unauthorized: { status: 401, message: 'The request carries no token, or one that is unknown or revoked.' },
  forbidden: { status: 403, message: 'The token does not have the scope this endpoint needs.' },
  insecure_bind: { status: 400, message: 'No access token exists and the address is not loopback: create a token, or pass --insecure.' },
  token_exists: { status: 409, message: 'An active token already has that name.' },
  token_not_found: { status: 404, message: 'No active token has that name or id.' },
  invalid_token_name: { status: 400, message: 'A token name is 1 to 64 letters, digits, dots, dashes, underscores or @.' },
  // administration (docs/api.md ("Reloading the configuration"))
  reload_unavailable: { status: 409, message: 'This server was not started from a configuration file, so there is nothing to reload.' },
  // ingest for value-weighted SLIs (docs/slo-maths.md ("Value-weighted SLIs"))
  amount_required: { status: 400, message: 'An amount-weighted SLI counts the event, and it has no amount ≥ 0.' },
  currency_mismatch: { status: 400, message: "The event's currency is not that of its journey, whose SLI counts amounts." },
  // the release (docs/release.md)
  invalid_deployment: { status: 400, message: 'A posted deployment does not match the deployment shape; the message names the field.' },
  invalid_gate_exception: { status: 400, message: 'A posted gate exception does not match its shape, or its expiry is not in the future.' },
  // corrections (docs/slo-maths.md ("Corrections"))
  invalid_correction: {
    status: 400,
    message: 'A posted correction does not match its shape, ends before it starts, or names a journey not configured.',
  },
  correction_exists: { status: 409, message: 'A correction of that name already exists (in vigil.yaml or added through the API).' },
  // customer signals (docs/signals.md)
  invalid_signal: { status: 400, message: 'A posted signal does not match the signal shape; the message names the field.' },
  // OpenTelemetry (docs/opentelemetry.md)
  invalid_otlp: {
    status: 400,
    message: 'The body is not an OTLP ExportTraceServiceRequest (protobuf or OTLP/JSON); the message says where.',
  },
  invalid_regulatory_flags: {
    status: 400,
    message: 'The body is not a set of DORA person flags: known names, values of their kind, null to clear (docs/dora.md).',
  },
  invalid_public_text: { status: 400, message: 'A public text is a non-empty string of at most 2,000 characters (docs/public-page.md).' },
  // NATS JetStream ingest (docs/nats.md)
  queue_unavailable: {
    status: 503,
    message: 'The NATS JetStream ingest queue cannot be reached or did not confirm the batch; nothing of it is acknowledged.',
  },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

/** An error that carries a catalogue code; thrown only at the edges (HTTP, CLI, store). */
export class VigilError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details?: unknown;

  constructor(code: ErrorCode, message?: string, options?: { cause?: unknown; details?: unknown }) {
    super(message ?? ERROR_CATALOGUE[code].message, options?.cause !== undefined ? { cause: options.cause } : undefined);
    this.name = 'VigilError';
    this.code = code;
    this.status = ERROR_CATALOGUE[code].status;
    this.details = options?.details;
  }

  /** The wire shape of every error (docs/errors.md ("Error codes")). */
  toJSON(): { error: { code: ErrorCode; message: string; details?: unknown } } {
    return { error: { code: this.code, message: this.message, ...(this.details !== undefined ? { details: this.details } : {}) } };
  }

  /**
   * The wire shape with the request's id (docs/errors.md ("Request ids")), as the server answers. Not an
   * argument of toJSON, which JSON.stringify calls with the property name.
   * @example new VigilError('not_ready').toResponse('req-1').error.requestId // 'req-1'
   */
  toResponse(requestId: string): { error: { code: ErrorCode; message: string; details?: unknown; requestId: string } } {
    return { error: { ...this.toJSON().error, requestId } };
  }
}
