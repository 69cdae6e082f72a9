/**
 * Request ids (docs/errors.md ("Request ids")): each request gets one, taken from a sane `X-Request-Id`
 * or generated; it is echoed as a response header, carried by every error body and by every log line
 * of the request, so a user's error report leads straight to the server log.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { type FastifyInstance, LogController } from 'fastify';

export const REQUEST_ID_HEADER = 'x-request-id';

// Sane: short, and only characters that cannot forge a log line or a header (no spaces, quotes, controls).
const SANE_REQUEST_ID = /^[A-Za-z0-9._:@/+=-]{1,128}$/;

/**
 * The request's id: the client's `X-Request-Id` when it is sane, else a fresh UUID.
 * @example requestIdOf({ headers: { 'x-request-id': 'abc-123' } } as IncomingMessage) // 'abc-123'
 */
export function requestIdOf(request: Pick<IncomingMessage, 'headers'>): string {
  const sent = request.headers[REQUEST_ID_HEADER];
  return typeof sent === 'string' && SANE_REQUEST_ID.test(sent) ? sent : randomUUID();
}

/**
 * Fastify options: ids from requestIdOf, logged under `requestId`.
 * @example Fastify({ ...requestIdOptions() })
 */
export function requestIdOptions() {
  return { requestIdHeader: false as const, genReqId: requestIdOf, logController: new LogController({ requestIdLogLabel: 'requestId' }) };
}

/** Echo the id on every answer, errors and 404s included. */
export function installRequestId(app: FastifyInstance): void {
  app.addHook('onRequest', async (request, reply) => {
    void reply.header(REQUEST_ID_HEADER, request.id);
  });
}
