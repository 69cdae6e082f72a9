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
  /**
   * With `?nodes=all` (docs/scale-out.md ("Reloading every node")): each live node of the store, this one first, as its own
   * reload went.
   */
  nodes: z
    .array(
      z.strictObject({
        node: z.string(),
        url: z.string().nullable(),
        status: z.enum(['reloaded', 'failed']),
        recomputed: z.array(z.string()),
        dropped: z.array(z.string()),
        /** Why it failed: the node's own error (config_invalid with its problems), or that it could not be reached. */
        error: z.strictObject({ code: z.string(), message: z.string() }).nullable(),
      }),
    )
    .optional(),
});
export type ReloadResponse = z.infer<typeof ReloadResponse>;
