import { describe, expect, it } from 'vitest';
import type { SeriesPoint } from './api-types.js';
import { at, incident } from './fixtures.test-data.js';
import { timeFormat } from './format.js';
import {
  burnDown,
  burnRateOverTime,
  chartRange,
  incidentMarkers,
  layoutMarkers,
  seriesRange,
  sliOverTime,
  sliRange,
  timeAxisLabels,
} from './slo-charts.js';

const point = (t: number, over: Partial<SeriesPoint> = {}): SeriesPoint => ({
  t: at(t),
  sli: 1,
  attainment: 1,
  remaining: 1,
  burnRate1h: 0,
  stepGood: 10,
  stepTotal: 10,
  ...over,
});
const MIN = 60_000;

describe('burnDown', () => {
  it('is the remaining budget in percent at each instant, x in epoch seconds', () => {
    expect(burnDown([point(MIN, { remaining: 1 }), point(2 * MIN, { remaining: 0.25 }), point(3 * MIN, { remaining: -0.5 })])).toEqual([
      [60, 120, 180],
      [100, 25, -50],
    ]);
  });
});

describe('sliOverTime', () => {
  it('is each interval’s good/total in percent, a gap without events, beside the objective', () => {
    const columns = sliOverTime(
      [
        point(MIN, { stepGood: 9, stepTotal: 10 }),
        point(2 * MIN, { stepGood: 0, stepTotal: 0 }),
        point(3 * MIN, { stepGood: 0, stepTotal: 4 }),
      ],
      99.5,
    );
    expect(columns).toEqual([
      [60, 120, 180],
      [90, null, 0],
      [99.5, 99.5, 99.5],
    ]);
  });
  it('ranges the y axis to show the objective and the worst interval', () => {
    expect(
      sliRange(
        [
          [1, 2],
          [99.9, 100],
        ],
        99.5,
      ),
    ).toEqual([99.45, 100]);
    const [low] = sliRange(
      [
        [1, 2],
        [50, 100],
      ],
      99.5,
    );
    expect(low).toBe(45);
  });
});

describe('burnRateOverTime', () => {
  it('keeps gaps and adds the page threshold when known', () => {
    expect(burnRateOverTime([point(MIN, { burnRate1h: 2.5 }), point(2 * MIN, { burnRate1h: null })], 13.44)).toEqual([
      [60, 120],
      [2.5, null],
      [13.44, 13.44],
    ]);
    expect(burnRateOverTime([point(MIN)], null)).toHaveLength(2);
  });
});

describe('incidentMarkers', () => {
  const from = 100 * MIN;
  const to = 200 * MIN;
  it('keeps incidents that overlap the range, clamped to it, earliest first', () => {
    const markers = incidentMarkers(
      [
        incident({ id: 'late', priority: 'P3', title: 'open one', openedAt: at(150 * MIN) }),
        incident({ id: 'early', priority: 'P1', title: 'before', openedAt: at(50 * MIN), resolvedAt: at(120 * MIN), status: 'resolved' }),
        incident({ id: 'gone', openedAt: at(10 * MIN), resolvedAt: at(20 * MIN), status: 'resolved' }),
        incident({ id: 'future', openedAt: at(300 * MIN) }),
      ],
      from,
      to,
    );
    expect(markers).toEqual([
      { id: 'early', priority: 'P1', from: 6000, to: 7200, label: 'P1 before' },
      { id: 'late', priority: 'P3', from: 9000, to: 12000, label: 'P3 open one' },
    ]);
  });
});

describe('timeAxisLabels', () => {
  const utc = timeFormat('UTC');
  it('shows dates for daily ticks, clock times within a day, the date at midnight', () => {
    expect(timeAxisLabels(utc, [0, 86_400], 86_400)).toEqual(['1 Jan', '2 Jan']);
    expect(timeAxisLabels(utc, [64_800, 86_400, 108_000], 21_600)).toEqual(['18:00', '2 Jan', '06:00']);
  });
  it('labels in the configured zone', () => {
    expect(timeAxisLabels(timeFormat('Asia/Tokyo'), [0], 3600)).toEqual(['09:00']);
  });
});

