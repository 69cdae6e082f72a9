import { describe, expect, it } from 'vitest';
import {
  chunks,
  gapRanges,
  MAX_CHUNK_MINUTES,
  minuteQuery,
  pointMinute,
  rangeParams,
  readMinutes,
  seriesMinutes,
  sliQueries,
} from './sli-source.js';

describe('the PromQL Vigil sends', () => {
  it.each([
    ['http_requests_total', 'sum(increase(http_requests_total[1m]))'],
    ['  login_total{code!~"5.."} ', 'sum(increase(login_total{code!~"5.."}[1m]))'],
  ])('%s → %s', (given, sent) => expect(minuteQuery(given)).toBe(sent));

  it('sends good (or bad) and total', () => {
    expect(sliQueries({ bad: 'e_total', total: 't_total' })).toEqual({
      side: 'bad',
      sideQuery: 'sum(increase(e_total[1m]))',
      totalQuery: 'sum(increase(t_total[1m]))',
    });
    expect(sliQueries({ good: 'g_total', total: 't_total' }).side).toBe('good');
  });
});

describe('minute arithmetic of query_range', () => {
  // A point at t covers the minute ending at t: minute m is read by the evaluation at (m + 1) × 60 s.
  it.each([
    [100, 101, { start: 6060, end: 6060, step: 60 }],
    [100, 103, { start: 6060, end: 6180, step: 60 }],
    [0, 10_080, { start: 60, end: 604_800, step: 60 }],
  ])('minutes [%i, %i) → %o', (from, to, params) => {
    expect(rangeParams(from, to)).toEqual(params);
    expect(pointMinute(params.start)).toBe(from);
    expect(pointMinute(params.end)).toBe(to - 1);
    // Points per series stay within Prometheus' 11,000.
    expect((params.end - params.start) / params.step + 1).toBeLessThanOrEqual(11_000);
  });

  it.each([
    [0, 0, 10, []],
    [
      0,
      25,
      10,
      [
        [0, 10],
        [10, 20],
        [20, 25],
      ],
    ],
    [5, 15, 10, [[5, 15]]],
    [
      0,
      2 * MAX_CHUNK_MINUTES + 1,
      MAX_CHUNK_MINUTES,
      [
        [0, 10_080],
        [10_080, 20_160],
        [20_160, 20_161],
      ],
    ],
  ])('chunks of [%i, %i) by %i', (from, to, size, expected) => {
    expect(chunks(from, to, size)).toEqual(expected);
  });

  it('a week is the largest chunk, under the 11,000 points limit', () => {
    expect(MAX_CHUNK_MINUTES).toBe(10_080);
    expect(chunks(0, 40 * 1440).every(([a, b]) => b - a <= 10_080)).toBe(true);
  });
});

describe('reading answers into minutes', () => {
  const matrix = (values: [number, string][]) => ({ resultType: 'matrix', result: [{ metric: {}, values }] });

  it('maps points to the minutes they end, and leaves out NaN and infinities', () => {
    const read = seriesMinutes(
      matrix([
        [6060, '3'],
        [6120, 'NaN'],
        [6180, '+Inf'],
        [6240, '2.5'],
      ]),
    );
    expect([...read]).toEqual([
      [100, 3],
      [103, 2.5],
    ]);
    expect(seriesMinutes({ resultType: 'matrix', result: [] }).size).toBe(0);
    expect(() => seriesMinutes({ resultType: 'vector', result: [] })).toThrow(/matrix/);
  });

  it.each([
    {
      name: 'good side, a gap where total has no point',
      side: 'good' as const,
      other: [
        [100, 9],
        [101, 4],
      ],
      total: [
        [100, 10],
        [101, 5],
        [103, 0],
      ],
      expected: {
        minutes: [
          [100, 9, 10],
          [101, 4, 5],
          [103, 0, 0],
        ],
        gaps: [102],
        clamped: 0,
      },
    },
    {
      name: 'bad side: no bad point with a total point is 0 bad',
      side: 'bad' as const,
      other: [[101, 2]],
      total: [
        [100, 10],
        [101, 5],
      ],
      expected: {
        minutes: [
          [100, 10, 10],
          [101, 3, 5],
        ],
        gaps: [102],
        clamped: 0,
      },
    },
    {
      name: 'good above total and bad above total are clamped, and counted',
      side: 'good' as const,
      other: [
        [100, 12],
        [101, -1],
      ],
      total: [
        [100, 10],
        [101, 5],
        [102, 1],
      ],
      expected: {
        minutes: [
          [100, 10, 10],
          [101, 0, 5],
          [102, 0, 1],
        ],
        gaps: [],
        clamped: 2,
      },
    },
  ])('$name', ({ side, other, total, expected }) => {
    const read = readMinutes(side, new Map(other as [number, number][]), new Map(total as [number, number][]), 100, 103);
    expect({
      minutes: read.minutes.map((m) => [m.minute, m.good, m.total]),
      gaps: read.gaps,
      clamped: read.clamped,
    }).toEqual({ ...expected, minutes: expected.minutes.filter(([m]) => m! < 103) });
  });

  it.each([
    [[], []],
    [[5], [[5, 6]]],
    [
      [9, 3, 4, 5],
      [
        [3, 6],
        [9, 10],
      ],
    ],
  ])('gap ranges of %o', (gaps, ranges) => expect(gapRanges(gaps)).toEqual(ranges));
});
