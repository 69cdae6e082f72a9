/** Which SQLite failures mean "the store is unavailable" (busy, gone, full, closed) rather than a bad request. */
import { VigilError } from '../../errors/catalogue.js';

const UNAVAILABLE_CODES = /^SQLITE_(BUSY|LOCKED|IOERR|FULL|CANTOPEN|READONLY|CORRUPT|NOTADB|PROTOCOL)/;

/** The error to throw for a failed database call: store_unavailable when the file itself is the problem. */
export function unavailable(cause: unknown, path: string): unknown {
  if (cause instanceof VigilError) return cause;
  const code = (cause as { code?: unknown }).code;
  if (typeof code === 'string' && UNAVAILABLE_CODES.test(code)) {
    return new VigilError('store_unavailable', `The SQLite database at ${path} is unavailable: ${(cause as Error).message}`, { cause });
  }
  if (cause instanceof TypeError && /database connection is not open/.test(cause.message)) {
    return new VigilError('store_unavailable', `The SQLite database at ${path} is closed.`, { cause });
  }
  return cause;
}
