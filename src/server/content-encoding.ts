/**
 * Request bodies sent with `Content-Encoding: gzip` (docs/opentelemetry.md ("Limits")): decompressed off the event
 * loop, and never past the body limit, so a small compressed body cannot unfold into a large one.
 */
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { type ErrorCode, VigilError } from '../errors/catalogue.js';

const gunzipAsync = promisify(gunzip);

/**
 * The body as sent before its Content-Encoding: itself for none or `identity`, decompressed for `gzip` (and
 * `x-gzip`). A decompressed body over `maxBytes` is 413 `payload_too_large`, a corrupt one `invalid` (400), any
 * other encoding 415 `unsupported_media_type`.
 * @example await decodeContentEncoding(gzipSync('{}'), 'gzip', 1024, 'invalid_otlp') // Buffer '{}'
 */
export async function decodeContentEncoding(
  body: Buffer,
  header: string | undefined,
  maxBytes: number,
  invalid: ErrorCode,
): Promise<Buffer> {
  const encoding = header?.trim().toLowerCase() ?? '';
  if (encoding === '' || encoding === 'identity') return body;
  if (encoding !== 'gzip' && encoding !== 'x-gzip') {
    throw new VigilError(
      'unsupported_media_type',
      `Content-Encoding ${JSON.stringify(header?.slice(0, 40))} is not accepted here: send gzip or none`,
    );
  }
  try {
    return await gunzipAsync(body, { maxOutputLength: maxBytes });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new VigilError('payload_too_large', `The body decompresses to more than ${maxBytes} bytes (ingest.maxBodyBytes)`, {
        cause: error,
      });
    }
    throw new VigilError(invalid, `The gzip body cannot be decompressed: ${(error as Error).message}`, { cause: error });
  }
}
