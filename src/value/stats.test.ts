/** Least squares and the t quantile against hand-computed fits and published t tables. */
import { describe, expect, it } from 'vitest';
import { fitLine, studentTCdf, studentTQuantile } from './stats.js';

describe('fitLine', () => {
  it('fits a hand-computed line: slope 0.6, intercept 2.2, SE √0.08, r² 0.6', () => {
    // x̄ 3, ȳ 4, Sxx 10, Sxy 6, Syy 6; residuals −0.8 0.6 1 −0.6 −0.2 → SSE 2.4, s² 0.8, SE √(0.8 / 10).
    const fit = fitLine([1, 2, 3, 4, 5], [2, 4, 5, 4, 5])!;
    expect(fit.n).toBe(5);
    expect(fit.slope).toBeCloseTo(0.6, 12);
    expect(fit.intercept).toBeCloseTo(2.2, 12);
    expect(fit.slopeSe).toBeCloseTo(Math.sqrt(0.08), 12);
    expect(fit.r2).toBeCloseTo(0.6, 12);
  });

  it('recovers an exact line with zero standard error', () => {
    const fit = fitLine([0, 1, 2, 3], [1, -2, -5, -8])!;
    expect(fit.slope).toBeCloseTo(-3, 12);
    expect(fit.intercept).toBeCloseTo(1, 12);
    expect(fit.slopeSe).toBeCloseTo(0, 12);
    expect(fit.r2).toBeCloseTo(1, 12);
  });

  it('answers null when x does not vary or there is one point', () => {
    expect(fitLine([2, 2, 2], [1, 2, 3])).toBeNull();
    expect(fitLine([1], [1])).toBeNull();
  });
});

describe('Student t', () => {
  // Two-sided 95% critical values as printed in every t table.
  const table: Array<[number, number]> = [
    [1, 12.706],
    [2, 4.303],
    [5, 2.571],
    [10, 2.228],
    [30, 2.042],
    [120, 1.98],
  ];
  it.each(table)('t(0.975, %i) = %f', (df, t) => {
    expect(studentTQuantile(0.975, df)).toBeCloseTo(t, 3);
  });

  it('tends to the normal 1.95996 for many degrees of freedom', () => {
    expect(studentTQuantile(0.975, 100_000)).toBeCloseTo(1.95996, 4);
  });

  it('has a symmetric distribution function: F(0) = 0.5, F(−t) = 1 − F(t)', () => {
    expect(studentTCdf(0, 7)).toBeCloseTo(0.5, 12);
    expect(studentTCdf(-1.3, 7) + studentTCdf(1.3, 7)).toBeCloseTo(1, 12);
    // df 1 is the Cauchy distribution: F(1) = 3/4.
    expect(studentTCdf(1, 1)).toBeCloseTo(0.75, 10);
  });
});
