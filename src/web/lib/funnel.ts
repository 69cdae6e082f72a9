/** The journey funnel: how many attempts reach each step, and where customers drop out or fail. */
import type { OutcomeCounts, StepDetail } from './api-types.js';

export type FunnelWindow = '1h' | '1d';

export interface FunnelStage {
  step: string;
  displayName: string;
  critical: boolean;
  /** Attempts reaching this step: every outcome recorded at it. */
  reached: number;
  success: number;
  failure: number;
  rejected: number;
  abandoned: number;
  /** success / (success + failure); null with neither. */
  successRate: number | null;
  /** reached / reached at the first step (1 for the first step; null when nothing reached the first). */
  shareOfStart: number | null;
  /** Attempts that reached this step but not the next (null for the last step). */
  droppedBeforeNext: number | null;
}

const reachOf = (o: OutcomeCounts): number => o.success + o.failure + o.rejected + o.abandoned;

/**
 * The funnel over the last hour or day.
 * @example funnel(detail.steps, '1h')[1].droppedBeforeNext // attempts that stopped after step 2
 */
export function funnel(steps: StepDetail[], window: FunnelWindow): FunnelStage[] {
  const reach = steps.map((s) => reachOf(s.outcomes[window]));
  const first = reach[0] ?? 0;
  return steps.map((step, k) => {
    const o = step.outcomes[window];
    const next = reach[k + 1];
    return {
      step: step.name,
      displayName: step.displayName,
      critical: step.critical,
      reached: reach[k]!,
      success: o.success,
      failure: o.failure,
      rejected: o.rejected,
      abandoned: o.abandoned,
      successRate: o.successRate,
      shareOfStart: first > 0 ? reach[k]! / first : null,
      // More can reach the next step than this one (events sent for some steps only); never report a negative drop.
      droppedBeforeNext: next === undefined ? null : Math.max(0, reach[k]! - next),
    };
  });
}

/** The step losing the most attempts to failures (not to business refusals), or null when none fails. */
export function worstStep(stages: FunnelStage[]): FunnelStage | null {
  let worst: FunnelStage | null = null;
  for (const s of stages) if (s.failure > 0 && (worst === null || s.failure > worst.failure)) worst = s;
  return worst;
}
