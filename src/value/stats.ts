/**
 * The few statistics the value estimators need, written out (no statistics dependency): ordinary least
 * squares of one variable and Student's t quantile for its 95% interval (docs/value.md ("Elasticity")).
 */

/** A straight-line fit y = intercept + slope × x. */
export interface LineFit {
  n: number;
  slope: number;
  intercept: number;
  /** Standard error of the slope (NaN when n < 3). */
  slopeSe: number;
  /** Share of the variance of y the line explains (0 when y does not vary). */
  r2: number;
}

/**
 * Ordinary least squares of y on x; null when there are fewer than two points or x does not vary.
 * @example fitLine([1, 2, 3, 4, 5], [2, 4, 5, 4, 5]) // { n: 5, slope: 0.6, intercept: 2.2, slopeSe: 0.2828…, r2: 0.6 }
 */
export function fitLine(xs: readonly number[], ys: readonly number[]): LineFit | null {
  const n = Math.min(xs.length, ys.length);
  if (n < 2) return null;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += xs[i]!;
    my += ys[i]!;
  }
  mx /= n;
  my /= n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = xs[i]! - mx;
    const dy = ys[i]! - my;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  if (sxx === 0) return null;
  const slope = sxy / sxx;
  const intercept = my - slope * mx;
  // Residual sum of squares from the sums, clamped against rounding below zero.
  const sse = Math.max(0, syy - slope * sxy);
  const slopeSe = n > 2 ? Math.sqrt(sse / (n - 2) / sxx) : Number.NaN;
  const r2 = syy === 0 ? 0 : 1 - sse / syy;
  return { n, slope, intercept, slopeSe, r2 };
}

/** ln Γ(x) for x > 0 (Lanczos, g = 7, nine coefficients: ~15 significant digits). */
function lnGamma(x: number): number {
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
    -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x);
  const y = x - 1;
  let a = c[0]!;
  const t = y + 7.5;
  for (let i = 1; i < 9; i++) a += c[i]! / (y + i);
  return 0.5 * Math.log(2 * Math.PI) + (y + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Continued fraction of the incomplete beta function (modified Lentz). */
function betaFraction(a: number, b: number, x: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const step = d * c;
    h *= step;
    if (Math.abs(step - 1) < 1e-15) break;
  }
  return h;
}

/** The regularised incomplete beta function I_x(a, b). */
function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(lnGamma(a + b) - lnGamma(a) - lnGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  return x < (a + 1) / (a + b + 2) ? (front * betaFraction(a, b, x)) / a : 1 - (front * betaFraction(b, a, 1 - x)) / b;
}

/**
 * P(T ≤ t) for Student's t with `df` degrees of freedom.
 * @example studentTCdf(2.228, 10) // ≈ 0.975
 */
export function studentTCdf(t: number, df: number): number {
  const tail = 0.5 * incompleteBeta(df / (df + t * t), df / 2, 0.5);
  return t >= 0 ? 1 - tail : tail;
}

/**
 * The t with P(T ≤ t) = p, by bisection on the distribution function (p in (0.5, 1)).
 * @example studentTQuantile(0.975, 10) // ≈ 2.2281
 */
