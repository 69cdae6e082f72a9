/** What unreliability cost a journey, on the wire (docs/value.md). */
import { z } from 'zod';
import { Instant } from './common.js';
import { Money } from './money.js';

export const DirectValue = z.strictObject({ lost: z.array(Money), failures: z.number().int().nonnegative() });
export const AbandonmentValue = z.strictObject({
  lost: z.array(Money),
  unrecovered: z.number().int().nonnegative(),
  recovered: z.number().int().nonnegative(),
  retryWindow: z.literal('30m'),
  /** Failures classified; fewer than `failures` when a sample was judged and scaled (docs/value.md ("Abandonment")). */
  classified: z.number().int().nonnegative(),
  sampled: z.boolean(),
});
export const ElasticityValue = z.strictObject({
  lost: z.array(Money),
  low: z.array(Money),
  high: z.array(Money),
  /** % of volume lost per point of success lost, with its 95% interval. */
  elasticity: z.number(),
  elasticityLow: z.number(),
  elasticityHigh: z.number(),
  lostAttempts: z.number().nonnegative(),
  hoursDegraded: z.number().int().nonnegative(),
  r2: z.number(),
});

/** One hour of the period: volume against its baseline, success rate, whether degraded. */
export const ValueHour = z.strictObject({
  at: Instant,
  attempts: z.number().nonnegative(),
  baseline: z.number().nonnegative().nullable(),
  successRate: z.number().min(0).max(1).nullable(),
  degraded: z.boolean(),
});

export const JourneyValueResponse = z.strictObject({
  journey: z.string(),
  displayName: z.string(),
  /** The journey's currency (amounts of events paid in others stay in theirs). */
  currency: z.string().nullable(),
  from: Instant,
  to: Instant,
  /** The step measured when the journey sends no whole-journey events (docs/value.md ("Attempts")). */
  step: z.string().nullable(),
  attempts: z.number().nonnegative(),
  failures: z.number().nonnegative(),
  successRate: z.number().min(0).max(1).nullable(),
  baselineSuccessRate: z.number().min(0).max(1).nullable(),
  methods: z.strictObject({
    direct: DirectValue.nullable(),
    abandonment: AbandonmentValue.nullable(),
    elasticity: ElasticityValue.nullable(),
  }),
  /** Why each null method could not be computed. */
  reasons: z.strictObject({ direct: z.string().optional(), abandonment: z.string().optional(), elasticity: z.string().optional() }),
  range: z.array(z.strictObject({ currency: z.string(), low: z.number(), high: z.number() })),
  statement: z.string(),
  hours: z.array(ValueHour),
});
export type JourneyValueResponse = z.infer<typeof JourneyValueResponse>;
