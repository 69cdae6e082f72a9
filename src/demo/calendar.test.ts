import { describe, expect, it } from 'vitest';
import { isPayday, localTimeIn } from './calendar.js';
import { dailyFactor, demandFactor } from './seasonality.js';

describe('localTimeIn', () => {
  const london = localTimeIn('Europe/London');

  it.each([
    ['winter: London is UTC', Date.UTC(2026, 0, 14, 12, 30), { year: 2026, month: 1, day: 14, weekday: 3, minuteOfDay: 750 }],
    ['summer: London is UTC+1', Date.UTC(2026, 6, 1, 12, 0), { year: 2026, month: 7, day: 1, weekday: 3, minuteOfDay: 780 }],
    ['last minute of GMT before the spring change', Date.UTC(2026, 2, 29, 0, 59), { day: 29, minuteOfDay: 59 }],
    ['first minute of BST', Date.UTC(2026, 2, 29, 1, 0), { day: 29, minuteOfDay: 120 }],
    ['last minute of BST in autumn', Date.UTC(2026, 9, 25, 0, 59), { day: 25, minuteOfDay: 119 }],
    ['back to GMT', Date.UTC(2026, 9, 25, 1, 0), { day: 25, minuteOfDay: 60 }],
    ['a UTC evening that is already tomorrow in London', Date.UTC(2026, 5, 30, 23, 30), { month: 7, day: 1, minuteOfDay: 30 }],
  ])('%s', (_name, ms, expected) => {
    expect(london(ms)).toMatchObject(expected);
  });

  it('gives the same answer from its cache as on first sight', () => {
    const ms = Date.UTC(2026, 3, 2, 8, 15);
    expect(london(ms)).toEqual(localTimeIn('Europe/London')(ms));
    expect(localTimeIn('Asia/Kolkata')(Date.UTC(2026, 0, 1, 0, 0)).minuteOfDay).toBe(5 * 60 + 30);
  });
});

describe('isPayday', () => {
  const paydays = (year: number, month: number) =>
    Array.from({ length: 31 }, (_, i) => i + 1).filter((day) => isPayday({ year, month, day }));

  it.each([
    ['25th and last day both weekdays (Nov 2026)', 2026, 11, [25, 30]],
    ['25th on a Sunday → Friday 23rd; 31st on a Saturday → Friday 30th (Oct 2026)', 2026, 10, [23, 30]],
    ['25th on a Saturday → Friday 24th (Apr 2026)', 2026, 4, [24, 30]],
    ['last day a Sunday → Friday 29th (May 2026)', 2026, 5, [25, 29]],
    ['a 28-day February (Feb 2025)', 2025, 2, [25, 28]],
  ])('%s', (_name, year, month, expected) => {
    expect(paydays(year, month)).toEqual(expected);
  });
});

describe('seasonality', () => {
  it('each daily curve averages 1 over the day', () => {
    for (const kind of ['app', 'card', 'payments', 'onboarding'] as const) {
      let sum = 0;
      for (let minute = 0; minute < 1440; minute += 1) sum += dailyFactor(kind, minute);
      expect(sum / 1440).toBeCloseTo(1, 2);
    }
  });

  const at = (weekday: number, hour: number, day = 10) => ({ year: 2026, month: 11, day, weekday, minuteOfDay: hour * 60, dayNumber: 0 });

  it('has a night trough and daytime peaks', () => {
    for (const kind of ['app', 'card', 'payments'] as const) {
      expect(demandFactor(kind, at(2, 12))).toBeGreaterThan(10 * demandFactor(kind, at(2, 3)));
    }
    expect(dailyFactor('app', 19 * 60)).toBeGreaterThan(dailyFactor('app', 15 * 60));
    expect(dailyFactor('app', 8 * 60 + 30)).toBeGreaterThan(dailyFactor('app', 6 * 60));
  });

  it('drops transfers at weekends and lifts card spending on Saturday', () => {
    expect(demandFactor('payments', at(6, 12))).toBeLessThan(0.6 * demandFactor('payments', at(2, 12)));
    expect(demandFactor('card', at(6, 12))).toBeGreaterThan(1.2 * demandFactor('card', at(2, 12)));
  });

  it('peaks on payday', () => {
    // 25 November 2026 is a Wednesday payday; the 18th an ordinary Wednesday.
    expect(demandFactor('app', at(3, 12, 25))).toBeGreaterThan(1.3 * demandFactor('app', at(3, 12, 18)));
    expect(demandFactor('payments', at(3, 12, 25))).toBeGreaterThan(1.5 * demandFactor('payments', at(3, 12, 18)));
  });
});