export function studentTQuantile(p: number, df: number): number {
  if (!(p > 0.5 && p < 1) || !(df > 0)) throw new RangeError(`studentTQuantile: p must be in (0.5, 1) and df > 0, got ${p}, ${df}`);
  let lo = 0;
  let hi = 1;
  while (studentTCdf(hi, df) < p) hi *= 2;
  for (let i = 0; i < 200 && hi - lo > 1e-12; i++) {
    const mid = (lo + hi) / 2;
    if (studentTCdf(mid, df) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

const SQRT_PI = Math.sqrt(Math.PI);

/**
 * erfc(z) for z ≥ 0 with a small relative error everywhere, far into the tail: the positive series
 * erf(z) = 2/√π · e^(−z²) · Σ (2z²)ⁿ z / (1·3·…·(2n+1)) below z = 2, and above it the continued fraction
 * erfc(z) = e^(−z²)/√π · 1/(z + ½/(z + 1/(z + 3/2/(z + …)))) (modified Lentz).
 */
function erfcNonNegative(z: number): number {
  const e = Math.exp(-z * z);
  if (z < 2) {
    let term = z;
    let sum = z;
    for (let n = 1; n < 200; n++) {
      term *= (2 * z * z) / (2 * n + 1);
      sum += term;
      if (term < sum * 1e-17) break;
    }
    return 1 - (2 / SQRT_PI) * e * sum;
  }
  const tiny = 1e-300;
  let f = z;
  let c = z;
  let d = 0;
  for (let k = 1; k <= 500; k++) {
    const a = k / 2;
    d = z + a * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = z + a / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const step = c * d;
    f *= step;
    if (Math.abs(step - 1) < 1e-16) break;
  }
  return e / (SQRT_PI * f);
}

/**
 * P(Z > x) for a standard normal Z, accurate in the far tail (relative error ~1e-14 up to x ≈ 37,
 * where it reaches the smallest double).
 * @example normalTail(1.959964) // ≈ 0.025; normalTail(10) // ≈ 7.619853024160527e-24
 */
export function normalTail(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  if (x < 0) return 1 - normalTail(-x);
  return 0.5 * erfcNonNegative(x / Math.SQRT2);
}

/** P(Z ≤ x) for a standard normal Z. */
export function normalCdf(x: number): number {
  return normalTail(-x);
}

/** z of a two-sided 95% interval, to the precision the docs state (docs/retention.md ("The statistics")). */
export const Z95 = 1.959964;

/** A proportion with its Wilson score interval. */
export interface Proportion {
  rate: number;
  low: number;
  high: number;
}

/**
 * The Wilson score interval of `successes` out of `n` (null when n is 0).
 * @example wilsonInterval(8, 10) // { rate: 0.8, low: 0.4902, high: 0.9433 } (to 4 places)
 */
export function wilsonInterval(successes: number, n: number, z = Z95): Proportion | null {
  if (n <= 0) return null;
  const p = successes / n;
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denominator;
  const half = (z / denominator) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  // At 0 of n or n of n the bound is exactly 0 or 1; the formula leaves a rounding crumb.
  return { rate: p, low: successes <= 0 ? 0 : Math.max(0, centre - half), high: successes >= n ? 1 : Math.min(1, centre + half) };
}

/**
 * The two-sided two-proportion z-test with the pooled proportion: z = (p₁ − p₂) / √(p(1−p)(1/n₁ + 1/n₂)),
 * p = (x₁ + x₂)/(n₁ + n₂), p-value 2·P(Z > |z|). Null when a sample is empty or p is 0 or 1.
 * @example twoProportionTest(20, 100, 30, 100) // { z: -1.63299…, pValue: 0.10247… }
 */
export function twoProportionTest(x1: number, n1: number, x2: number, n2: number): { z: number; pValue: number } | null {
  if (n1 <= 0 || n2 <= 0) return null;
  const pooled = (x1 + x2) / (n1 + n2);
  if (pooled <= 0 || pooled >= 1) return null;
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  const z = (x1 / n1 - x2 / n2) / se;
  return { z, pValue: Math.min(1, 2 * normalTail(Math.abs(z))) };
}

/**
 * The Wilson score interval's bounds alone (docs/benchmark.md ("The benchmark maths")): successes out of n at z = 1.959964
 * (95%); null when n is 0.
 * @example wilson(95, 100) // { low: 0.8882…, high: 0.9785… }
 */
export function wilson(successes: number, n: number, z: number = Z95): { low: number; high: number } | null {
  const interval = wilsonInterval(successes, n, z);
  return interval && { low: interval.low, high: interval.high };
}
