/** Parsing of query parameters shared by the read endpoints; malformed values are `invalid_query`. */
import { parseDurationMinutes } from '../config/duration.js';
import { VigilError } from '../errors/catalogue.js';

/** The last instant a JavaScript Date can hold. */
const MAX_INSTANT_MS = 8.64e15;
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}:\d{2})$/;

/**
 * An instant given as RFC 3339 (with a zone) or epoch milliseconds; `fallback` when absent.
 * @example parseInstant('2026-11-26T10:00:00Z', 'at', Date.now()) // 1795687200000
 */
export function parseInstant(value: unknown, name: string, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  if (typeof value === 'string' && /^\d{10,16}$/.test(value)) {
    // Sixteen digits reach past the last instant a Date can hold (year 275760), which no answer could print.
    const ms = Number(value);
    if (ms > MAX_INSTANT_MS) throw new VigilError('invalid_query', `${name}: ${value} is past the last representable time`);
    return ms;
  }
  if (typeof value !== 'string' || !RFC3339.test(value)) {
    throw new VigilError(
      'invalid_query',
      `${name}: expected an RFC 3339 time with a zone (e.g. 2026-11-26T10:00:00Z) or epoch milliseconds, got ${JSON.stringify(value)}`,
    );
  }
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new VigilError('invalid_query', `${name}: ${JSON.stringify(value)} is not a valid time`);
  return ms;
}

/** A duration such as `5m`, `1h`, `1d`, in milliseconds; `fallback` when absent. */
export function parseStep(value: unknown, name: string, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const parsed = typeof value === 'string' ? parseDurationMinutes(value) : undefined;
  if (!parsed?.ok || parsed.value < 1) {
    throw new VigilError(
      'invalid_query',
      `${name}: expected a duration of whole minutes such as 5m, 1h or 1d, got ${JSON.stringify(value)}`,
    );
  }
  return parsed.value * 60_000;
}

/**
 * A calendar year, four digits from 1970 to 9999; `fallback` when absent.
 * @example parseYear('2026', 'year', 2027) // 2026
 */
export function parseYear(value: unknown, name: string, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  if (typeof value !== 'string' || !/^\d{4}$/.test(value) || Number(value) < 1970) {
    throw new VigilError('invalid_query', `${name}: expected a year such as 2026 (1970 to 9999), got ${JSON.stringify(value)}`);
  }
  return Number(value);
}

/**
 * Refuses a query that repeats a parameter (`?status=open&status=resolved`): every read takes one value
 * per name (lists are comma-separated), and a repeated one would otherwise reach its parser as an array.
 * @example app.addHook('preValidation', refuseRepeatedQuery)
 */
export async function refuseRepeatedQuery(request: { query: unknown }): Promise<void> {
  const query = request.query;
  if (query === null || typeof query !== 'object') return;
  for (const [name, value] of Object.entries(query)) {
    if (Array.isArray(value)) throw new VigilError('invalid_query', `${name}: given ${value.length} times; give it once`);
  }
}
