import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MINUTES_PER_DAY, MinuteSeries, sliceIsGood } from './minute-series.js';

const BASE = 29_000_000; // an epoch minute in 2025

function naiveSums(cells: Map<number, [number, number]>, from: number, to: number): [number, number] {
  let a = 0;
  let b = 0;
  for (const [m, [x, y]] of cells) {
    if (m >= from && m < to) {
      a += x;
      b += y;
    }
  }
  return [a, b];
}

describe('MinuteSeries', () => {
  it('sums a single minute, an hour edge and a day edge exactly', () => {
    const s = new MinuteSeries(2);
    const dayStart = Math.ceil(BASE / MINUTES_PER_DAY) * MINUTES_PER_DAY;
    s.add(dayStart - 1, 0, 3);
    s.add(dayStart - 1, 1, 4);
    s.add(dayStart, 1, 10);
    s.add(dayStart + 60, 1, 100);
    const out = new Float64Array(2);
    expect([...s.sums(dayStart - 1, dayStart, out)]).toEqual([3, 4]);
    expect([...s.sums(dayStart, dayStart + 60, out)]).toEqual([0, 10]);
    expect([...s.sums(dayStart - 1, dayStart + 61, out)]).toEqual([3, 114]);
    expect([...s.sums(dayStart + 61, dayStart + 61, out)]).toEqual([0, 0]);
    expect([...s.sums(dayStart - 10 * MINUTES_PER_DAY, dayStart + 10 * MINUTES_PER_DAY, out)]).toEqual([3, 114]);
  });

  it('widens its counters past 65,535 without losing counts', () => {
    const s = new MinuteSeries(2);
    s.add(BASE, 1, 65_535);
    s.add(BASE, 1, 10);
    s.add(BASE, 1, 2 ** 32);
    expect(s.get(BASE, 1)).toBe(65_545 + 2 ** 32);
  });

  it('matches a naive sum for any writes and any range (property)', () => {
    const write = fc.record({ minute: fc.integer({ min: 0, max: 4 * MINUTES_PER_DAY }), good: fc.nat(50), bad: fc.nat(50) });
    fc.assert(
      fc.property(
        fc.array(write, { maxLength: 200 }),
        fc.integer({ min: -100, max: 5 * MINUTES_PER_DAY }),
        fc.nat(5 * MINUTES_PER_DAY),
        (writes, a, len) => {
          const s = new MinuteSeries(2);
          const cells = new Map<number, [number, number]>();
          for (const w of writes) {
            s.add(BASE + w.minute, 0, w.good);
            s.add(BASE + w.minute, 1, w.good + w.bad);
            const c = cells.get(BASE + w.minute) ?? [0, 0];
            cells.set(BASE + w.minute, [c[0] + w.good, c[1] + w.good + w.bad]);
          }
          const from = BASE + a;
          const got = s.sums(from, from + len, new Float64Array(2));
          expect([...got]).toEqual(naiveSums(cells, from, from + len));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('counts one-minute slices like a naive scan, before and after further writes (property)', () => {
    const write = fc.record({ minute: fc.integer({ min: 0, max: 3 * MINUTES_PER_DAY }), good: fc.nat(20), bad: fc.nat(2) });
    fc.assert(
      fc.property(fc.array(write, { maxLength: 150 }), fc.nat(3 * MINUTES_PER_DAY), fc.nat(3 * MINUTES_PER_DAY), (writes, a, len) => {
        const s = new MinuteSeries(2);
        const cells = new Map<number, [number, number]>();
        // 95.5 % written out as the scaled integer (percent × 1e6), not with the code's own expression;
        // the naive scan decides in whole numbers: g / t ≥ 0.955 ⇔ 1000 g ≥ 955 t.
        const target = 95_500_000;
        const check = () => {
          let slices = 0;
          let goodSlices = 0;
          for (const [m, [g, t]] of cells) {
            if (m < BASE + a || m >= BASE + a + len || t === 0) continue;
            slices++;
            if (1000 * g >= 955 * t) goodSlices++;
          }
          expect(s.countSlices(BASE + a, BASE + a + len, 0, 1, target)).toEqual({ slices, goodSlices });
        };
        for (const [i, w] of writes.entries()) {
          s.add(BASE + w.minute, 0, w.good);
          s.add(BASE + w.minute, 1, w.good + w.bad);
          const c = cells.get(BASE + w.minute) ?? [0, 0];
          cells.set(BASE + w.minute, [c[0] + w.good, c[1] + w.good + w.bad]);
          if (i % 50 === 0) check();
        }
        check();
      }),
      { numRuns: 200 },
    );
  });

  it('decides slice goodness exactly at the target', () => {
    const t = 99_950_000; // 99.95 %
    expect(sliceIsGood(9995, 10_000, t)).toBe(true);
    expect(sliceIsGood(9994, 10_000, t)).toBe(false);
    expect(sliceIsGood(1, 1, t)).toBe(true);
    expect(sliceIsGood(0, 1, t)).toBe(false);
    // 191/200 = 95.5 % exactly: good at 95.5 %, bad at 95.6 %.
    expect(sliceIsGood(191, 200, 95_500_000)).toBe(true);
    expect(sliceIsGood(191, 200, 95_600_000)).toBe(false);
    // Past the safe-integer range the fallback still decides at the exact target.
    expect(sliceIsGood(955 * 2 ** 40, 1000 * 2 ** 40, 95_500_000)).toBe(true);
    expect(sliceIsGood(955 * 2 ** 40 - 1, 1000 * 2 ** 40, 95_500_000)).toBe(false);
  });

  it('drops whole days before a minute and loads a day in bulk', () => {
    const s = new MinuteSeries(2);
    const day = Math.floor(BASE / MINUTES_PER_DAY);
    s.add(day * MINUTES_PER_DAY + 5, 1, 7);
    const counts = new Uint32Array(MINUTES_PER_DAY * 2).fill(1);
    s.loadDay(day + 1, counts);
    const out = new Float64Array(2);
    expect([...s.sums(day * MINUTES_PER_DAY, (day + 2) * MINUTES_PER_DAY, out)]).toEqual([1440, 1447]);
    s.dropBefore((day + 1) * MINUTES_PER_DAY + 30);
    expect([...s.sums(day * MINUTES_PER_DAY, (day + 2) * MINUTES_PER_DAY, out)]).toEqual([1440, 1440]);
    expect(s.extent()).toEqual({ fromMinute: (day + 1) * MINUTES_PER_DAY, toMinute: (day + 2) * MINUTES_PER_DAY });
  });
});