describe('seriesRange', () => {
  it('ends exactly at the evaluation instant with whole-minute steps covering the window', () => {
    const at = Date.UTC(2026, 10, 26, 14, 37, 21);
    const start = at - 28 * 86_400_000;
    const range = seriesRange(start, at);
    expect(range.step).toBe('140m');
    expect(range.toMs).toBe(at);
    expect(range.fromMs).toBeLessThanOrEqual(start);
    expect((range.toMs - range.fromMs) % (140 * MIN)).toBe(0);
    expect((range.toMs - range.fromMs) / (140 * MIN)).toBe(288);
  });
  it('uses one-minute steps for short windows', () => {
    expect(seriesRange(0, 30 * MIN)).toEqual({ fromMs: 0, toMs: 30 * MIN, step: '1m' });
  });
});

describe('gaps for minutes without events', () => {
  it('a step with stepTotal 0 is null on the SLI and the burn-rate charts, never 100% nor the hour’s rate', () => {
    const points = [point(MIN, { burnRate1h: 3 }), point(2 * MIN, { burnRate1h: 3, stepGood: 0, stepTotal: 0 }), point(3 * MIN)];
    expect(sliOverTime(points, 99.9)[1]).toEqual([100, null, 100]);
    expect(burnRateOverTime(points, null)[1]).toEqual([3, null, 0]);
  });
});

describe('layoutMarkers', () => {
  const overlaps = (placed: { row: number | null; label: string }[], xs: number[], width: number) => {
    const boxes = placed
      .map((p, i) => ({ ...p, x0: xs[i]!, x1: xs[i]! + width * Math.max(1, p.label.length / 2) }))
      .filter((b) => b.row !== null);
    return boxes.some((a, i) => boxes.some((b, j) => i < j && a.row === b.row && a.x0 < b.x1 && b.x0 < a.x1));
  };

  it('merges markers starting at the same place into one label instead of "P2P4P4"', () => {
    const placed = layoutMarkers(
      [
        { x: 100, priority: 'P2' },
        { x: 101, priority: 'P4' },
        { x: 102, priority: 'P4' },
      ],
      20,
    );
    expect(placed).toEqual([
      { row: 0, label: 'P2 P4' },
      { row: null, label: '' },
      { row: null, label: '' },
    ]);
    expect(
      layoutMarkers(
        [
          { x: 5, priority: 'P4' },
          { x: 6, priority: 'P4' },
        ],
        20,
      )[0],
    ).toEqual({ row: 0, label: 'P4 ×2' });
  });

  it('puts near markers in further rows and leaves out what does not fit, never overlapping', () => {
    const xs = [0, 12, 24, 36, 48, 200];
    const placed = layoutMarkers(
      xs.map((x, i) => ({ x, priority: (['P1', 'P2', 'P3', 'P4'] as const)[i % 4]! })),
      20,
      2,
    );
    expect(placed.map((p) => p.row)).toEqual([0, 1, 0, 1, 0, 0]);
    expect(overlaps(placed, xs, 20)).toBe(false);
  });

  it('never overlaps, whatever the markers (property)', () => {
    for (let seed = 1; seed < 200; seed++) {
      let r = seed;
      const rand = () => {
        r = (r * 16807) % 2147483647;
        return r / 2147483647;
      };
      const xs = Array.from({ length: 1 + Math.floor(rand() * 30) }, () => Math.floor(rand() * 600));
      const placed = layoutMarkers(
        xs.map((x) => ({ x, priority: 'P3' as const })),
        24,
        3,
      );
      expect(overlaps(placed, xs, 24), JSON.stringify(xs)).toBe(false);
    }
  });
});

describe('chartRange', () => {
  const at = Date.parse('2026-11-26T10:00:00Z');
  const windowStart = at - 28 * 86_400_000;
  it.each([
    ['1h', 60, '1m'],
    ['6h', 360, '1m'],
    ['1d', 1440, '2m'],
    ['7d', 7 * 1440, '30m'],
  ] as const)('%s → from/to/step', (range, minutes, step) => {
    expect(chartRange(range, windowStart, at)).toEqual({ fromMs: at - minutes * MIN, toMs: at, step });
  });
  it('the window is the SLO’s, at about 288 points', () => {
    expect(chartRange('window', windowStart, at)).toEqual(seriesRange(windowStart, at));
  });
  it('a 15-minute dip is several points wide at the default range', () => {
    const { fromMs, toMs, step } = chartRange('6h', windowStart, at);
    expect(15 / Number.parseInt(step, 10)).toBeGreaterThanOrEqual(7);
    expect((toMs - fromMs) / MIN / Number.parseInt(step, 10)).toBeLessThanOrEqual(400);
  });
});
