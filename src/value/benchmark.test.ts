/** Benchmark maths against hand-computed Wilson intervals, percentiles and ranks (docs/benchmark.md ("The benchmark maths")). */
import { describe, expect, it } from 'vitest';
import { percentile, rankOwners } from './benchmark.js';
import { wilson } from './stats.js';

describe('wilson', () => {
  it.each([
    // p = 0.95, z² = 3.841459: centre (0.95 + 0.019207) / 1.038415 = 0.933353; half 0.045124 → [0.8882, 0.9785].
    [95, 100, 0.8882, 0.9785],
    // All ok: centre (1 + z²/2n) / (1 + z²/n) and half equal, so the top is 1; 10/10 → [0.7225, 1].
    [10, 10, 0.7225, 1],
    // None ok: the mirror image, 0/10 → [0, 0.2775].
    [0, 10, 0, 0.2775],
    // 1/2: centre 0.5, half 0.4056 (a wide interval from two runs).
    [1, 2, 0.0945, 0.9055],
    // 990/1000 → [0.9817, 0.9946].
    [990, 1000, 0.9817, 0.9946],
  ])('%i of %i → [%f, %f]', (k, n, low, high) => {
    const interval = wilson(k, n)!;
    expect(interval.low).toBeCloseTo(low, 4);
    expect(interval.high).toBeCloseTo(high, 4);
  });

  it('has no interval without runs', () => {
    expect(wilson(0, 0)).toBeNull();
  });
});

describe('percentile (nearest rank)', () => {
  it.each([
    [[100, 200, 300, 400], 0.5, 200],
    [[100, 200, 300, 400], 0.95, 400],
    [[7], 0.5, 7],
    [Array.from({ length: 20 }, (_, i) => i + 1), 0.95, 19],
    [[], 0.5, null],
  ])('%j at %f → %s', (values, q, expected) => {
    expect(percentile(values, q)).toBe(expected);
  });
});

describe('rankOwners', () => {
  const owner = (name: string, availability: number, low: number, high: number) => ({ owner: name, availability, interval: { low, high } });

  it('gives overlapping owners the better rank and a clear owner its own position', () => {
    const ranks = rankOwners([
      owner('self', 0.99, 0.97, 1),
      owner('rival-a', 0.98, 0.95, 0.99),
      owner('rival-b', 0.8, 0.75, 0.85),
      { owner: 'status-only', availability: null, interval: null },
    ]);
    expect(Object.fromEntries(ranks)).toEqual({ self: 1, 'rival-a': 1, 'rival-b': 3, 'status-only': null });
  });

  it('does not chain: C overlaps B but not A, so C takes the position of B', () => {
    const ranks = rankOwners([owner('a', 0.99, 0.97, 1), owner('b', 0.95, 0.9, 0.98), owner('c', 0.88, 0.85, 0.92)]);
    expect(Object.fromEntries(ranks)).toEqual({ a: 1, b: 1, c: 2 });
  });

  it('orders equal availability with self first, then by name, and ranks disjoint owners 1, 2, 3', () => {
    const ranks = rankOwners([owner('zed', 0.5, 0.45, 0.55), owner('self', 0.9, 0.88, 0.92), owner('amy', 0.7, 0.65, 0.75)]);
    expect(Object.fromEntries(ranks)).toEqual({ zed: 3, self: 1, amy: 2 });
    const tied = rankOwners([owner('b', 0.9, 0.8, 0.95), owner('self', 0.9, 0.8, 0.95)]);
    expect(Object.fromEntries(tied)).toEqual({ b: 1, self: 1 });
  });
});
