/** Every failure of every endpoint leaves in the one error shape of docs/errors.md ("Error codes"), with a catalogue code. */
import type { FastifyError, FastifyInstance } from 'fastify';
import { VigilError } from '../errors/catalogue.js';

/** Map Fastify's own errors (body limit, content type, bad JSON) onto catalogue codes. */
export function toVigilError(error: FastifyError | Error): VigilError {
  if (error instanceof VigilError) return error;
  const code = (error as FastifyError).code;
  switch (code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new VigilError('payload_too_large', error.message, { cause: error });
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new VigilError('unsupported_media_type', error.message, { cause: error });
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new VigilError('invalid_json', error.message, { cause: error });
    default:
      break;
  }
  if (error.name === 'SyntaxError') return new VigilError('invalid_json', error.message, { cause: error });
  return new VigilError('internal_error', undefined, { cause: error });
}

export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const vigilError = toVigilError(error);
    // Server faults are logged with the request id the answer carries (docs/errors.md ("Request ids")); a
    // client's mistake (4xx) is the client's to read in the answer, not an error of the server's.
    const logged = { err: error, code: vigilError.code, method: request.method, url: request.url };
    if (vigilError.status === 500) request.log.error(logged, vigilError.code === 'internal_error' ? 'unhandled error' : vigilError.message);
    else if (vigilError.status >= 500) request.log.warn(logged, vigilError.message);
    void reply.code(vigilError.status).send(vigilError.toResponse(request.id));
  });
  app.setNotFoundHandler((request, reply) => {
    const error = new VigilError('route_not_found', `No endpoint answers ${request.method} ${request.url.split('?')[0]}`);
    void reply.code(error.status).send(error.toResponse(request.id));
  });
}
