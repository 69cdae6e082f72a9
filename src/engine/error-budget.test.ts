import { describe, expect, it } from 'vitest';
import { alertFactor } from './alert-pairs.js';
import { allowedBad, budgetFraction, burnRate, errorBudgetRemaining } from './error-budget.js';

describe('error budget (docs/slo-maths.md ("Error budget"))', () => {
  it.each([
    // objective, good, total, allowed, consumed, remaining (hand-computed)
    [99.95, 99_412, 99_500, 49.75, 88, 1 - 88 / 49.75], // docs/slo-maths.md ("Error budget"), first row: ≈ −0.7688
    [99.9, 10_000, 10_000, 10, 0, 1],
    [99.9, 9_995, 10_000, 10, 5, 0.5],
    [99.9, 9_990, 10_000, 10, 10, 0],
    [99.9, 9_980, 10_000, 10, 20, -1],
    [99, 0, 1, 0.01, 1, -99],
    [99.5, 0, 0, 0, 0, 1], // empty window: nothing spent
    [99.999, 999_990, 1_000_000, 10, 10, 0],
    [50, 1, 2, 1, 1, 0],
  ])('objective %f, good %i of %i → allowed %f, consumed %i, remaining %f', (objective, good, total, allowed, consumed, remaining) => {
    expect(allowedBad(total, objective)).toBeCloseTo(allowed, 9);
    expect(total - good).toBe(consumed);
    expect(errorBudgetRemaining(total - good, total, objective)).toBeCloseTo(remaining, 9);
  });

  it('treats 99.9% as exactly a 0.001 budget', () => {
    expect(budgetFraction(99.9)).toBe(0.001);
    expect(budgetFraction(99.95)).toBe(0.0005);
    expect(budgetFraction(99.99)).toBe(0.0001);
  });
});

describe('burn rate (docs/slo-maths.md ("Burn rate"))', () => {
  it.each([
    [99.9, 0, 0, null],
    [99.9, 0, 100, 0],
    [99.9, 1, 1000, 1],
    [99.9, 144, 10_000, 14.4],
    [99.95, 5, 1000, 10],
    [99, 100, 100, 100],
  ])('objective %f with %i bad of %i burns at %s', (objective, bad, total, expected) => {
    const rate = burnRate(bad, total, objective);
    if (expected === null) expect(rate).toBeNull();
    else expect(rate).toBe(expected);
  });
});

describe('alert factors scaled to the SLO period (docs/slo-maths.md ("Alert pairs"))', () => {
  const days = (d: number) => d * 1440;
  it.each([
    // budget %, long window minutes, factor at 30d, factor at 28d
    [2, 60, 14.4, 13.44],
    [5, 360, 6, 5.6],
    [10, 1440, 3, 2.8],
    [10, 4320, 1, 0.9333],
  ])('%i%% over a %i-minute long window: %f at 30d, %f at 28d', (budget, longMinutes, at30, at28) => {
    expect(alertFactor(budget, days(30), longMinutes)).toBe(at30);
    expect(alertFactor(budget, days(28), longMinutes)).toBeCloseTo(at28, 4);
  });

  it('scales to a calendar month of 31 days and to a 7-day window', () => {
    expect(alertFactor(2, days(31), 60)).toBeCloseTo(14.88, 10);
    expect(alertFactor(2, days(7), 60)).toBeCloseTo(3.36, 10);
  });
});
