/** Classifies PostgreSQL driver errors: unreachable (store_unavailable), retryable, or the caller's problem. */

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'EAI_AGAIN',
]);

/**
 * True when the database cannot be reached or used at all (network, authentication, missing database
 * or schema, server shutting down, out of disk): errors that make the store unavailable rather than
 * a request invalid.
 */
export function isConnectionError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (NETWORK_CODES.has(code)) return true;
    // SQLSTATE classes: 08 connection, 28 authorisation, 53 insufficient resources, 57P0x shutdown; 3D000 no database.
    if (/^(08|28|53)/.test(code) || /^57P0/.test(code) || code === '3D000') return true;
  }
  return /Connection terminated|timeout exceeded when trying to connect|Client was closed|not queryable|Cannot use a pool after calling end/i.test(
    error.message,
  );
}

/** SQLSTATE 25006: a write in a read-only transaction (a store opened read-only). */
export function isReadOnlyViolation(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === '25006';
}

/** Deadlock and serialization failures: the whole transaction can simply run again. */
export function isRetryable(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '40P01' || code === '40001';
}

/**
 * A connection URL fit for messages and logs: the password is dropped.
 * @example redactedUrl('postgres://vigil:secret@db:5432/vigil') === 'postgres://vigil@db:5432/vigil'
 */
export function redactedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.password = '';
    parsed.search = '';
    return parsed.toString();
  } catch {
    return 'the configured PostgreSQL URL';
  }
}
