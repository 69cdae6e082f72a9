/** The competitor benchmark on the wire (docs/benchmark.md, docs/api.md ("Benchmark")). */
import { z } from 'zod';
import { Instant } from './common.js';

/** A 95% Wilson interval of a proportion. */
export const Interval = z.strictObject({ low: z.number().min(0).max(1), high: z.number().min(0).max(1) });

/** One owner's figures for one journey. */
export const BenchmarkRow = z.strictObject({
  /** `self` for us, else the competitor's name as configured. */
  owner: z.string(),
  /** Shared by owners whose intervals overlap (docs/benchmark.md ("Ranks")); null without probe runs. */
  rank: z.number().int().positive().nullable(),
  probes: z.strictObject({
    runs: z.number().int().nonnegative(),
    ok: z.number().int().nonnegative(),
    /** ok ÷ runs; null without runs. */
    availability: z.number().min(0).max(1).nullable(),
    interval: Interval.nullable(),
    /** Nearest-rank percentiles of the runs that got an answer, ms; null when none did. */
    p50Ms: z.number().nonnegative().nullable(),
    p95Ms: z.number().nonnegative().nullable(),
  }),
  /** Minutes the owner's status page showed the journey's components down or degraded; null without a status page. */
  statusPage: z.strictObject({ downMinutes: z.number().int().nonnegative(), degradedMinutes: z.number().int().nonnegative() }).nullable(),
  /**
   * For `self` only: the journey's real customer success over the range, success ÷ (success + failure) of its events, beside
   * the probe figure; null for competitors, or when no event was counted.
   */
  customers: z
    .strictObject({
      success: z.number().int().nonnegative(),
      failure: z.number().int().nonnegative(),
      rate: z.number().min(0).max(1),
    })
    .nullable(),
});
export type BenchmarkRow = z.infer<typeof BenchmarkRow>;

export const BenchmarkJourney = z.strictObject({
  journey: z.string(),
  displayName: z.string(),
  /** `self` first, then by rank (availability), owners without probe runs last by name. */
  owners: z.array(BenchmarkRow),
});
export type BenchmarkJourney = z.infer<typeof BenchmarkJourney>;

export const BenchmarkResponse = z.strictObject({
  from: Instant,
  to: Instant,
  journeys: z.array(BenchmarkJourney),
});
export type BenchmarkResponse = z.infer<typeof BenchmarkResponse>;
