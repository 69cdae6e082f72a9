/**
 * The disruption clock (docs/impact-tolerances.md ("What the clock measures")): minute states, disruptions tied to
 * incidents, restoration, the warning at half and the breach past the tolerance, reconciling with what is recorded, and
 * the calendar year in the configured time zone. Every expectation is worked out by hand in its row.
 */
import { describe, expect, it } from 'vitest';
import {
  clockLevel,
  type DisruptionRecord,
  durationWords,
  elapsedMs,
  findDisruptions,
  type IncidentSpan,
  type MinuteState,
  minuteState,
  reconcile,
  thresholdsReached,
  yearOf,
  yearRange,
} from './impact-tolerance.js';

const MIN = 60_000;
const H = 60 * MIN;
/** Epoch minute of 2026-11-26T09:00Z: minutes are written as offsets from it. */
const M0 = Math.floor(Date.parse('2026-11-26T09:00:00Z') / MIN);
const at = (offset: number) => (M0 + offset) * MIN;

/** Minute states from a string, one character a minute from M0: d down, u up, . silent. */
function states(pattern: string): (minute: number) => MinuteState {
  return (minute) => {
    const c = pattern[minute - M0];
    return c === 'd' ? 'down' : c === 'u' ? 'up' : 'silent';
  };
}

function find(pattern: string, incidents: IncidentSpan[], toMinute = M0 + pattern.length) {
  return findDisruptions({ state: states(pattern), fromMinute: M0, toMinute, incidents });
}

const open = (id: string, openedOffset: number): IncidentSpan => ({ id, openedAt: at(openedOffset), resolvedAt: null });

describe('minuteState', () => {
  it.each([
    ['40% success is below 50%', 4, 6, 0.5, 'down'],
    ['exactly 50% is not below 50%', 5, 5, 0.5, 'up'],
    ['49.9% is below', 499, 501, 0.5, 'down'],
    ['no success and no failure: silent', 0, 0, 0.5, 'silent'],
    ['all failing', 0, 3, 0.5, 'down'],
    ['a stricter threshold: 95% is below 99%', 95, 5, 0.99, 'down'],
  ])('%s', (_name, success, failure, threshold, expected) => {
    expect(minuteState(success, failure, threshold)).toBe(expected);
  });
});

describe('clockLevel and thresholdsReached: the warning at half, the breach past the whole tolerance', () => {
  const tolerance = 4 * H;
  it.each([
    ['just under half', 2 * H - 1, 'ok'],
    ['exactly half', 2 * H, 'warning'],
    ['just over half', 2 * H + 1, 'warning'],
    ['just under the tolerance', 4 * H - 1, 'warning'],
    ['exactly the tolerance is not a breach', 4 * H, 'warning'],
    ['just over the tolerance', 4 * H + 1, 'breached'],
    ['nothing yet', 0, 'ok'],
  ])('%s', (_name, elapsed, level) => {
    expect(clockLevel(elapsed, tolerance)).toBe(level);
    const reached = thresholdsReached({ startAt: at(0), endAt: null, pausedAt: null }, tolerance, at(0) + elapsed);
    expect(reached).toEqual({
      warnedAt: level === 'ok' ? null : at(0) + 2 * H,
      breachedAt: level === 'breached' ? at(0) + 4 * H : null,
    });
  });

  it('an odd tolerance: half of 45 minutes is 22.5 minutes', () => {
    expect(clockLevel(22 * MIN + 29_999, 45 * MIN)).toBe('ok');
    expect(clockLevel(22 * MIN + 30_000, 45 * MIN)).toBe('warning');
  });
});

describe('elapsedMs', () => {
  it.each([
    ['running: to now', { startAt: 0, endAt: null, pausedAt: null }, 90 * MIN, 90 * MIN],
    ['ended: to its end, whatever now is', { startAt: 0, endAt: 30 * MIN, pausedAt: null }, 90 * MIN, 30 * MIN],
    ['recovering: to the first up minute', { startAt: 0, endAt: null, pausedAt: 40 * MIN }, 90 * MIN, 40 * MIN],
    ['never negative', { startAt: 10 * MIN, endAt: null, pausedAt: null }, 0, 0],
  ])('%s', (_name, d, now, expected) => {
    expect(elapsedMs(d, now)).toBe(expected);
  });
});

