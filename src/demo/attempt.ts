/** One customer's attempt at a journey, played step by step: the events it leaves behind. */
import type { Outcome } from '../model/config.js';
import type { JourneyEvent } from '../model/event.js';
import type { JourneyBehaviour, StepBehaviour } from './profiles.js';
import { lognormal, type Rng, weightedPick } from './random.js';

/** Customer time between steps and system time within one are capped, so an attempt spans at most a bounded time. */
export const MAX_THINK_MS = 60_000;
export const MAX_STEP_LATENCY_MS = 60_000;

/** A step of a journey as the simulator needs it. */
export interface SimStep {
  name: string;
  behaviour: StepBehaviour;
}

/** A journey as the simulator needs it. */
export interface SimJourney {
  name: string;
  steps: SimStep[];
  behaviour: JourneyBehaviour;
  /** Currency of `amount` on events (payments only). */
  currency?: string;
}

/** What incidents do to one step at one instant: added failure probability, latency multiplier. */
export interface StepConditions {
  extraFailure: number;
  latencyMultiplier: number;
}

export const NORMAL_CONDITIONS: StepConditions = { extraFailure: 0, latencyMultiplier: 1 };

export interface AttemptInput {
  journey: SimJourney;
  attemptId: string;
  customerId: string;
  startMs: number;
  /** Incident conditions for a step of this journey at a time. */
  conditions: (step: string, atMs: number) => StepConditions;
}

export interface AttemptResult {
  events: JourneyEvent[];
  outcome: Outcome;
  /** Epoch ms of the attempt's last event. */
  endMs: number;
}

/**
 * Plays one attempt: an event per step reached, in order, each a little after the previous; failing,
 * being refused or abandoning at a step ends the attempt; then one whole-journey event (no `step`)
 * with the final outcome and the total system latency. Event ids are `<attemptId>.<step index>` and
 * `<attemptId>.j`, so they depend only on the attempt.
 */
export function simulateAttempt(input: AttemptInput, rng: Rng): AttemptResult {
  const { journey, attemptId, customerId } = input;
  const { behaviour } = journey;
  const channel = weightedPick(rng, behaviour.channels);
  const amount = behaviour.amount ? drawAmount(rng, behaviour.amount) : undefined;
  const money = amount !== undefined && journey.currency !== undefined ? { amount, currency: journey.currency } : {};
  const events: JourneyEvent[] = [];
  let clock = input.startMs;
  let totalLatency = 0;
  let outcome: Outcome = 'success';

  for (let index = 0; index < journey.steps.length && outcome === 'success'; index += 1) {
    const step = journey.steps[index]!;
    const b = step.behaviour;
    if (index > 0) clock += Math.round(Math.min(MAX_THINK_MS, 3 * b.think.medianMs, lognormal(rng, b.think.medianMs, b.think.sigma)));
    const conditions = input.conditions(step.name, clock);
    // Draw every number whatever the outcome, so that an incident changes this attempt only.
    const uOutcome = rng();
    const uSlow = rng();
    let latency = lognormal(rng, b.latency.medianMs, b.latency.sigma) * conditions.latencyMultiplier;
    if (b.slowPath && uSlow < b.slowPath.probability) latency *= b.slowPath.multiplier;
    const timeout = Math.min(b.timeoutMs, MAX_STEP_LATENCY_MS);
    outcome = stepOutcome(uOutcome, Math.min(1, b.failure + conditions.extraFailure), b.rejected, b.abandon);
    if (latency > timeout) {
      latency = timeout;
      if (outcome === 'success') outcome = 'failure';
    }
    const latencyMs = Math.round(latency);
    clock += latencyMs;
    totalLatency += latencyMs;
    events.push({
      id: `${attemptId}.${index}`,
      journey: journey.name,
      step: step.name,
      outcome,
      latencyMs,
      timestamp: clock,
      attemptId,
      customerId,
      ...money,
      attributes: { channel },
    });
  }

  events.push({
    id: `${attemptId}.j`,
    journey: journey.name,
    outcome,
    latencyMs: totalLatency,
    timestamp: clock,
    attemptId,
    customerId,
    ...money,
    attributes: { channel },
  });
  return { events, outcome, endMs: clock };
}

/** One uniform number decides the step: the system fails first, then business refusals, then drop-out. */
function stepOutcome(u: number, failure: number, rejected: number, abandon: number): Outcome {
  if (u < failure) return 'failure';
  if (u < failure + rejected) return 'rejected';
  if (u < failure + rejected + abandon) return 'abandoned';
  return 'success';
}

function drawAmount(rng: Rng, spec: NonNullable<JourneyBehaviour['amount']>): number {
  const raw = lognormal(rng, spec.median, spec.sigma);
  return Math.round(Math.min(spec.max, Math.max(1, raw)) * 100) / 100;
}
