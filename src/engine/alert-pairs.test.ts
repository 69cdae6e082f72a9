// The firing rule of a multiwindow burn-rate pair (docs/alerting.md): both windows strictly above the factor, enough events.
import { describe, expect, it } from 'vitest';
import { alertFactor, pairFires } from './alert-pairs.js';

describe('pairFires', () => {
  const cases: { name: string; burnShort: number | null; burnLong: number | null; events: number; minEvents: number; fires: boolean }[] = [
    { name: 'both above the factor', burnShort: 20, burnLong: 15, events: 600, minEvents: 0, fires: true },
    { name: 'long above, short below', burnShort: 14, burnLong: 20, events: 600, minEvents: 0, fires: false },
    { name: 'short above, long below', burnShort: 20, burnLong: 14, events: 600, minEvents: 0, fires: false },
    { name: 'both below', burnShort: 1, burnLong: 1, events: 600, minEvents: 0, fires: false },
    { name: 'short exactly at the factor', burnShort: 14.4, burnLong: 20, events: 600, minEvents: 0, fires: false },
    { name: 'long exactly at the factor', burnShort: 20, burnLong: 14.4, events: 600, minEvents: 0, fires: false },
    { name: 'both exactly at the factor', burnShort: 14.4, burnLong: 14.4, events: 600, minEvents: 0, fires: false },
    { name: 'short window empty (no burn)', burnShort: null, burnLong: 20, events: 600, minEvents: 0, fires: false },
    { name: 'long window empty (no burn)', burnShort: 20, burnLong: null, events: 0, minEvents: 0, fires: false },
    { name: 'exactly minEvents in the long window', burnShort: 20, burnLong: 20, events: 20, minEvents: 20, fires: true },
    { name: 'one event short of minEvents', burnShort: 20, burnLong: 20, events: 19, minEvents: 20, fires: false },
  ];
  it.each(cases)('$name → $fires', ({ burnShort, burnLong, events, minEvents, fires }) => {
    expect(pairFires(burnShort, burnLong, 14.4, events, minEvents)).toBe(fires);
  });
});

describe('alertFactor', () => {
  it.each([
    [2, 30 * 1440, 60, 14.4],
    [5, 30 * 1440, 360, 6],
    [10, 30 * 1440, 1440, 3],
    [10, 30 * 1440, 4320, 1],
    [2, 28 * 1440, 60, 13.44],
  ])('%i %% of a %i-minute period over %i minutes → %f', (budgetPercent, period, long, factor) => {
    expect(alertFactor(budgetPercent, period, long)).toBe(factor);
  });
});
