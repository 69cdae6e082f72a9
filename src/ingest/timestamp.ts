/** RFC 3339 date-times with a zone, read by hand: event timestamps are parsed once per ingested event. */

const MINUTE_MS = 60_000;
const ZERO = 48;
const DASH = 45;
const COLON = 58;
const DOT = 46;
const PLUS = 43;
const MINUS = 45;
const T = 84;
const Z = 90;

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
  if (text.charCodeAt(4) !== DASH || text.charCodeAt(7) !== DASH || text.charCodeAt(10) !== T) return undefined;
  if (text.charCodeAt(13) !== COLON || text.charCodeAt(16) !== COLON) return undefined;

  let at = 19;
  let millisecond = 0;
  if (text.charCodeAt(at) === DOT) {
    const start = ++at;
    while (at < text.length && isDigit(text.charCodeAt(at))) at++;
    if (at === start) return undefined;
    // ".5" is 500 ms: read the first three digits, padding the missing ones with zeros.
    for (let i = 0; i < 3; i++) millisecond = millisecond * 10 + (start + i < at ? text.charCodeAt(start + i) - ZERO : 0);
  }

  let offsetMinutes: number;
  const zone = text.charCodeAt(at);
  if (zone === Z && at + 1 === text.length) {
    offsetMinutes = 0;
  } else if ((zone === PLUS || zone === MINUS) && at + 6 === text.length && text.charCodeAt(at + 3) === COLON) {
    const offsetHour = digits(text, at + 1, 2);
    const offsetMinute = digits(text, at + 4, 2);
    if (offsetHour < 0 || offsetHour > 23 || offsetMinute < 0 || offsetMinute > 59) return undefined;
    offsetMinutes = (zone === MINUS ? -1 : 1) * (offsetHour * 60 + offsetMinute);
  } else {
    return undefined;
  }

  const secondOfDay = hour * 3600 + minute * 60 + second;
  return (daysSinceEpoch(year, month, day) * 86_400 + secondOfDay) * 1000 + millisecond - offsetMinutes * MINUTE_MS;
}

/** RFC 3339 (UTC, milliseconds) for messages; falls back to the number when Date cannot represent it. */
export function formatInstant(epochMs: number): string {
  return Number.isFinite(epochMs) && Math.abs(epochMs) <= 8.64e15 ? new Date(epochMs).toISOString() : String(epochMs);
}

/**
 * Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's days_from_civil): integer
 * arithmetic, several times cheaper than Date.UTC, and right for years 0–99, which Date.UTC maps to 1900–1999.
 */
function daysSinceEpoch(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/** The value of `count` decimal digits at `at`, or -1 when any of them is not a digit. */
function digits(text: string, at: number, count: number): number {
  let value = 0;
  for (let i = at; i < at + count; i++) {
    const c = text.charCodeAt(i);
    if (!isDigit(c)) return -1;
    value = value * 10 + (c - ZERO);
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
