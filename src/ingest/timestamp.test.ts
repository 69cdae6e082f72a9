import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatInstant, parseRfc3339 } from './timestamp.js';

describe('parseRfc3339', () => {
  it.each([
    ['2026-11-26T10:00:00Z', Date.UTC(2026, 10, 26, 10)],
    ['2026-11-26T10:00:00.250Z', Date.UTC(2026, 10, 26, 10, 0, 0, 250)],
    ['2026-11-26T10:00:00.5Z', Date.UTC(2026, 10, 26, 10, 0, 0, 500)],
    ['2026-11-26T10:00:00.123999Z', Date.UTC(2026, 10, 26, 10, 0, 0, 123)],
    ['2026-11-26T11:00:00+01:00', Date.UTC(2026, 10, 26, 10)],
    ['2026-11-26T05:30:00-04:30', Date.UTC(2026, 10, 26, 10)],
    ['2026-11-26T10:00:00-00:00', Date.UTC(2026, 10, 26, 10)],
    ['2026-01-01T00:30:00+01:00', Date.UTC(2025, 11, 31, 23, 30)],
    ['2024-02-29T00:00:00Z', Date.UTC(2024, 1, 29)],
    ['2000-02-29T00:00:00Z', Date.UTC(2000, 1, 29)],
    ['0000-02-29T00:00:00Z', Date.parse('0000-02-29T00:00:00Z')],
    ['0050-06-01T12:00:00Z', Date.parse('0050-06-01T12:00:00Z')],
    ['9999-12-31T23:59:59.999Z', Date.UTC(9999, 11, 31, 23, 59, 59, 999)],
  ])('%s → %d', (text, expected) => {
    expect(parseRfc3339(text)).toBe(expected);
  });

  it.each([
    '2026-11-26T10:00:00', // no zone
    '2026-11-26T10:00Z', // no seconds
    '2026-11-26 10:00:00Z', // space separator
    '2026-11-26t10:00:00z', // lowercase
    '2026-11-26T10:00:00.Z', // empty fraction
    '2026-11-26T10:00:00+0100', // offset without colon
    '2026-11-26T10:00:00+01', // short offset
    '2026-11-26T10:00:00+24:00',
    '2026-11-26T10:00:00+01:60',
    '2026-11-26T24:00:00Z',
    '2026-11-26T10:60:00Z',
    '2026-11-26T10:00:60Z', // leap second
    '2026-13-01T10:00:00Z',
    '2026-00-01T10:00:00Z',
    '2026-11-00T10:00:00Z',
    '2026-11-31T10:00:00Z',
    '2026-02-29T10:00:00Z', // not a leap year
    '1900-02-29T10:00:00Z', // century, not a leap year
    '+2026-11-26T10:00:00Z',
    '26-11-26T10:00:00Z',
    '2026-11-26T10:00:00ZZ',
    '2026-11-26T10:00:00Z ',
    ' 2026-11-26T10:00:00Z',
    '2026/11/26T10:00:00Z',
    '2026-1a-26T10:00:00Z',
    'yesterday',
    '',
  ])('refuses %j', (text) => {
    expect(parseRfc3339(text)).toBeUndefined();
  });

  it('reads back what toISOString writes, to the millisecond', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.parse('0000-01-01T00:00:00Z'), max: Date.UTC(9999, 11, 31, 23, 59, 59, 999) }), (ms) => {
        expect(parseRfc3339(new Date(ms).toISOString())).toBe(ms);
      }),
    );
  });

  it('agrees with Date.parse on any offset', () => {
    const offset = fc.tuple(fc.constantFrom('+', '-'), fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }));
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true }),
        offset,
        (date, [sign, h, m]) => {
          const text = `${date.toISOString().slice(0, 19)}${sign}${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
          expect(parseRfc3339(text)).toBe(Date.parse(text));
        },
      ),
    );
  });
});

describe('formatInstant', () => {
  it('writes RFC 3339 in UTC, and the bare number when Date cannot hold it', () => {
    expect(formatInstant(Date.UTC(2026, 10, 26, 10))).toBe('2026-11-26T10:00:00.000Z');
    expect(formatInstant(1e17)).toBe('100000000000000000');
  });
});
