/**
 * Calendar arithmetic in an IANA time zone with nothing but Intl: the wall-clock parts of an
 * instant, and the instant of a wall-clock time (for calendar SLO windows, docs/slo-maths.md ("Minutes and windows")).
 */

export interface WallTime {
  year: number;
  /** 1–12 */
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** 1 = Monday … 7 = Sunday */
  isoWeekday: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      weekday: 'short',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

/** True when `timeZone` is an IANA zone name this runtime knows. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** Wall-clock parts of the instant `ms` in `timeZone`. */
export function wallTime(ms: number, timeZone: string): WallTime {
  const parts = formatter(timeZone).formatToParts(new Date(ms));
  const out: WallTime = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0, isoWeekday: 0 };
  for (const part of parts) {
    switch (part.type) {
      case 'year':
        out.year = Number(part.value);
        break;
      case 'month':
        out.month = Number(part.value);
        break;
      case 'day':
        out.day = Number(part.value);
        break;
      case 'hour':
        out.hour = Number(part.value);
        break;
      case 'minute':
        out.minute = Number(part.value);
        break;
      case 'second':
        out.second = Number(part.value);
        break;
      case 'weekday':
        out.isoWeekday = WEEKDAYS[part.value] ?? 0;
        break;
      default:
        break;
    }
  }
  return out;
}

/** Offset of `timeZone` from UTC at instant `ms`, in ms (London in summer: +3,600,000). */
export function zoneOffsetMs(ms: number, timeZone: string): number {
  const w = wallTime(ms, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - (ms - (((ms % 1000) + 1000) % 1000));
}

/**
 * The instant at which the wall clock in `timeZone` shows the given local time, disambiguated as
 * Temporal's 'compatible' mode does: a local time skipped by a DST jump moves forward by the length
 * of the gap; a repeated one takes its first occurrence.
 * @example zonedTimeToUtc(2026, 3, 29, 0, 0, 'Europe/London') // 2026-03-29T00:00:00Z
 */
export function zonedTimeToUtc(year: number, month: number, day: number, hour: number, minute: number, timeZone: string): number {
  const local = Date.UTC(year, month - 1, day, hour, minute);
  // Try the offsets in force a day either side: one of them is right unless the time is in a gap.
  const candidates = [zoneOffsetMs(local - 86_400_000, timeZone), zoneOffsetMs(local + 86_400_000, timeZone)];
  const exact = candidates
    .map((offset) => local - offset)
    .filter((instant) => {
      const w = wallTime(instant, timeZone);
      return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute) === local;
    })
    .sort((a, b) => a - b);
  if (exact.length > 0) return exact[0]!;
  // In a gap: read the wall time with the offset in force before the jump.
  return local - Math.min(...candidates);
}
