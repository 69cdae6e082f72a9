/** Corrections in the SLI maths (docs/slo-maths.md ("Corrections")): hand-computed cases, DST weeks, the key. */
import { describe, expect, it } from 'vitest';
import type { CorrectionSpec, JourneySpec } from '../model/config.js';
import { correctionOccurrences, insideCorrection, parseEvery, type SliCorrection } from './corrections.js';
import { sliContribution, sliDefinition, sliDefinitions } from './sli.js';

const at = (iso: string): number => Date.parse(iso);
const weekly = (every: string, timeZone: string): SliCorrection => {
  const parsed = parseEvery(every);
  if (!parsed.ok) throw new Error(parsed.message);
  return { weekly: parsed.value, timeZone };
};

describe('parseEvery', () => {
  it.each([
    ['Sun 02:00-04:00', 6 * 1440 + 120, 120],
    ['Mon 00:00-24:00', 0, 1440],
    ['Sat 23:00-01:00', 5 * 1440 + 1380, 120],
    ['Sun 23:30-00:15', 6 * 1440 + 1410, 45],
  ])('%s opens at minute %i of the week for %i minutes', (text, start, minutes) => {
    expect(parseEvery(text)).toEqual({ ok: true, value: { text, startMinuteOfWeek: start, minutes } });
  });

  it.each(['sun 02:00-04:00', 'Sun 2:00-4:00', 'Sun 02:00-24:30', 'Sun 24:00-01:00', 'Sun 02:00 - 04:00', 'Sun 02:00-02:00'])(
    'refuses %s',
    (text) => {
      expect(parseEvery(text).ok).toBe(false);
    },
  );
});

describe('insideCorrection', () => {
  it('one-off: [from, to)', () => {
    const c = { from: at('2026-11-29T01:00:00Z'), to: at('2026-11-29T03:00:00Z') };
    expect(insideCorrection(c, at('2026-11-29T00:59:59.999Z'))).toBe(false);
    expect(insideCorrection(c, at('2026-11-29T01:00:00Z'))).toBe(true);
    expect(insideCorrection(c, at('2026-11-29T02:59:59.999Z'))).toBe(true);
    expect(insideCorrection(c, at('2026-11-29T03:00:00Z'))).toBe(false);
  });

  it('weekly across midnight, and from Sunday into Monday', () => {
    const sat = weekly('Sat 23:00-01:00', 'UTC');
    expect(insideCorrection(sat, at('2026-11-28T22:59:59Z'))).toBe(false);
    expect(insideCorrection(sat, at('2026-11-28T23:30:00Z'))).toBe(true);
    expect(insideCorrection(sat, at('2026-11-29T00:30:00Z'))).toBe(true);
    expect(insideCorrection(sat, at('2026-11-29T01:00:00Z'))).toBe(false);
    expect(insideCorrection(sat, at('2026-12-05T23:10:00Z'))).toBe(true);
    const sun = weekly('Sun 23:00-01:00', 'UTC');
    expect(insideCorrection(sun, at('2026-11-30T00:59:00Z'))).toBe(true);
    expect(insideCorrection(sun, at('2026-11-30T01:00:00Z'))).toBe(false);
  });

  it('weekly follows the wall clock through the autumn DST change (Europe/London, 25 October 2026)', () => {
    const c = weekly('Sun 02:00-04:00', 'Europe/London');
    // 18 October, BST (UTC+1): 02:00–04:00 local is 01:00–03:00Z.
    expect(insideCorrection(c, at('2026-10-18T00:59:00Z'))).toBe(false);
    expect(insideCorrection(c, at('2026-10-18T01:30:00Z'))).toBe(true);
    expect(insideCorrection(c, at('2026-10-18T02:59:00Z'))).toBe(true);
    expect(insideCorrection(c, at('2026-10-18T03:30:00Z'))).toBe(false);
    // 25 October: clocks go back at 01:00Z, so 02:00–04:00 local is 02:00–04:00Z.
    expect(insideCorrection(c, at('2026-10-25T01:30:00Z'))).toBe(false);
    expect(insideCorrection(c, at('2026-10-25T02:00:00Z'))).toBe(true);
    expect(insideCorrection(c, at('2026-10-25T03:59:00Z'))).toBe(true);
    expect(insideCorrection(c, at('2026-10-25T04:00:00Z'))).toBe(false);
  });

  it('weekly on the spring DST change (Europe/London, 29 March 2026): 01:00Z is 02:00 BST', () => {
    const c = weekly('Sun 02:00-04:00', 'Europe/London');
    expect(insideCorrection(c, at('2026-03-29T00:59:00Z'))).toBe(false);
    expect(insideCorrection(c, at('2026-03-29T01:00:00Z'))).toBe(true);
    expect(insideCorrection(c, at('2026-03-29T02:59:00Z'))).toBe(true);
    expect(insideCorrection(c, at('2026-03-29T03:00:00Z'))).toBe(false);
  });
});

