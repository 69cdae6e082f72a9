/** Local calendar facts for the traffic simulator: wall-clock time in the bank's timezone, and paydays. */
import { zoneOffsetMs } from '../engine/timezone.js';

export interface LocalTime {
  year: number;
  /** 1–12. */
  month: number;
  /** Day of the month, 1–31. */
  day: number;
  /** 0 = Sunday … 6 = Saturday. */
  weekday: number;
  /** Minutes since local midnight, 0–1439. */
  minuteOfDay: number;
  /** Days since 1970-01-01 of the local date: a stable key for per-day randomness. */
  dayNumber: number;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/**
 * A converter from epoch ms to local time in `timeZone`. Intl is slow, so the UTC offset is looked up
 * once per UTC hour (offset changes happen on hour boundaries in every zone a bank is likely to use).
 * @example localTimeIn('Europe/London')(Date.UTC(2026, 6, 1, 12)).minuteOfDay === 13 * 60
 */
export function localTimeIn(timeZone: string): (ms: number) => LocalTime {
  const offsets = new Map<number, number>();
  const offsetAt = (hour: number): number => {
    const cached = offsets.get(hour);
    if (cached !== undefined) return cached;
    const offset = zoneOffsetMs(hour * HOUR_MS, timeZone);
    // A live demo runs for days: keep the cache bounded.
    if (offsets.size > 10_000) offsets.clear();
    offsets.set(hour, offset);
    return offset;
  };
  return (ms: number): LocalTime => {
    const local = new Date(ms + offsetAt(Math.floor(ms / HOUR_MS)));
    const year = local.getUTCFullYear();
    const month = local.getUTCMonth() + 1;
    const day = local.getUTCDate();
    return {
      year,
      month,
      day,
      weekday: local.getUTCDay(),
      minuteOfDay: local.getUTCHours() * 60 + local.getUTCMinutes(),
      dayNumber: Math.floor(Date.UTC(year, month - 1, day) / DAY_MS),
    };
  };
}

function weekdayOf(year: number, month: number, day: number): number {
  return new Date(Date.UTC(year, month - 1, day)).getUTCDay();
}

/** The business day on or before a date (bank holidays aside): Saturday and Sunday fall back to Friday. */
function businessDayOnOrBefore(year: number, month: number, day: number): number {
  const weekday = weekdayOf(year, month, day);
  if (weekday === 6) return day - 1;
  if (weekday === 0) return day - 2;
  return day;
}

/**
 * Whether a local date is a UK payday: the 25th (brought forward to Friday at a weekend) or the last
 * business day of the month, when salaries land and customers check balances and pay bills.
 */
export function isPayday(date: Pick<LocalTime, 'year' | 'month' | 'day'>): boolean {
  const { year, month, day } = date;
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day === businessDayOnOrBefore(year, month, 25) || day === businessDayOnOrBefore(year, month, lastDay);
}
