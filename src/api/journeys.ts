/** Journeys and their steps on the wire (docs/api.md ("Reading SLOs", "The other reads")). */
import { z } from 'zod';
import { Instant } from './common.js';
import { SignalStatus } from './signals.js';
import { SloStatus } from './slo.js';
import { JourneyTolerance } from './tolerances.js';

/** What one success of a journey is worth, for value at risk (docs/configuration.md ("Journeys")). */
export const JourneyValue = z.strictObject({
  currency: z.string(),
  revenuePerSuccess: z.number().optional(),
  feeRate: z.number().optional(),
});
export type JourneyValue = z.infer<typeof JourneyValue>;

/** Outcome counts of a scope over a window, with success / (success + failure), null when none. */
export const ScopeOutcomes = z.strictObject({
  success: z.number().nonnegative(),
  failure: z.number().nonnegative(),
  rejected: z.number().nonnegative(),
  abandoned: z.number().nonnegative(),
  successRate: z.number().min(0).max(1).nullable(),
});
export type ScopeOutcomes = z.infer<typeof ScopeOutcomes>;

export const StepSummary = z.strictObject({
  name: z.string(),
  displayName: z.string(),
  services: z.array(z.string()),
  critical: z.boolean(),
});
export type StepSummary = z.infer<typeof StepSummary>;

/** Whether any of a journey's SLOs pages or tickets now. */
export const AlertState = z.strictObject({ page: z.boolean(), ticket: z.boolean() });
export type AlertState = z.infer<typeof AlertState>;

const journeyHead = {
  name: z.string(),
  displayName: z.string(),
  description: z.string().optional(),
  tier: z.string(),
  owner: z.string().optional(),
  value: JourneyValue.optional(),
};

export const JourneySummary = z.strictObject({
  ...journeyHead,
  steps: z.array(StepSummary),
  /** Whole-journey outcomes over the last 5 minutes and hour: the customer's success now. */
  outcomes: z.strictObject({ '5m': ScopeOutcomes, '1h': ScopeOutcomes }),
  slos: z.array(SloStatus),
  alerts: AlertState,
  /** The journey's budget-policy state (docs/release.md ("Budget policy")): the worst of its SLOs'; null without SLOs. */
  policyState: z.string().nullable().optional(),
  /** Customer signals now, and whether they are a blind spot (docs/signals.md ("Blind spots")). */
  signals: SignalStatus.optional(),
  /** Only for an important business service: its impact tolerance and running disruption clock (docs/impact-tolerances.md). */
  impactTolerance: JourneyTolerance.optional(),
});
export type JourneySummary = z.infer<typeof JourneySummary>;

export const JourneysResponse = z.strictObject({ at: Instant, journeys: z.array(JourneySummary) });
export type JourneysResponse = z.infer<typeof JourneysResponse>;

export const StepDetail = z.strictObject({
  ...StepSummary.shape,
  outcomes: z.strictObject({ '1h': ScopeOutcomes, '1d': ScopeOutcomes }),
  /** Names of the SLOs scoped to this step. */
  slos: z.array(z.string()),
});
export type StepDetail = z.infer<typeof StepDetail>;

export const JourneyDetail = z.strictObject({
  at: Instant,
  ...journeyHead,
  outcomes: z.strictObject({ '1h': ScopeOutcomes, '1d': ScopeOutcomes }),
  steps: z.array(StepDetail),
  slos: z.array(SloStatus),
  alerts: AlertState,
  /** As in the journey list. */
  policyState: z.string().nullable().optional(),
  /** As in the journey list. */
  signals: SignalStatus.optional(),
  /** As in the journey list. */
  impactTolerance: JourneyTolerance.optional(),
});
export type JourneyDetail = z.infer<typeof JourneyDetail>;
