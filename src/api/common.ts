/**
 * The pieces every wire shape shares: instants as RFC 3339 strings (docs/api.md ("Reading SLOs")) and
 * the one error shape (docs/errors.md ("Error codes")). Schemas are zod, so the server's tests validate what it sends
 * and the CLI and dashboard import the inferred types.
 */
import { z } from 'zod';

/** An instant on the wire: RFC 3339 with a zone, as `Date.prototype.toISOString()` writes it. */
export const Instant = z.iso.datetime({ offset: true });
export type Instant = z.infer<typeof Instant>;

/** A number that may be absent because nothing was measured (no events in the window). */
export const Measured = z.number().nullable();

export const ErrorResponse = z.strictObject({
  error: z.strictObject({ code: z.string(), message: z.string(), details: z.unknown().optional(), requestId: z.string().optional() }),
});
export type ErrorResponse = z.infer<typeof ErrorResponse>;

/**
 * An instant as it goes on the wire.
 * @example toInstant(0) // '1970-01-01T00:00:00.000Z'
 */
export function toInstant(ms: number): Instant {
  return new Date(ms).toISOString();
}

/** An optional instant on the wire: null stays null. */
export function toInstantOrNull(ms: number | null): Instant | null {
  return ms === null ? null : toInstant(ms);
}
