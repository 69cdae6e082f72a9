/**
 * Which Content-Types a writing route reads (docs/api.md ("Security")). A browser page of another origin
 * can send `text/plain`, a form or a Blob without asking first (no CORS preflight), never `application/json`:
 * refusing everything else closes that door before the body is read.
 */
import type { FastifyRequest } from 'fastify';
import { VigilError } from '../errors/catalogue.js';

export const JSON_TYPES = ['application/json'] as const;
export const EVENT_TYPES = ['application/json', 'application/x-ndjson', 'application/ndjson'] as const;

/**
 * The media type of a Content-Type header, lowercase and without parameters; undefined when absent or empty.
 * @example mediaType('Application/JSON; charset=utf-8') // 'application/json'
 */
export function mediaType(header: string | undefined): string | undefined {
  const type = header?.split(';')[0]?.trim().toLowerCase();
  return type === '' ? undefined : type;
}

/**
 * An `onRequest` hook answering 415 `unsupported_media_type` unless the request's Content-Type is one of
 * `types`. A request without Content-Type passes only when it has no body (e.g. acknowledging an incident).
 * @example app.post('/api/v1/alerts', { onRequest: acceptOnly(JSON_TYPES) }, handler)
 */
export function acceptOnly(types: readonly string[]): (request: FastifyRequest) => Promise<void> {
  const accepted = new Set(types);
  const wanted = types.join(' or ');
  return async (request) => {
    const type = mediaType(request.headers['content-type']);
    if (type === undefined) {
      const length = request.headers['content-length'];
      const hasBody = request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
      if (hasBody) throw new VigilError('unsupported_media_type', `The body has no Content-Type: send ${wanted}`);
      return;
    }
    if (!accepted.has(type)) throw new VigilError('unsupported_media_type', `Content-Type ${type} is not accepted here: send ${wanted}`);
  };
}
