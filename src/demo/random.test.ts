import { describe, expect, it } from 'vitest';
import { lognormal, mixSeed, mulberry32, poisson, weightedPick, zipfRank } from './random.js';

const draw = (n: number, f: () => number) => Array.from({ length: n }, f);

describe('seeded random numbers', () => {
  it('repeat for the same seed, differ for another, and stay in [0, 1)', () => {
    expect(draw(5, mulberry32(42))).toEqual(draw(5, mulberry32(42)));
    expect(draw(5, mulberry32(42))).not.toEqual(draw(5, mulberry32(43)));
    expect(mulberry32(42)()).toBe(0.6011037519201636);
    const xs = draw(10_000, mulberry32(1));
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
  });

  it('mixSeed separates neighbouring minutes and seeds beyond 32 bits', () => {
    const seeds = new Set<number>();
    for (let minute = 29_000_000; minute < 29_001_000; minute += 1) seeds.add(mixSeed(7, minute));
    expect(seeds.size).toBe(1000);
    expect(mixSeed(1, 5)).not.toBe(mixSeed(1 + 2 ** 32, 5));
    expect(mixSeed(1, 5)).toBe(mixSeed(1, 5));
  });

  it('poisson has the requested mean, for small and large λ', () => {
    const rng = mulberry32(3);
    for (const lambda of [0.3, 4, 80]) {
      const xs = draw(20_000, () => poisson(rng, lambda));
      const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
      expect(mean).toBeGreaterThan(lambda * 0.95);
      expect(mean).toBeLessThan(lambda * 1.05 + 0.01);
    }
    expect(poisson(rng, 0)).toBe(0);
  });

  it('lognormal has the requested median', () => {
    const rng = mulberry32(4);
    const xs = draw(20_001, () => lognormal(rng, 300, 0.5)).sort((a, b) => a - b);
    expect(xs[10_000]).toBeGreaterThan(285);
    expect(xs[10_000]).toBeLessThan(315);
  });

  it('zipfRank stays in range and favours regulars without one customer dominating', () => {
    const rng = mulberry32(5);
    const counts = new Map<number, number>();
    for (let i = 0; i < 100_000; i += 1) {
      const rank = zipfRank(rng, 50_000);
      counts.set(rank, (counts.get(rank) ?? 0) + 1);
    }
    expect(Math.min(...counts.keys())).toBe(1);
    expect(Math.max(...counts.keys())).toBeLessThanOrEqual(50_000);
    expect(counts.size).toBeGreaterThan(20_000);
    const top100 = [...counts.entries()].filter(([rank]) => rank <= 100).reduce((sum, [, n]) => sum + n, 0);
    const last100 = [...counts.entries()].filter(([rank]) => rank > 49_900).reduce((sum, [, n]) => sum + n, 0);
    expect(top100).toBeGreaterThan(20 * Math.max(1, last100));
    expect(Math.max(...counts.values())).toBeLessThan(500);
  });

  it('weightedPick follows the weights', () => {
    const rng = mulberry32(6);
    const picks = Array.from({ length: 10_000 }, () =>
      weightedPick(rng, [
        ['a', 3],
        ['b', 1],
      ] as const),
    );
    const a = picks.filter((p) => p === 'a').length;
    expect(a).toBeGreaterThan(7_200);
    expect(a).toBeLessThan(7_800);
  });
});
