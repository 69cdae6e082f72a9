/** Which SQLite failures mean "the store is unavailable" (busy, gone, full, closed) or "opened read-only", rather than a bad request. */
import { VigilError } from '../../errors/catalogue.js';

const UNAVAILABLE_CODES = /^SQLITE_(BUSY|LOCKED|IOERR|FULL|CANTOPEN|READONLY|CORRUPT|NOTADB|PROTOCOL)/;

/**
 * The error to throw for a failed database call: store_read_only for a write on a read-only
 * connection, store_unavailable when the file itself is the problem, else the cause unchanged.
 * @example throw unavailable(error, './vigil.db', false);
 */
export function unavailable(cause: unknown, path: string, readOnly: boolean): unknown {
  if (cause instanceof VigilError) return cause;
  const code = (cause as { code?: unknown }).code;
  if (readOnly && typeof code === 'string' && code.startsWith('SQLITE_READONLY')) {
    return new VigilError('store_read_only', `The SQLite database at ${path} is open read-only: ${(cause as Error).message}`, { cause });
  }
  if (typeof code === 'string' && UNAVAILABLE_CODES.test(code)) {
    return new VigilError('store_unavailable', `The SQLite database at ${path} is unavailable: ${(cause as Error).message}`, { cause });
  }
  if (cause instanceof TypeError && /database connection is not open/.test(cause.message)) {
    return new VigilError('store_unavailable', `The SQLite database at ${path} is closed.`, { cause });
  }
  return cause;
}
