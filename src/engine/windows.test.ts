import { describe, expect, it } from 'vitest';
import type { WindowSpec } from '../model/config.js';
import { wallTime, zonedTimeToUtc } from './timezone.js';
import { minuteOf } from '../model/minutes.js';
import { calendarPeriod, periodMinutes, rollingRange, windowRange } from './windows.js';

const iso = (ms: number) => new Date(ms).toISOString();
const t = (s: string) => Date.parse(s);
const minuteIso = (m: number) => iso(m * 60_000);

describe('rolling windows (docs/slo-maths.md ("Minutes and windows"): [m − W + 1 min, m + 1 min))', () => {
  it.each([
    // at, window minutes, first minute covered, end (exclusive)
    ['2026-11-26T10:00:00.250Z', 5, '2026-11-26T09:56:00.000Z', '2026-11-26T10:01:00.000Z'],
    ['2026-11-26T10:00:59.999Z', 5, '2026-11-26T09:56:00.000Z', '2026-11-26T10:01:00.000Z'],
    ['2026-11-26T10:01:00.000Z', 5, '2026-11-26T09:57:00.000Z', '2026-11-26T10:02:00.000Z'],
    ['2026-11-26T10:00:00.000Z', 1, '2026-11-26T10:00:00.000Z', '2026-11-26T10:01:00.000Z'],
    ['2026-11-26T10:00:00.000Z', 60, '2026-11-26T09:01:00.000Z', '2026-11-26T10:01:00.000Z'],
    ['2026-11-26T00:00:00.000Z', 28 * 1440, '2026-10-29T00:01:00.000Z', '2026-11-26T00:01:00.000Z'],
  ])('at %s over %i min covers [%s, %s)', (at, minutes, from, to) => {
    const r = rollingRange(minutes, t(at));
    expect(minuteIso(r.fromMinute)).toBe(from);
    expect(minuteIso(r.toMinute)).toBe(to);
    expect(r.toMinute - r.fromMinute).toBe(minutes);
  });

  it('an event at the first instant of the window counts and one a millisecond before does not', () => {
    const r = rollingRange(5, t('2026-11-26T10:00:30Z'));
    expect(minuteOf(t('2026-11-26T09:56:00.000Z'))).toBe(r.fromMinute);
    expect(minuteOf(t('2026-11-26T09:55:59.999Z'))).toBe(r.fromMinute - 1);
    expect(minuteOf(t('2026-11-26T10:00:59.999Z'))).toBe(r.toMinute - 1);
  });
});

describe('calendar periods in a time zone', () => {
  it.each([
    // unit, zone, at, start, end, hours in the full period
    ['month', 'Europe/London', '2026-11-26T10:00:00Z', '2026-11-01T00:00:00.000Z', '2026-12-01T00:00:00.000Z', 720],
    ['month', 'Europe/London', '2026-07-15T12:00:00Z', '2026-06-30T23:00:00.000Z', '2026-07-31T23:00:00.000Z', 744],
    // a month that starts on GMT and ends on BST: one hour short
    ['month', 'Europe/London', '2026-03-31T12:00:00Z', '2026-03-01T00:00:00.000Z', '2026-03-31T23:00:00.000Z', 743],
    // a month with the autumn change: one hour long
    ['month', 'Europe/London', '2026-10-10T12:00:00Z', '2026-09-30T23:00:00.000Z', '2026-11-01T00:00:00.000Z', 745],
    // the first instant of a month in London summer is still the previous UTC day
    ['month', 'Europe/London', '2026-06-30T23:00:00Z', '2026-06-30T23:00:00.000Z', '2026-07-31T23:00:00.000Z', 744],
    ['month', 'Europe/London', '2026-06-30T22:59:59Z', '2026-05-31T23:00:00.000Z', '2026-06-30T23:00:00.000Z', 720],
    ['month', 'UTC', '2028-02-10T00:00:00Z', '2028-02-01T00:00:00.000Z', '2028-03-01T00:00:00.000Z', 696],
    ['month', 'America/New_York', '2026-12-31T23:30:00-05:00', '2026-12-01T05:00:00.000Z', '2027-01-01T05:00:00.000Z', 744],
    ['week', 'Europe/London', '2026-11-26T10:00:00Z', '2026-11-23T00:00:00.000Z', '2026-11-30T00:00:00.000Z', 168],
    ['week', 'Europe/London', '2026-11-29T23:59:00Z', '2026-11-23T00:00:00.000Z', '2026-11-30T00:00:00.000Z', 168],
    ['week', 'Europe/London', '2026-03-31T10:00:00Z', '2026-03-29T23:00:00.000Z', '2026-04-05T23:00:00.000Z', 168],
    ['week', 'Asia/Tokyo', '2026-11-22T15:00:00Z', '2026-11-22T15:00:00.000Z', '2026-11-29T15:00:00.000Z', 168],
    ['quarter', 'Europe/London', '2026-11-26T10:00:00Z', '2026-09-30T23:00:00.000Z', '2027-01-01T00:00:00.000Z', 2209],
    ['quarter', 'UTC', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00.000Z', '2026-04-01T00:00:00.000Z', 2160],
  ] as const)('%s in %s at %s runs [%s, %s), %i h', (unit, zone, at, start, end, hours) => {
    const p = calendarPeriod(unit, t(at), zone);
    expect(iso(p.startMs)).toBe(start);
    expect(iso(p.endMs)).toBe(end);
    const spec: WindowSpec = { kind: 'calendar', unit, text: unit };
    expect(periodMinutes(spec, t(at), zone)).toBe(hours * 60);
    const r = windowRange(spec, t(at), zone);
    expect(minuteIso(r.fromMinute)).toBe(start);
    expect(r.toMinute).toBe(minuteOf(t(at)) + 1);
  });
});

describe('time zone conversions', () => {
  it.each([
    [2026, 3, 29, 0, 0, 'Europe/London', '2026-03-29T00:00:00.000Z'],
    [2026, 3, 29, 1, 30, 'Europe/London', '2026-03-29T01:30:00.000Z'], // skipped: 01:30 GMT → shown as 02:30 BST
    [2026, 3, 29, 2, 30, 'Europe/London', '2026-03-29T01:30:00.000Z'],
    [2026, 10, 25, 1, 30, 'Europe/London', '2026-10-25T00:30:00.000Z'], // repeated: first occurrence (BST)
    [2026, 11, 26, 9, 0, 'Asia/Kolkata', '2026-11-26T03:30:00.000Z'],
  ])('%i-%i-%i %i:%i in %s is %s', (y, mo, d, h, mi, zone, expected) => {
    expect(iso(zonedTimeToUtc(y, mo, d, h, mi, zone))).toBe(expected);
  });

  it('reads wall-clock parts and the ISO weekday', () => {
    expect(wallTime(t('2026-11-26T10:00:00Z'), 'Europe/London')).toMatchObject({ year: 2026, month: 11, day: 26, hour: 10, isoWeekday: 4 });
    expect(wallTime(t('2026-07-01T00:30:00Z'), 'Europe/London')).toMatchObject({ month: 7, day: 1, hour: 1 });
  });
});
