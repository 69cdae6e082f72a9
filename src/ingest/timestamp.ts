/** RFC 3339 date-times with a zone, read by hand: event timestamps are parsed once per ingested event. */

const MINUTE_MS = 60_000;

/**
 * Epoch milliseconds of an RFC 3339 date-time (`YYYY-MM-DDTHH:MM:SS[.fraction](Z|±hh:mm)`), or
 * undefined when the text is not one. Seconds and a zone are required and the calendar date must
 * exist (leap years included); `T` and `Z` must be uppercase; leap seconds (`:60`) are refused.
 * Digits of the fraction past milliseconds are truncated.
 * @example parseRfc3339('2026-11-26T11:00:00.25+01:00') === Date.UTC(2026, 10, 26, 10, 0, 0, 250)
 */
export function parseRfc3339(text: string): number | undefined {
  if (text.length < 20) return undefined;
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  const hour = digits(text, 11, 2);
  const minute = digits(text, 14, 2);
  const second = digits(text, 17, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return undefined;
  if (text[4] !== '-' || text[7] !== '-' || text[10] !== 'T' || text[13] !== ':' || text[16] !== ':') return undefined;

  let at = 19;
  let millisecond = 0;
  if (text[at] === '.') {
    const start = ++at;
    while (at < text.length && isDigit(text.charCodeAt(at))) at++;
    if (at === start) return undefined;
    // ".5" is 500 ms: read the first three digits, padding the missing ones with zeros.
    for (let i = 0; i < 3; i++) millisecond = millisecond * 10 + (start + i < at ? text.charCodeAt(start + i) - 48 : 0);
  }

  let offsetMinutes: number;
  const zone = text[at];
  if (zone === 'Z' && at + 1 === text.length) {
    offsetMinutes = 0;
  } else if ((zone === '+' || zone === '-') && at + 6 === text.length && text[at + 3] === ':') {
    const offsetHour = digits(text, at + 1, 2);
    const offsetMinute = digits(text, at + 4, 2);
    if (offsetHour < 0 || offsetHour > 23 || offsetMinute < 0 || offsetMinute > 59) return undefined;
    offsetMinutes = (zone === '-' ? -1 : 1) * (offsetHour * 60 + offsetMinute);
  } else {
    return undefined;
  }

  return utcMilliseconds(year, month, day, hour, minute, second, millisecond) - offsetMinutes * MINUTE_MS;
}

/** RFC 3339 (UTC, milliseconds) for messages; falls back to the number when Date cannot represent it. */
export function formatInstant(epochMs: number): string {
  return Number.isFinite(epochMs) && Math.abs(epochMs) <= 8.64e15 ? new Date(epochMs).toISOString() : String(epochMs);
}

function utcMilliseconds(year: number, month: number, day: number, hour: number, minute: number, second: number, millisecond: number): number {
  if (year >= 100) return Date.UTC(year, month - 1, day, hour, minute, second, millisecond);
  // Date.UTC maps years 0–99 to 1900–1999; setUTCFullYear does not.
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return date.setUTCHours(hour, minute, second, millisecond);
}

/** The value of `count` decimal digits at `at`, or -1 when any of them is not a digit. */
function digits(text: string, at: number, count: number): number {
  let value = 0;
  for (let i = at; i < at + count; i++) {
    const c = text.charCodeAt(i);
    if (!isDigit(c)) return -1;
    value = value * 10 + (c - 48);
  }
  return value;
}

function isDigit(charCode: number): boolean {
  return charCode >= 48 && charCode <= 57;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}