describe('correctionOccurrences', () => {
  const specs: CorrectionSpec[] = [
    {
      name: 'sunday-batch',
      journeys: ['statements'],
      source: 'config',
      kind: 'weekly',
      weekly: { text: 'Sun 02:00-04:00', startMinuteOfWeek: 8760, minutes: 120 },
    },
    {
      name: 'upgrade',
      journeys: ['statements'],
      reason: 'r',
      source: 'api',
      kind: 'once',
      from: at('2026-10-20T10:00:00Z'),
      to: at('2026-10-20T11:00:00Z'),
    },
  ];

  it('every occurrence meeting the range, oldest first, with DST-correct instants', () => {
    const got = correctionOccurrences(specs, 'Europe/London', at('2026-10-18T02:30:00Z'), at('2026-10-25T02:00:00Z'));
    expect(got).toEqual([
      { name: 'sunday-batch', from: at('2026-10-18T01:00:00Z'), to: at('2026-10-18T03:00:00Z') },
      { name: 'upgrade', reason: 'r', from: at('2026-10-20T10:00:00Z'), to: at('2026-10-20T11:00:00Z') },
      { name: 'sunday-batch', from: at('2026-10-25T02:00:00Z'), to: at('2026-10-25T04:00:00Z') },
    ]);
  });

  it('none outside the range', () => {
    expect(correctionOccurrences(specs, 'Europe/London', at('2026-10-19T00:00:00Z'), at('2026-10-20T09:59:00Z'))).toEqual([]);
  });
});

describe('SLIs with corrections', () => {
  const journey: JourneySpec = {
    name: 'wire-transfer',
    displayName: 'Wire transfer',
    tier: 'core',
    steps: [{ name: 'submit', services: [], critical: false }],
    slos: [
      {
        name: 'success',
        objective: 99.9,
        window: { kind: 'rolling', minutes: 40320, text: '28d' },
        budgeting: 'occurrences',
        timeSliceTarget: 99.9,
        sli: { kind: 'success', abandonedIsBad: false },
        alerting: { minEvents: 0 },
      },
    ],
  };
  const slo = journey.slos[0]!;
  const once: CorrectionSpec = {
    name: 'upgrade',
    journeys: ['wire-transfer'],
    source: 'config',
    kind: 'once',
    from: at('2026-11-29T01:00:00Z'),
    to: at('2026-11-29T03:00:00Z'),
  };
  const other: CorrectionSpec = { ...once, name: 'elsewhere', journeys: ['statements'] };

  it('an event inside a correction of its journey counts for nothing; outside, as before', () => {
    const [def] = sliDefinitions([journey], [once, other], 'UTC');
    const failure = { journey: 'wire-transfer', outcome: 'failure' as const };
    expect(sliContribution(def!, { ...failure, timestamp: at('2026-11-29T02:00:00Z') })).toEqual({ good: 0, total: 0 });
    expect(sliContribution(def!, { ...failure, timestamp: at('2026-11-29T03:00:00Z') })).toEqual({ good: 0, total: 1 });
    expect(sliContribution(def!, { ...failure, outcome: 'success', timestamp: at('2026-11-29T01:00:00Z') })).toEqual({ good: 0, total: 0 });
  });

  it('a correction of another journey changes neither the definition nor its key', () => {
    expect(sliDefinitions([journey], [other], 'UTC')).toEqual([sliDefinition(journey, slo)]);
  });

  it('adding, moving or removing a correction changes the key; their order does not', () => {
    const none = sliDefinition(journey, slo).key;
    const one = sliDefinitions([journey], [once])[0]!.key;
    const moved = sliDefinitions([journey], [{ ...once, to: once.to + 60_000 }])[0]!.key;
    const two = sliDefinitions([journey], [once, { ...once, name: 'b', from: 0, to: 1 }])[0]!.key;
    const swapped = sliDefinitions([journey], [{ ...once, name: 'b', from: 0, to: 1 }, once])[0]!.key;
    expect(none).toBe('wire-transfer|*|success|abandoned:ok');
    expect(one).toMatch(/^wire-transfer\|\*\|success\|abandoned:ok\|corrections:[0-9a-z]+$/);
    expect(new Set([none, one, moved, two]).size).toBe(4);
    expect(swapped).toBe(two);
  });

  it('a weekly correction is read in the configured time zone', () => {
    const batch: CorrectionSpec = { ...once, kind: 'weekly', weekly: { text: 'Sun 02:00-04:00', startMinuteOfWeek: 8760, minutes: 120 } };
    const london = sliDefinitions([journey], [batch], 'Europe/London')[0]!;
    const utc = sliDefinitions([journey], [batch], 'UTC')[0]!;
    expect(london.key).not.toBe(utc.key);
    const event = { journey: 'wire-transfer', outcome: 'failure' as const, timestamp: at('2026-10-18T01:30:00Z') };
    expect(sliContribution(london, event).total).toBe(0);
    expect(sliContribution(utc, event).total).toBe(1);
  });
});
