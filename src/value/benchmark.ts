/**
 * The pure maths of the benchmark (docs/benchmark.md ("The benchmark maths")): latency percentiles, and the ranking of
 * owners by probe availability where owners whose Wilson intervals overlap share a rank.
 */

/**
 * The nearest-rank percentile of ascending values: the value at position ⌈q·n⌉ (1-based); null when there is none.
 * @example percentile([100, 200, 300, 400], 0.5) // 200
 */
export function percentile(ascending: readonly number[], q: number): number | null {
  if (ascending.length === 0) return null;
  const position = Math.max(1, Math.ceil(q * ascending.length));
  return ascending[Math.min(position, ascending.length) - 1] ?? null;
}

/** One owner to rank: its availability and interval, or null for both when it has no probe runs. */
export interface Rankable {
  owner: string;
  availability: number | null;
  interval: { low: number; high: number } | null;
}

function overlaps(a: { low: number; high: number }, b: { low: number; high: number }): boolean {
  return a.low <= b.high && b.low <= a.high;
}

/**
 * Ranks owners (docs/benchmark.md ("Ranks")). Owners with probe runs are ordered by availability, highest first (ties:
 * `self` first, then by name); each owner's rank is the 1-based position, in that order, of the first owner whose
 * interval overlaps its own (itself at the latest). So two owners whose intervals overlap share the better one's rank, and
 * an owner clear of everyone ahead of it takes its own position, as in competition ranking. Owners without runs get null.
 * Returns the ranks by owner.
 * @example rankOwners([
 *   { owner: 'a', availability: 1, interval: { low: 0.9, high: 1 } },
 *   { owner: 'b', availability: 0.95, interval: { low: 0.88, high: 0.98 } },
 * ])
 * // Map { 'a' → 1, 'b' → 1 }
 */
export function rankOwners(owners: readonly Rankable[]): Map<string, number | null> {
  const ranked = owners
    .filter(
      (o): o is Rankable & { availability: number; interval: { low: number; high: number } } =>
        o.availability !== null && o.interval !== null,
    )
    .sort(
      (a, b) =>
        b.availability - a.availability ||
        Number(b.owner === 'self') - Number(a.owner === 'self') ||
        (a.owner < b.owner ? -1 : a.owner > b.owner ? 1 : 0),
    );
  const ranks = new Map<string, number | null>(owners.map((o) => [o.owner, null]));
  ranked.forEach((o, i) => {
    const first = ranked.findIndex((other) => overlaps(other.interval, o.interval));
    ranks.set(o.owner, (first === -1 ? i : Math.min(first, i)) + 1);
  });
  return ranks;
}
