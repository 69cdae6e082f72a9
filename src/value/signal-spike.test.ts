/** The spike rule (docs/signals.md ("Spikes")), hand-computed. */
import { describe, expect, it } from 'vitest';
import { spikeStatus, spikeWindows } from './signal-spike.js';

const HOUR = 3_600_000;
const WEEK = 168 * HOUR;

describe('spikeStatus', () => {
  // lastHour, the same hour 1..4 weeks back, minSpike → baseline, spiking
  const cases: [number, number[], number, number, boolean, string][] = [
    [30, [10, 10, 10, 10], 10, 10, true, 'exactly 3 × the baseline is a spike'],
    [29, [10, 10, 10, 10], 10, 10, false, 'one short of 3 ×'],
    [10, [0, 0, 0, 0], 10, 0, true, 'no history: exactly minSpike spikes'],
    [9, [0, 0, 0, 0], 10, 0, false, 'no history: one short of minSpike'],
    [12, [4, 4, 4, 4], 10, 4, true, '3 × 4 = 12 and 12 ≥ 10'],
    [9, [1, 1, 1, 0], 10, 0.75, false, '9 ≥ 3 × 0.75 = 2.25 but under minSpike'],
    [10, [12, 0, 0, 0], 10, 3, true, 'missing weeks count as 0: (12+0+0+0)/4 = 3, 3 × 3 = 9 ≤ 10'],
    [10, [12, 1, 0, 0], 10, 3.25, true, '(12+1)/4 = 3.25, 3 × 3.25 = 9.75 ≤ 10'],
    [10, [12, 2, 0, 0], 10, 3.5, false, '(12+2)/4 = 3.5, 3 × 3.5 = 10.5 > 10'],
    [7, [1, 2, 3, 1], 7, 1.75, true, '(1+2+3+1)/4 = 1.75, 3 × 1.75 = 5.25 ≤ 7, minSpike 7 met exactly'],
    [21, [7, 7, 7, 7], 1, 7, true, '3 × 7 = 21 exactly, low minSpike'],
    [20, [7, 7, 7, 7], 1, 7, false, '20 < 21'],
    [0, [0, 0, 0, 0], 1, 0, false, 'nothing at all is never a spike'],
  ];
  it.each(cases)('%i in the last hour against %j, minSpike %i: baseline %d, spiking %s (%s)', (last, weeks, min, baseline, spiking) => {
    expect(spikeStatus(last, weeks, min)).toEqual({ lastHour: last, baseline, spiking });
  });

  it('treats a shorter history list as weeks of 0', () => {
    expect(spikeStatus(12, [16], 10)).toEqual({ lastHour: 12, baseline: 4, spiking: true });
  });
});

describe('spikeWindows', () => {
  it('is the hour before at, then the same hour of the week 1 to 4 weeks back', () => {
    const at = Date.UTC(2026, 10, 27, 14, 30, 0);
    expect(spikeWindows(at)).toEqual([
      { from: at - HOUR, to: at },
      { from: at - WEEK - HOUR, to: at - WEEK },
      { from: at - 2 * WEEK - HOUR, to: at - 2 * WEEK },
      { from: at - 3 * WEEK - HOUR, to: at - 3 * WEEK },
      { from: at - 4 * WEEK - HOUR, to: at - 4 * WEEK },
    ]);
    // 2026-11-20 is a Friday, as is 2026-11-27: the same hour of the week.
    expect(new Date(spikeWindows(at)[1]!.from).toISOString()).toBe('2026-11-20T13:30:00.000Z');
  });
});
