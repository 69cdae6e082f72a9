/**
 * The elasticity method on generated data with a planted effect: hourly volumes with daily and weekly seasonality,
 * a known elasticity (volume falls 3% per point of success shortfall) and noise; the fit must find it.
 */
import { describe, expect, it } from 'vitest';
import { BASELINE_WEEKS, fitElasticity, HOURS_PER_WEEK, type HourCounts } from './elasticity.js';

/** mulberry32: a small seeded generator, so every seed is the same data on every run. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function normal(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

interface Planted {
  hours: HourCounts[];
  /** Volume lost to reliability by construction: Σ elasticity × shortfall × seasonal volume. */
  lostAttempts: number;
}

/** History weeks then a 30-day period in which `degradedHours` random hours lose 1 to 5 points of success. */
function generate(seed: number, elasticity: number, degradedHours = 40, periodHours = 720, historyWeeks = BASELINE_WEEKS): Planted {
  const random = seeded(seed);
  const history = historyWeeks * HOURS_PER_WEEK;
  const shortfalls = new Map<number, number>();
  while (shortfalls.size < degradedHours) shortfalls.set(Math.floor(random() * periodHours), 1 + 4 * random());
  const baseRate = 0.995;
  const hours: HourCounts[] = [];
  // Leading empty hours when the history is shorter than the baseline's four weeks.
  for (let i = 0; i < (BASELINE_WEEKS - historyWeeks) * HOURS_PER_WEEK; i++) hours.push({ attempts: 0, success: 0, failure: 0 });
  let lostAttempts = 0;
  for (let h = 0; h < history + periodHours; h++) {
    const hourOfDay = h % 24;
    const weekend = Math.floor(h / 24) % 7 >= 5;
    const seasonal = 3000 * (1 + 0.6 * Math.sin((2 * Math.PI * hourOfDay) / 24)) * (weekend ? 0.7 : 1);
    const shortfall = h >= history ? (shortfalls.get(h - history) ?? 0) : 0;
    lostAttempts += elasticity * shortfall * seasonal;
    const attempts = Math.max(0, Math.round(seasonal * (1 - elasticity * shortfall) * (1 + 0.02 * normal(random))));
    const p = baseRate - shortfall / 100;
    const failures = Math.min(attempts, Math.max(0, Math.round(attempts * (1 - p) + Math.sqrt(attempts * p * (1 - p)) * normal(random))));
    hours.push({ attempts, success: attempts - failures, failure: failures });
  }
  return { hours, lostAttempts };
}

describe('fitElasticity on a planted effect', () => {
  const truth = 0.03;
  it.each([1, 2, 3, 4, 5, 6, 7, 8])('seed %i: elasticity and loss within 15%% of the truth, the 95%% interval covers it', (seed) => {
    const planted = generate(seed, truth);
    const result = fitElasticity({ hours: planted.hours });
    if (!result.ok) throw new Error(result.reason);
    const { fit } = result;
    expect(Math.abs(fit.elasticity - truth * 100) / (truth * 100)).toBeLessThan(0.15);
    expect(Math.abs(fit.lostAttempts - planted.lostAttempts) / planted.lostAttempts).toBeLessThan(0.15);
    expect(fit.low).toBeLessThanOrEqual(truth * 100);
    expect(fit.high).toBeGreaterThanOrEqual(truth * 100);
    expect(fit.lostAttemptsLow).toBeLessThanOrEqual(fit.lostAttempts);
    expect(fit.lostAttemptsHigh).toBeGreaterThanOrEqual(fit.lostAttempts);
    expect(fit.hoursDegraded).toBeGreaterThanOrEqual(35);
    expect(fit.hoursDegraded).toBeLessThanOrEqual(45);
  });

  it('finds no effect where none was planted: the interval covers zero in most seeds', () => {
    let covers = 0;
    for (let seed = 1; seed <= 10; seed++) {
      const result = fitElasticity({ hours: generate(seed, 0).hours });
      if (!result.ok) throw new Error(result.reason);
      if (result.fit.low <= 0 && result.fit.high >= 0) covers++;
      expect(Math.abs(result.fit.elasticity)).toBeLessThan(0.6);
    }
    expect(covers).toBeGreaterThanOrEqual(8);
  });

  it('answers null with a reason when history is shorter than two weeks', () => {
    const result = fitElasticity({ hours: generate(1, truth, 40, 720, 1).hours });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toBe('history too short: 7 days before the period, 14 needed');
  });

  it('fits with two weeks of history (the baseline averages the weeks there are)', () => {
    const planted = generate(3, truth, 40, 720, 2);
    const result = fitElasticity({ hours: planted.hours });
    if (!result.ok) throw new Error(result.reason);
    expect(Math.abs(result.fit.elasticity - 3) / 3).toBeLessThan(0.15);
  });

  it('answers null with a reason when success never falls clearly below its baseline', () => {
    const result = fitElasticity({ hours: generate(1, truth, 0).hours });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(/^success fell clearly below its baseline in \d hours, 3 needed to fit$/);
  });

  it('gives one chart point per period hour, with its baseline', () => {
    const planted = generate(2, truth);
    const result = fitElasticity({ hours: planted.hours });
    expect(result.points).toHaveLength(720);
    expect(result.points.filter((p) => p.degraded).length).toBeGreaterThanOrEqual(35);
    expect(result.points[0]!.baseline).toBeGreaterThan(0);
  });
});
