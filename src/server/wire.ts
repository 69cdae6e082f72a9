/**
 * Routes declare the wire schema of their success answer once (`config.wire`); with
 * `validateResponses` on (every test run), each answer is checked against it and an answer that
 * breaks the contract fails loudly instead of reaching a client. Errors are checked against the one
 * error shape.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodType } from 'zod';
import { ErrorResponse } from '../api/common.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The wire schema of this route's 2xx JSON answer (src/api). */
    wire?: ZodType;
  }
}

/** Thrown by the check: the server sent what its own contract does not allow. */
export class WireContractError extends Error {
  override readonly name = 'WireContractError';
}

/**
 * Check every JSON answer against its route's wire schema (and errors against the error shape).
 * @example installWireValidation(app) // in tests: buildServer({ api, validateResponses: true })
 */
export function installWireValidation(app: FastifyInstance): void {
  app.addHook('onSend', async (request, reply, payload) => {
    const type = String(reply.getHeader('content-type') ?? '');
    if (!type.startsWith('application/json') || typeof payload !== 'string') return payload;
    const body: unknown = JSON.parse(payload);
    // A failure answers in the one error shape; a 400 from ingest that carries the rejections is the route's own shape.
    const isError = reply.statusCode >= 400 && typeof body === 'object' && body !== null && 'error' in body;
    const schema = isError ? ErrorResponse : request.routeOptions.config.wire;
    if (!schema) {
      throw new WireContractError(`${request.method} ${request.routeOptions.url} answers JSON but declares no wire schema`);
    }
    const checked = schema.safeParse(body);
    if (!checked.success) {
      const issues = checked.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
      throw new WireContractError(`${request.method} ${request.url} answered ${reply.statusCode} outside its wire contract: ${issues}`);
    }
    return payload;
  });
}