describe('findDisruptions', () => {
  it.each([
    ['no incident: downtime is not clocked', 'uuddddduuuuuuu', [], []],
    [
      'starts at the first down minute, before the incident opened; restored at the first of five up minutes',
      'uuddddduuuuuuu',
      [open('inc-1', 4)],
      [{ incidentId: 'inc-1', startAt: at(2), endAt: at(7), pausedAt: null }],
    ],
    [
      'four up minutes do not restore: the clock stops at the first of them while it runs',
      'uudddduuuu',
      [open('inc-1', 2)],
      [{ incidentId: 'inc-1', startAt: at(2), endAt: null, pausedAt: at(6) }],
    ],
    [
      'a recovery that does not hold: the clock picks up again (no pause once down again)',
      'uudddduuuud',
      [open('inc-1', 2)],
      [{ incidentId: 'inc-1', startAt: at(2), endAt: null, pausedAt: null }],
    ],
    [
      'silent minutes neither count towards restoration nor break it',
      'uuddd.u.uu.uu.',
      [open('inc-1', 2)],
      [{ incidentId: 'inc-1', startAt: at(2), endAt: at(6), pausedAt: null }],
    ],
    [
      'silent minutes inside the downtime keep it running',
      'uudd......',
      [open('inc-1', 2)],
      [{ incidentId: 'inc-1', startAt: at(2), endAt: null, pausedAt: null }],
    ],
    [
      'two stretches in one incident are two disruptions',
      'dduuuuuddduuuuu',
      [open('inc-1', 0)],
      [
        { incidentId: 'inc-1', startAt: at(0), endAt: at(2), pausedAt: null },
        { incidentId: 'inc-1', startAt: at(7), endAt: at(10), pausedAt: null },
      ],
    ],
    [
      'a stretch restored before the incident opened is not this incident’s',
      'dduuuuuuuddd',
      [open('inc-1', 8)],
      [{ incidentId: 'inc-1', startAt: at(9), endAt: null, pausedAt: null }],
    ],
    [
      'the incident that opened first takes it',
      'uuddddd',
      [open('inc-b', 4), open('inc-a', 3)],
      [{ incidentId: 'inc-a', startAt: at(2), endAt: null, pausedAt: null }],
    ],
  ])('%s', (_name, pattern, incidents, expected) => {
    expect(find(pattern, incidents)).toEqual(expected);
  });

  it('an incident resolved while the journey is still down ends the disruption at the resolution', () => {
    const resolved: IncidentSpan = { id: 'inc-1', openedAt: at(1), resolvedAt: at(5) + 30_000 };
    expect(find('ddddddddd', [resolved])).toEqual([{ incidentId: 'inc-1', startAt: at(0), endAt: at(5) + 30_000, pausedAt: null }]);
  });

  it('resolved during a recovery under way: ends at the recovery’s first up minute', () => {
    // Three up minutes (5, 6, 7) when it resolves at 07:10 into minute 7: not yet a restoration, but a recovery under way.
    const resolved: IncidentSpan = { id: 'inc-1', openedAt: at(0), resolvedAt: at(7) + 10_000 };
    expect(find('ddddduuu....', [resolved])).toEqual([{ incidentId: 'inc-1', startAt: at(0), endAt: at(5), pausedAt: null }]);
    // Restored (five up minutes from minute 5) before it resolves: the restoration ends it.
    const later: IncidentSpan = { id: 'inc-1', openedAt: at(0), resolvedAt: at(11) };
    expect(find('ddddduuuuuuu', [later])).toEqual([{ incidentId: 'inc-1', startAt: at(0), endAt: at(5), pausedAt: null }]);
  });

  it('downtime after the resolution is another disruption only when another incident covers it', () => {
    const first: IncidentSpan = { id: 'inc-1', openedAt: at(0), resolvedAt: at(3) };
    expect(find('dddddddd', [first])).toEqual([{ incidentId: 'inc-1', startAt: at(0), endAt: at(3), pausedAt: null }]);
    expect(find('dddddddd', [first, open('inc-2', 6)])).toEqual([
      { incidentId: 'inc-1', startAt: at(0), endAt: at(3), pausedAt: null },
      { incidentId: 'inc-2', startAt: at(3), endAt: null, pausedAt: null },
    ]);
  });

  it('an incident opened exactly at the restoration does not cover the stretch before it', () => {
    expect(find('dduuuuu', [open('inc-1', 2)])).toEqual([]);
  });
});

