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

/**
 * The coded error for a better-sqlite3 that cannot load (docs/errors.md): the package missing, its native
 * `.node` file absent, or built for another Node ABI. Null when `cause` is any other failure.
 * @example driverUnavailable(new Error('... NODE_MODULE_VERSION 115 ...'))?.code // 'sqlite_driver_unavailable'
 */
export function driverUnavailable(cause: unknown): VigilError | null {
  const error = cause as { code?: unknown; message?: unknown } | null;
  const message = typeof error?.message === 'string' ? error.message : '';
  const code = typeof error?.code === 'string' ? error.code : '';
  const missing = (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && message.includes('better-sqlite3');
  const unloadable =
    code === 'ERR_DLOPEN_FAILED' || /NODE_MODULE_VERSION|Could not locate the bindings file|better_sqlite3\.node/.test(message);
  if (!missing && !unloadable) return null;
  const why = missing ? 'is not installed' : `cannot load for Node.js ${process.version} (${message.split('\n')[0]})`;
  return new VigilError('sqlite_driver_unavailable', `The SQLite driver better-sqlite3 ${why}; run: npm rebuild better-sqlite3`, {
    cause,
  });
}
