/** Seeded pseudo-random numbers for the demo traffic: reproducible streams, never Math.random. */

/** A stream of uniform numbers in [0, 1). */
export type Rng = () => number;

/**
 * mulberry32: a tiny 32-bit generator, fast and good enough for simulated traffic.
 * @example const rng = mulberry32(42); rng() // 0.6011037519201636
 */
export function mulberry32(seed: number): Rng {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Mix integers (seed, minute, index …) into one 32-bit seed, so that each minute and each attempt
 * draws from its own stream: regenerating any sub-range gives exactly the same numbers.
 * @example mulberry32(mixSeed(seed, minute))
 */
export function mixSeed(...parts: number[]): number {
  let h = 0x811c9dc5;
  for (const part of parts) {
    // Both 32-bit halves, so seeds and epoch numbers beyond 2^32 still matter.
    h = avalanche(h ^ (part >>> 0));
    h = avalanche(h ^ (Math.floor(part / 4294967296) >>> 0));
  }
  return h >>> 0;
}

function avalanche(x: number): number {
  let h = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** A standard normal deviate (Box–Muller). */
export function normal(rng: Rng): number {
  // 1 - rng() lies in (0, 1], so the logarithm is finite.
  return Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
}

/** A lognormal deviate with the given median and shape σ: latencies, amounts, think times. */
export function lognormal(rng: Rng, median: number, sigma: number): number {
  return median * Math.exp(sigma * normal(rng));
}

/** A Poisson count with mean λ: exact (Knuth) for small λ, normal approximation above 30. */
export function poisson(rng: Rng, lambda: number): number {
  if (lambda <= 0) return 0;
  if (lambda > 30) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * normal(rng)));
  const limit = Math.exp(-lambda);
  let k = 0;
  let p = rng();
  while (p > limit) {
    k += 1;
    p *= rng();
  }
  return k;
}

/**
 * A rank in [1, n] with a Zipf–Mandelbrot-like skew (log-uniform over [q, n + q)): a few customers
 * bank daily, most now and then, yet no single customer dominates. O(1), no tables.
 */
export function zipfRank(rng: Rng, n: number, q = 100): number {
  const x = q * Math.exp(rng() * Math.log((n + q) / q));
  return Math.min(n, Math.max(1, Math.floor(x - q) + 1));
}

/** Pick from weighted choices; the weights need not sum to 1. */
export function weightedPick<T>(rng: Rng, choices: readonly (readonly [T, number])[]): T {
  let total = 0;
  for (const [, weight] of choices) total += weight;
  let r = rng() * total;
  for (const [value, weight] of choices) {
    r -= weight;
    if (r < 0) return value;
  }
  const last = choices[choices.length - 1];
  if (!last) throw new RangeError('weightedPick needs at least one choice');
  return last[0];
}
