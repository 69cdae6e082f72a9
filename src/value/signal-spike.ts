/**
 * The spike rule of customer signals (docs/signals.md ("Spikes")): the last hour against the same hour of
 * the week over the previous four weeks. Pure: the caller sums the stored signals over the windows.
 */
import { BASELINE_WEEKS, SPIKE_FACTOR } from '../model/signal.js';

const HOUR_MS = 3_600_000;
const WEEK_MS = 7 * 24 * HOUR_MS;

export interface SpikeWindow {
  from: number;
  to: number;
}

/**
 * The hour ending at `at` (index 0), then the same hour of the week 1 to 4 weeks earlier (exact 7 × 24 h steps).
 * @example spikeWindows(t)[1] // { from: t - 7 × 24 h - 1 h, to: t - 7 × 24 h }
 */
export function spikeWindows(at: number): SpikeWindow[] {
  return Array.from({ length: BASELINE_WEEKS + 1 }, (_, k) => ({ from: at - k * WEEK_MS - HOUR_MS, to: at - k * WEEK_MS }));
}

export interface SpikeStatus {
  lastHour: number;
  /** Mean of the same hour over the previous four weeks; a week with no signal counts as 0. */
  baseline: number;
  spiking: boolean;
}

/**
 * Spiking when the last hour holds at least 3 × the baseline and at least `minSpike` signals.
 * @example spikeStatus(30, [10, 10, 10, 10], 10) // { lastHour: 30, baseline: 10, spiking: true }
 * @example spikeStatus(9, [0, 0, 0, 0], 10) // { lastHour: 9, baseline: 0, spiking: false }
 */
export function spikeStatus(lastHour: number, previousWeeks: readonly number[], minSpike: number): SpikeStatus {
  let sum = 0;
  for (let k = 0; k < BASELINE_WEEKS; k++) sum += previousWeeks[k] ?? 0;
  const baseline = sum / BASELINE_WEEKS;
  // Compared as lastHour × weeks ≥ factor × sum: whole numbers, so exactly 3 × is a spike whatever the rounding.
  return { lastHour, baseline, spiking: lastHour >= minSpike && lastHour * BASELINE_WEEKS >= SPIKE_FACTOR * sum };
}
