/** Least squares, the t quantile, the normal tail, Wilson intervals and the two-proportion test against hand-computed and published values. */
import { describe, expect, it } from 'vitest';
import { fitLine, normalCdf, normalTail, studentTCdf, studentTQuantile, twoProportionTest, wilsonInterval } from './stats.js';

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

describe('normalTail', () => {
  /** Relative error of `got` against `want`. */
  const relative = (got: number, want: number) => Math.abs(got - want) / want;

  it('matches published values of the upper tail P(Z > x), near and far (relative error < 1e-12)', () => {
    const known: Array<[number, number]> = [
      [0, 0.5],
      [1, 0.15865525393145707],
      [2, 0.022750131948179195],
      [2.5, 0.006209665325776132],
      [3, 1.3498980316300946e-3],
      [4, 3.167124183311992e-5],
      [5, 2.866515718791939e-7],
      [6, 9.865876450376946e-10],
      [10, 7.619853024160527e-24],
      [20, 2.753624118606233e-89],
    ];
    for (const [x, want] of known) expect(relative(normalTail(x), want), `x = ${x}`).toBeLessThan(1e-12);
  });

  it('gives the two-sided 5% at z = 1.959964, is symmetric, and the CDF is its mirror', () => {
    expect(2 * normalTail(1.959964)).toBeCloseTo(0.05, 8);
    expect(normalTail(-1.5) + normalTail(1.5)).toBeCloseTo(1, 15);
    expect(normalCdf(1)).toBeCloseTo(0.8413447460685429, 15);
    expect(normalCdf(-3)).toBeCloseTo(1.3498980316300946e-3, 15);
  });

  it('decreases steadily across the switch from the series to the continued fraction, and stays a number far out', () => {
    let previous = normalTail(2.7);
    for (let x = 2.71; x < 2.95; x += 0.01) {
      const value = normalTail(x);
      expect(value).toBeLessThan(previous);
      previous = value;
    }
    expect(normalTail(38)).toBeGreaterThanOrEqual(0);
    expect(normalTail(38)).toBeLessThan(1e-300);
    expect(normalTail(-40)).toBe(1);
  });
});

describe('wilsonInterval', () => {
  it('gives the published 95% interval of 8 out of 10: 0.4902 to 0.9433', () => {
    const w = wilsonInterval(8, 10)!;
    expect(w.rate).toBe(0.8);
    expect(w.low).toBeCloseTo(0.4902, 4);
    expect(w.high).toBeCloseTo(0.9433, 4);
  });

  it('computes the score interval by hand for 1 of 4 and keeps 0 of n and n of n inside [0, 1]', () => {
    // p 0.25, z² 3.841459, n 4: centre (0.25 + 0.480182)/(1.960365) = 0.372473; half (1.959964/1.960365)·√(0.046875 + 0.060023) = 0.326801.
    const w = wilsonInterval(1, 4)!;
    expect(w.low).toBeCloseTo(0.045587, 5);
    expect(w.high).toBeCloseTo(0.699358, 5);
    expect(wilsonInterval(0, 5)!.low).toBe(0);
    expect(wilsonInterval(5, 5)!.high).toBe(1);
    expect(wilsonInterval(0, 0)).toBeNull();
  });
});

describe('twoProportionTest', () => {
  it('matches the pooled test by hand: 20/100 against 30/100 gives z −1.63299, p 0.10247 (χ² 2.6667 without correction)', () => {
    const t = twoProportionTest(20, 100, 30, 100)!;
    expect(t.z).toBeCloseTo(-0.1 / Math.sqrt(0.25 * 0.75 * 0.02), 12);
    expect(t.z).toBeCloseTo(-1.63299, 5);
    expect(t.pValue).toBeCloseTo(0.10247, 5);
  });

  it('reaches tiny p-values for large cohorts and is null for an empty cohort or a pooled proportion of 0 or 1', () => {
    // 3620/4210 against 74500/80114: z ≈ −15.9, p far below 1e-50 yet above zero.
    const big = twoProportionTest(3620, 4210, 74500, 80114)!;
    expect(big.pValue).toBeGreaterThan(0);
    expect(big.pValue).toBeLessThan(1e-50);
    expect(big.pValue).toBeCloseTo(2 * normalTail(Math.abs(big.z)), 70);
    expect(twoProportionTest(0, 0, 3, 4)).toBeNull();
    expect(twoProportionTest(0, 3, 0, 4)).toBeNull();
    expect(twoProportionTest(3, 3, 4, 4)).toBeNull();
  });
});
