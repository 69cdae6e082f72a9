/** What a client learns about the server: version, zone, size, liveness and readiness (docs/api.md ("The other reads")). */
import { z } from 'zod';
import { Instant } from './common.js';

export const Info = z.strictObject({
  version: z.string(),
  timezone: z.string(),
  journeys: z.number().int().nonnegative(),
  slos: z.number().int().nonnegative(),
  now: Instant,
});
export type Info = z.infer<typeof Info>;

export const Health = z.strictObject({ status: z.literal('ok') });
export type Health = z.infer<typeof Health>;

export const Ready = z.strictObject({
  status: z.literal('ready'),
  store: z.enum(['sqlite', 'postgres']),
  journeys: z.number().int().nonnegative(),
  slos: z.number().int().nonnegative(),
  /** On PostgreSQL, whether this node runs the leader-only work (docs/scale-out.md ("One leader")). */
  role: z.enum(['leader', 'follower']).optional(),
});
export type Ready = z.infer<typeof Ready>;
