/**
 * Error-budget arithmetic (docs/slo-maths.md ("Error budget", "Burn rate")), done on integer budget units so that 99.9% means exactly
 * 0.001 and a burn rate of exactly 14.4 is not "above 14.4" because of float noise.
 */

/** Budget units per whole: the budget fraction is units / BUDGET_SCALE. */
const BUDGET_SCALE = 1e11;

/**
 * The error budget of an objective as integer units (percent × 1e9): 99.9 → 100_000_000.
 * Objectives are honoured to nine decimal places of a percent.
 */
export function budgetUnits(objectivePercent: number): number {
  return Math.round((100 - objectivePercent) * 1e9);
}

/** The error budget as a fraction: 99.9 → 0.001. */
export function budgetFraction(objectivePercent: number): number {
  return budgetUnits(objectivePercent) / BUDGET_SCALE;
}

/** allowed = (1 − o) × total. */
export function allowedBad(total: number, objectivePercent: number): number {
  return (total * budgetUnits(objectivePercent)) / BUDGET_SCALE;
}

/**
 * remaining = 1 − bad / allowed; 1 when there is nothing to count; negative when overspent.
 * @example errorBudgetRemaining(88, 99_500, 99.95) // ≈ -0.7688
 */
export function errorBudgetRemaining(bad: number, total: number, objectivePercent: number): number {
  if (total <= 0) return 1;
  if (bad <= 0) return 1;
  return 1 - (bad * BUDGET_SCALE) / (total * budgetUnits(objectivePercent));
}

/**
 * burn = (bad / total) / (1 − o); null when the window holds no valid event.
 * @example burnRate(144, 10_000, 99.9) // 14.4
 */
export function burnRate(bad: number, total: number, objectivePercent: number): number | null {
  if (total <= 0) return null;
  if (bad <= 0) return 0;
  return (bad * BUDGET_SCALE) / (total * budgetUnits(objectivePercent));
}

/**
 * The fewest events in which the budget allows one bad event: ⌈1 / (1 − o)⌉. Below it a single failure
 * spends the whole budget and more (docs/slo-maths.md ("Budget states")).
 * @example eventsForOneFailure(99.9) // 1000
 */
export function eventsForOneFailure(objectivePercent: number): number {
  return Math.ceil(BUDGET_SCALE / budgetUnits(objectivePercent));
}
