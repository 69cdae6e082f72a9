/**
 * POST /v1/traces: OTLP/HTTP trace exports, protobuf or OTLP/JSON, gzip or not (docs/opentelemetry.md). Spans
 * become journey events through the ingest use case; the answer is an ExportTraceServiceResponse in the
 * request's encoding, with `partial_success` when spans were refused.
 */
import type { FastifyPluginAsync } from 'fastify';
import { OtlpTraceResponse } from '../../api/otel.js';
import type { VigilApi } from '../../app/api.js';
import type { TraceIngestResult } from '../../app/ingest-traces.js';
import { VigilError } from '../../errors/catalogue.js';
import { encodeTraceResponseJson, encodeTraceResponseProtobuf, type PartialSuccess } from '../../ingest/otlp/response.js';
import { requireScope } from '../access.js';
import { decodeContentEncoding } from '../content-encoding.js';
import { acceptOnly, mediaType } from '../media-types.js';

/** The Content-Types of OTLP/HTTP; the answer has the request's. */
export const OTLP_TYPES = ['application/x-protobuf', 'application/json'] as const;

/** Refused spans named in the answer's error message; the count covers them all. */
const NAMED_REJECTIONS = 5;
/** Longest error message sent back. */
const MAX_ERROR_MESSAGE = 4000;

/**
 * What the answer says was refused: null when nothing was.
 * @example partialSuccess({ spans: 3, rejectedCount: 1, rejected: [{ spanId: 'ab…', name: 'confirm', code: 'unknown_step', message: '…' }], … })
 * // { rejectedSpans: 1, errorMessage: '1 of 3 spans refused: span ab… "confirm": unknown_step: …' }
 */
export function partialSuccess(result: TraceIngestResult): PartialSuccess | null {
  if (result.rejectedCount === 0) return null;
  const named = result.rejected
    .slice(0, NAMED_REJECTIONS)
    .map((r) => `span ${r.spanId} ${JSON.stringify(r.name.slice(0, 80))}: ${r.code}: ${r.message}`);
  const more = result.rejectedCount - named.length;
  let message = `${result.rejectedCount} of ${result.spans} spans refused: ${named.join('; ')}${more > 0 ? `; and ${more} more` : ''}`;
  if (message.length > MAX_ERROR_MESSAGE) message = `${message.slice(0, MAX_ERROR_MESSAGE - 1)}…`;
  return { rejectedSpans: result.rejectedCount, errorMessage: message };
}

export const otelRoutes: FastifyPluginAsync<{ api: VigilApi }> = async (app, { api }) => {
  requireScope(app, api.access, 'ingest');
  // Bytes as sent: protobuf is binary, and either encoding may be gzip. Only this plugin reads bodies this way.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser([...OTLP_TYPES], { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

  app.post('/v1/traces', { config: { wire: OtlpTraceResponse }, onRequest: acceptOnly(OTLP_TYPES) }, async (request, reply) => {
    const json = mediaType(request.headers['content-type']) === 'application/json';
    const sent = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const body = await decodeContentEncoding(sent, request.headers['content-encoding'], api.maxBodyBytes, 'invalid_otlp');
    const result = await api.traces.ingest(body, json ? 'json' : 'protobuf');
    if (!result.ok) throw new VigilError(result.code, result.message);
    reply.header(
      'vigil-spans',
      `accepted=${result.accepted}, duplicates=${result.duplicates}, rejected=${result.rejectedCount}, unmatched=${result.unmatched}`,
    );
    const partial = partialSuccess(result);
    if (json) return reply.type('application/json').send(encodeTraceResponseJson(partial));
    return reply.type('application/x-protobuf').send(Buffer.from(encodeTraceResponseProtobuf(partial)));
  });
};
