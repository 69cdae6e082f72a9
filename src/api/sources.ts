/** External SLI sources on the wire (docs/prometheus.md ("Prometheus as an SLI source"), docs/api.md ("Sources")). */
import { z } from 'zod';
import { Instant } from './common.js';

export const SourceStateJson = z.enum([
  'waiting',
  'backfilling',
  'following',
  'lagging',
  'no_data',
  'prometheus_unreachable',
  'prometheus_error',
]);
export type SourceStateJson = z.infer<typeof SourceStateJson>;

/** How one SLI of kind `prometheus` is being read. */
export const SourceSliJson = z.strictObject({
  key: z.string(),
  journey: z.string(),
  slos: z.array(z.string()),
  /** The PromQL Vigil sends: `good` or `bad`, and `total`. */
  queries: z.strictObject({ good: z.string().optional(), bad: z.string().optional(), total: z.string() }),
  state: SourceStateJson,
  since: Instant,
  /** Prometheus' error text, or what could not be reached; null otherwise. */
  message: z.string().nullable(),
  /** While backfilling: the minutes to read [from, to) and how far they are read. */
  progress: z.strictObject({ from: Instant, to: Instant, readTo: Instant, percent: z.number().min(0).max(100) }).nullable(),
  /** Minutes before it are read for good; null before the first read. */
  watermark: Instant.nullable(),
  /** The start of the newest minute with a figure; null when none. */
  lastDataAt: Instant.nullable(),
  /** Settled minutes of the history read without a `total` point (gaps: no figure, never a zero). */
  gapMinutes: z.number().int().nonnegative(),
  /** The most recent gaps seen by this server, oldest first. */
  recentGaps: z.array(z.strictObject({ from: Instant, to: Instant })),
  clampedMinutes: z.number().int().nonnegative(),
});
export type SourceSliJson = z.infer<typeof SourceSliJson>;

/** `GET /api/v1/sources`. */
export const SourcesResponse = z.strictObject({
  /** `sources.prometheus` as configured (the URL only); null when vigil.yaml has none. */
  prometheus: z.strictObject({ url: z.string(), settleMinutes: z.number().int().positive() }).nullable(),
  slis: z.array(SourceSliJson),
});
export type SourcesResponse = z.infer<typeof SourcesResponse>;
