/** The dashboard's impact-tolerance clocks (docs/impact-tolerances.md ("Where the clock shows")): order and words. */
import { describe, expect, it } from 'vitest';
import type { Disruption } from './api-types.js';
import { clockText, runningClocks, toleranceDuration, toleranceUsed } from './tolerance.js';

const clock = (journey: string, durationSeconds: number, toleranceSeconds: number, level: Disruption['level']): Disruption => ({
  id: `${journey}@2026-11-26T09:00:00.000Z`,
  journey,
  incidentId: `inc-${journey}`,
  start: '2026-11-26T09:00:00.000Z',
  end: null,
  running: true,
  durationSeconds,
  toleranceSeconds,
  level,
  warnedAt: null,
  breachedAt: null,
  breached: level === 'breached',
});

describe('toleranceDuration', () => {
  it.each([
    [72 * 60, '1 h 12 min'],
    [45 * 60 + 59, '45 min'],
    [4 * 3600, '4 h'],
    [0, '0 min'],
  ])('%i s is %s', (seconds, words) => {
    expect(toleranceDuration(seconds)).toBe(words);
  });
});

describe('clockText', () => {
  it.each([
    ['under half', clock('sepa', 72 * 60, 4 * 3600, 'ok'), 'SEPA Instant: disrupted 1 h 12 min of 4 h tolerance'],
    ['past half', clock('sepa', 2 * 3600, 4 * 3600, 'warning'), 'SEPA Instant: disrupted 2 h of 4 h tolerance — past half'],
    ['breached', clock('sepa', 4 * 3600 + 60, 4 * 3600, 'breached'), 'SEPA Instant: disrupted 4 h 1 min of 4 h tolerance — breached'],
  ])('%s', (_name, c, text) => {
    expect(clockText('SEPA Instant', c)).toBe(text);
  });
});

describe('runningClocks', () => {
  it('keeps the running clocks, breached first, then past half, then the longest', () => {
    const journeys = [
      { name: 'login', displayName: 'Log in' },
      { name: 'a', displayName: 'A', impactTolerance: { tolerance: '4h', toleranceSeconds: 14400, clock: clock('a', 600, 14400, 'ok') } },
      { name: 'b', displayName: 'B', impactTolerance: { tolerance: '4h', toleranceSeconds: 14400, clock: null } },
      {
        name: 'c',
        displayName: 'C',
        impactTolerance: { tolerance: '1h', toleranceSeconds: 3600, clock: clock('c', 1900, 3600, 'warning') },
      },
      {
        name: 'd',
        displayName: 'D',
        impactTolerance: { tolerance: '1h', toleranceSeconds: 3600, clock: clock('d', 3700, 3600, 'breached') },
      },
      { name: 'e', displayName: 'E', impactTolerance: { tolerance: '4h', toleranceSeconds: 14400, clock: clock('e', 900, 14400, 'ok') } },
    ];
    expect(runningClocks(journeys).map((c) => c.journey)).toEqual(['d', 'c', 'e', 'a']);
  });
});

describe('toleranceUsed', () => {
  it('is the share of the tolerance used, full once breached', () => {
    expect(toleranceUsed(clock('a', 1800, 3600, 'warning'))).toBe(0.5);
    expect(toleranceUsed(clock('a', 7200, 3600, 'breached'))).toBe(1);
  });
});
