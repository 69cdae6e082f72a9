/**
 * Impact tolerances on the dashboard (docs/impact-tolerances.md ("Where the clock shows")): the running clocks of the
 * important business services, most urgent first, and their words.
 */
import type { Disruption, JourneyTolerance, ToleranceLevel } from './api-types.js';

/** What the overview needs of a journey. */
export interface ToleranceJourney {
  name: string;
  displayName: string;
  impactTolerance?: JourneyTolerance | undefined;
}

export interface RunningClock {
  journey: string;
  displayName: string;
  clock: Disruption;
}

const URGENCY: Readonly<Record<ToleranceLevel, number>> = { breached: 0, warning: 1, ok: 2 };

/**
 * The clocks running now: breached first, then past half, then the rest; within a level, the longest-running first.
 * @example runningClocks(journeys).map((c) => c.journey) // ['sepa-instant']
 */
export function runningClocks(journeys: readonly ToleranceJourney[]): RunningClock[] {
  const out: RunningClock[] = [];
  for (const j of journeys) {
    const clock = j.impactTolerance?.clock;
    if (clock) out.push({ journey: j.name, displayName: j.displayName, clock });
  }
  return out.sort(
    (a, b) =>
      URGENCY[a.clock.level] - URGENCY[b.clock.level] ||
      b.clock.durationSeconds - a.clock.durationSeconds ||
      a.displayName.localeCompare(b.displayName),
  );
}

/**
 * A duration in hours and minutes, rounded down to the minute: "1 h 12 min", "45 min", "4 h".
 * @example toleranceDuration(4320) // '1 h 12 min'
 */
export function toleranceDuration(seconds: number): string {
  const minutes = Math.floor(Math.max(0, seconds) / 60);
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (h === 0) return `${m} min`;
  return m === 0 ? `${h} h` : `${h} h ${m} min`;
}

/**
 * The clock in words: "SEPA Instant: disrupted 1 h 12 min of 4 h tolerance", with the breach or warning said in words
 * too, so it reads without colour.
 * @example clockText('SEPA Instant', clock) // 'SEPA Instant: disrupted 1 h 12 min of 4 h tolerance'
 */
export function clockText(displayName: string, clock: Disruption): string {
  const base = `${displayName}: disrupted ${toleranceDuration(clock.durationSeconds)} of ${toleranceDuration(clock.toleranceSeconds)} tolerance`;
  if (clock.level === 'breached') return `${base} — breached`;
  if (clock.level === 'warning') return `${base} — past half`;
  return base;
}

/** How much of the tolerance the clock has used, 0–1 (a breached clock is full). */
export function toleranceUsed(clock: Disruption): number {
  return Math.min(1, clock.durationSeconds / clock.toleranceSeconds);
}
