/** Retention by failures met, on the wire (docs/retention.md, docs/api.md ("Retention")). */
import { z } from 'zod';
import { Instant } from './common.js';

const Rate = z.number().min(0).max(1);

/** A group of customers, how many came back in the next period, and that rate's 95% Wilson interval (null when empty). */
export const RetentionCohort = z.strictObject({
  customers: z.number().int().nonnegative(),
  retained: z.number().int().nonnegative(),
  rate: Rate.nullable(),
  low: Rate.nullable(),
  high: Rate.nullable(),
});
export type RetentionCohort = z.infer<typeof RetentionCohort>;

export const RetentionBucket = z.strictObject({ failures: z.enum(['0', '1', '2-3', '4+']), ...RetentionCohort.shape });
export type RetentionBucket = z.infer<typeof RetentionBucket>;

export const RetentionPeriod = z.strictObject({
  /** `2026-10` for a month, `2026-W44` (ISO week) for a week. */
  period: z.string(),
  start: Instant,
  end: Instant,
  /** End of the next period, in which a customer must be seen to count as retained. */
  nextEnd: Instant,
  /** False while the next period has not ended: its retention can still rise. */
  complete: z.boolean(),
  /** True when the period starts before the raw events kept (retention.rawEvents): its counts may miss purged events. */
  partialHistory: z.boolean(),
  exposed: RetentionCohort,
  unexposed: RetentionCohort,
  difference: z.number().min(-1).max(1).nullable(),
  relativeRisk: z.number().nonnegative().nullable(),
  pValue: Rate.nullable(),
  byFailures: z.array(RetentionBucket),
});
export type RetentionPeriod = z.infer<typeof RetentionPeriod>;

export const RetentionResponse = z.strictObject({
  journey: z.string(),
  displayName: z.string(),
  period: z.enum(['month', 'week']),
  /** defaults.timezone: the zone whose calendar cuts the periods. */
  timezone: z.string(),
  from: Instant,
  to: Instant,
  /** Days of raw events the server keeps (retention.rawEvents). */
  rawEventsDays: z.number().nonnegative(),
  periods: z.array(RetentionPeriod),
  /** One sentence on the latest complete period with both cohorts, or null when there is none. */
  reading: z.string().nullable(),
});
export type RetentionResponse = z.infer<typeof RetentionResponse>;