describe('reconcile: what a scan writes', () => {
  const tolerance = 4 * H;
  const base = { journey: 'sepa-instant', toleranceMs: tolerance, scannedFrom: at(-1440) };
  const record = (overrides: Partial<DisruptionRecord>): DisruptionRecord => ({
    id: 'sepa-instant@2026-11-26T09:00:00.000Z',
    journey: 'sepa-instant',
    incidentId: 'inc-1',
    startAt: at(0),
    endAt: null,
    pausedAt: null,
    toleranceMs: tolerance,
    warnedAt: null,
    breachedAt: null,
    ...overrides,
  });

  it('a new disruption is recorded with the tolerance in force and an id from its journey and start', () => {
    const result = reconcile({
      ...base,
      now: at(30),
      stored: [],
      found: [{ incidentId: 'inc-1', startAt: at(0), endAt: null, pausedAt: null }],
    });
    expect(result).toEqual({ save: [record({})], warned: [], breached: [] });
  });

  it('the same disruption at the next tick writes nothing', () => {
    const result = reconcile({
      ...base,
      now: at(31),
      stored: [record({})],
      found: [{ incidentId: 'inc-1', startAt: at(0), endAt: null, pausedAt: null }],
    });
    expect(result).toEqual({ save: [], warned: [], breached: [] });
  });

  it('reaching half the tolerance records the warning once, at start + half', () => {
    const found = [{ incidentId: 'inc-1', startAt: at(0), endAt: null, pausedAt: null }];
    const first = reconcile({ ...base, now: at(120), stored: [record({})], found });
    expect(first.save).toEqual([record({ warnedAt: at(120) })]);
    expect(first.warned.map((r) => r.id)).toEqual([record({}).id]);
    const again = reconcile({ ...base, now: at(121), stored: first.save, found });
    expect(again).toEqual({ save: [], warned: [], breached: [] });
  });

  it('a breach stays recorded when late events shorten the disruption; the start moves, the id stays', () => {
    const stored = record({ warnedAt: at(120), breachedAt: at(240), endAt: at(250) });
    const result = reconcile({
      ...base,
      now: at(300),
      stored: [stored],
      found: [{ incidentId: 'inc-1', startAt: at(30), endAt: at(250), pausedAt: null }],
    });
    expect(result.save).toEqual([{ ...stored, startAt: at(30) }]);
    expect(result.breached).toEqual([]);
  });

  it('a disruption that moves to the incident it was merged into keeps its record', () => {
    const result = reconcile({
      ...base,
      now: at(30),
      stored: [record({})],
      found: [{ incidentId: 'inc-survivor', startAt: at(0), endAt: null, pausedAt: null }],
    });
    expect(result.save).toEqual([record({ incidentId: 'inc-survivor' })]);
  });

  it('a running record that no scan finds any more ends where its clock stood', () => {
    expect(reconcile({ ...base, now: at(50), stored: [record({ pausedAt: at(40) })], found: [] }).save).toEqual([
      record({ endAt: at(40) }),
    ]);
    expect(reconcile({ ...base, now: at(50), stored: [record({})], found: [] }).save).toEqual([record({ endAt: at(50) })]);
  });

  it('a record that started before the scan keeps its start: the scan saw only the end of it', () => {
    const stored = record({ startAt: at(-100), warnedAt: null });
    const result = reconcile({
      ...base,
      scannedFrom: at(0),
      now: at(30),
      stored: [stored],
      found: [{ incidentId: 'inc-1', startAt: at(0), endAt: null, pausedAt: null }],
    });
    // 130 minutes since its real start: half of 4 h is passed, counted from there.
    expect(result.save).toEqual([record({ startAt: at(-100), warnedAt: at(20) })]);
  });

  it('the tolerance recorded stays when the configuration changes it', () => {
    const result = reconcile({
      ...base,
      toleranceMs: 1 * H,
      now: at(90),
      stored: [record({})],
      found: [{ incidentId: 'inc-1', startAt: at(0), endAt: null, pausedAt: null }],
    });
    expect(result.breached).toEqual([]);
    expect(result.save).toEqual([]);
  });
});

describe('yearRange and yearOf: the calendar year in defaults.timezone', () => {
  it.each([
    ['UTC', 2026, '2026-01-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z'],
    ['Europe/London (GMT in winter)', 2026, '2026-01-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z'],
    ['Europe/Berlin (UTC+1 in winter)', 2026, '2025-12-31T23:00:00.000Z', '2026-12-31T23:00:00.000Z'],
    ['America/New_York (UTC−5 in winter)', 2026, '2026-01-01T05:00:00.000Z', '2027-01-01T05:00:00.000Z'],
  ])('%s', (label, year, start, end) => {
    const zone = label.split(' ')[0]!;
    const range = yearRange(year, zone);
    expect(new Date(range.startMs).toISOString()).toBe(start);
    expect(new Date(range.endMs).toISOString()).toBe(end);
  });

  it.each([
    ['23:30 UTC on 31 December is already next year in Berlin', '2026-12-31T23:30:00Z', 'Europe/Berlin', 2027],
    ['the same instant is still this year in London', '2026-12-31T23:30:00Z', 'Europe/London', 2026],
    ['02:00 UTC on 1 January is still last year in New York', '2027-01-01T02:00:00Z', 'America/New_York', 2026],
  ])('%s', (_name, instant, zone, year) => {
    expect(yearOf(Date.parse(instant), zone)).toBe(year);
  });
});

describe('durationWords', () => {
  it.each([
    [72 * MIN, '1 h 12 min'],
    [45 * MIN + 59_999, '45 min'],
    [4 * H, '4 h'],
    [0, '0 min'],
  ])('%i ms is %s', (ms, words) => {
    expect(durationWords(ms)).toBe(words);
  });
});
