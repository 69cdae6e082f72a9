/** What the admin routes answer (docs/api.md ("Reloading the configuration")). */
import { z } from 'zod';
import { Instant } from './common.js';

export const ReloadResponse = z.strictObject({
  status: z.literal('reloaded'),
  at: Instant,
  journeys: z.number().int().nonnegative(),
  slos: z.number().int().nonnegative(),
  /** SLI keys recomputed from retained raw events: new SLIs and changed ones (a change of SLI gives a new key; of objective, none). */
  recomputed: z.array(z.string()),
  /** SLI keys whose aggregates were dropped: removed SLIs and the old keys of changed ones. */
  dropped: z.array(z.string()),
  /** Notification targets in force after the reload. */
  targets: z.array(z.string()),
});
export type ReloadResponse = z.infer<typeof ReloadResponse>;
