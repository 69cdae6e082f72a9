/**
 * Corrections (maintenance windows, docs/slo-maths.md ("Corrections")): intervals in which a journey's events are left
 * out of every SLI. A one-off correction is an instant interval; a weekly one is a wall-clock window in the
 * configured time zone ("Sun 02:00-04:00"), so it follows daylight saving time.
 */
import type { CorrectionSpec, WeeklyWindow } from '../model/config.js';
import { zonedTimeToUtc, zoneOffsetMs } from './timezone.js';

/** The part of a correction an SLI needs to leave events out: plain data, so it crosses to the SQLite writer thread. */
export type SliCorrection = { from: number; to: number } | { weekly: WeeklyWindow; timeZone: string };

const MINUTES_PER_WEEK = 7 * 1440;
const DAY_NAMES = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;
const EVERY_PATTERN = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun) ([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-4]):([0-5]\d)$/;

/**
 * Reads a weekly window: a day, a start and an end wall-clock time; an end at or before the start is on the next day.
 * @example parseEvery('Sun 02:00-04:00') // { ok: true, value: { text: 'Sun 02:00-04:00', startMinuteOfWeek: 8760, minutes: 120 } }
 * @example parseEvery('Sat 23:00-01:00') // { ok: true, value: { …, startMinuteOfWeek: 8580, minutes: 120 } }
 */
export function parseEvery(text: string): { ok: true; value: WeeklyWindow } | { ok: false; message: string } {
  const match = EVERY_PATTERN.exec(text);
  const words = `expected a weekly window such as 'Sun 02:00-04:00' (Mon…Sun, 24-hour HH:MM-HH:MM), got '${text}'`;
  if (!match) return { ok: false, message: words };
  const day = DAY_NAMES.indexOf(match[1] as (typeof DAY_NAMES)[number]);
  const start = Number(match[2]) * 60 + Number(match[3]);
  const end = Number(match[4]) * 60 + Number(match[5]);
  if (end > 1440) return { ok: false, message: words };
  if (start === end) return { ok: false, message: `the window '${text}' is empty: its end equals its start` };
  const minutes = end > start ? end - start : end + 1440 - start;
  return { ok: true, value: { text, startMinuteOfWeek: day * 1440 + start, minutes } };
}

/** What an SLI of a journey carries of its corrections, in the order given. */
export function sliCorrectionsOf(journey: string, corrections: readonly CorrectionSpec[], timeZone: string): SliCorrection[] {
  return corrections
    .filter((c) => c.journeys.includes(journey))
    .map((c): SliCorrection => (c.kind === 'once' ? { from: c.from, to: c.to } : { weekly: c.weekly, timeZone }));
}

/**
 * A short, stable fingerprint of an SLI's corrections for its key: adding, changing or removing one gives the SLI a new
 * key, so its aggregates are recomputed from raw events (docs/slo-maths.md ("Changing an SLO")). Order does not count.
 */
export function correctionsFingerprint(corrections: readonly SliCorrection[]): string {
  const parts = corrections
    .map((c) => ('from' in c ? `o${c.from}-${c.to}` : `w${c.weekly.startMinuteOfWeek}+${c.weekly.minutes}@${c.timeZone}`))
    .sort();
  return cyrb53([...new Set(parts)].join(',')).toString(36);
}

/** A 53-bit string hash (cyrb53, public domain): enough to tell two sets of corrections apart. */
export function cyrb53(text: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/** Zone offsets by zone and quarter hour of UTC: offsets change only on quarter hours, so ingest asks Intl once per slot. */
const offsetCache = new Map<string, Map<number, number>>();
const QUARTER_HOUR_MS = 15 * 60_000;
const MAX_CACHED_SLOTS = 50_000;

/** The last slot asked for: the events of one batch mostly share it, so most lookups stop here. */
let last = { timeZone: '', slot: Number.NaN, offset: 0 };

function cachedOffset(ms: number, timeZone: string): number {
  const slot = Math.floor(ms / QUARTER_HOUR_MS);
  if (slot === last.slot && timeZone === last.timeZone) return last.offset;
  let zone = offsetCache.get(timeZone);
  if (!zone) {
    zone = new Map();
    offsetCache.set(timeZone, zone);
  }
  let offset = zone.get(slot);
  if (offset === undefined) {
    if (zone.size >= MAX_CACHED_SLOTS) zone.clear();
    offset = zoneOffsetMs(slot * QUARTER_HOUR_MS, timeZone);
    zone.set(slot, offset);
  }
  last = { timeZone, slot, offset };
  return offset;
}

/**
 * The minute of the local week (0 = Monday 00:00) at instant `ms` in `timeZone`.
 * @example localMinuteOfWeek(Date.parse('2026-11-29T02:30:00Z'), 'UTC') // 6 × 1440 + 150 (Sunday 02:30)
 */
export function localMinuteOfWeek(ms: number, timeZone: string): number {
  const localMinute = Math.floor((ms + cachedOffset(ms, timeZone)) / 60_000);
  // 1970-01-01 was a Thursday, day 3 of a week that starts on Monday.
  return (((localMinute + 3 * 1440) % MINUTES_PER_WEEK) + MINUTES_PER_WEEK) % MINUTES_PER_WEEK;
}

/** True when instant `ms` falls inside the correction: [from, to) for a one-off, the local wall-clock window for a weekly one. */
export function insideCorrection(c: SliCorrection, ms: number): boolean {
  if ('from' in c) return ms >= c.from && ms < c.to;
  const sinceStart = (localMinuteOfWeek(ms, c.timeZone) - c.weekly.startMinuteOfWeek + MINUTES_PER_WEEK) % MINUTES_PER_WEEK;
  return sinceStart < c.weekly.minutes;
}

type Matcher = (ms: number) => boolean;
const compiled = new WeakMap<readonly SliCorrection[], Matcher>();

/** The corrections as one test, one-off intervals first: built once per list (per batch in the SQLite writer thread). */
function compile(corrections: readonly SliCorrection[]): Matcher {
  const intervals: number[] = [];
  const weekly: { start: number; minutes: number; timeZone: string }[] = [];
  for (const c of corrections) {
    if ('from' in c) intervals.push(c.from, c.to);
    else weekly.push({ start: c.weekly.startMinuteOfWeek, minutes: c.weekly.minutes, timeZone: c.timeZone });
  }
  return (ms) => {
    for (let i = 0; i < intervals.length; i += 2) if (ms >= intervals[i]! && ms < intervals[i + 1]!) return true;
    for (const w of weekly) {
      if ((localMinuteOfWeek(ms, w.timeZone) - w.start + MINUTES_PER_WEEK) % MINUTES_PER_WEEK < w.minutes) return true;
    }
    return false;
  };
}

/** True when instant `ms` falls inside any of the corrections. */
export function insideAnyCorrection(corrections: readonly SliCorrection[] | undefined, ms: number): boolean {
  if (corrections === undefined || corrections.length === 0) return false;
  let matcher = compiled.get(corrections);
  if (!matcher) {
    matcher = compile(corrections);
    compiled.set(corrections, matcher);
  }
  return matcher(ms);
}

/** One occurrence of a correction, as instants. */
export interface CorrectionOccurrence {
  name: string;
  from: number;
  to: number;
  reason?: string;
}

/**
 * Every occurrence of the corrections that meets [from, to], oldest first (a weekly window once per week, its ends read
 * on the local wall clock in `timeZone`).
 */
export function correctionOccurrences(
  corrections: readonly CorrectionSpec[],
  timeZone: string,
  from: number,
  to: number,
): CorrectionOccurrence[] {
  const out: CorrectionOccurrence[] = [];
  for (const c of corrections) {
    const meta = { name: c.name, ...(c.reason !== undefined && { reason: c.reason }) };
    if (c.kind === 'once') {
      if (c.from <= to && c.to >= from) out.push({ ...meta, from: c.from, to: c.to });
      continue;
    }
    // Walk local days from a week before `from` to a day after `to`, taking those on the window's weekday.
    const startDay = Math.floor(c.weekly.startMinuteOfWeek / 1440);
    const startOfDay = c.weekly.startMinuteOfWeek % 1440;
    for (let day = Math.floor(from / 86_400_000) - 8; day <= Math.floor(to / 86_400_000) + 1; day++) {
      if ((((day + 3) % 7) + 7) % 7 !== startDay) continue;
      const date = new Date(day * 86_400_000);
      const y = date.getUTCFullYear();
      const m = date.getUTCMonth() + 1;
      const d = date.getUTCDate();
      const start = zonedTimeToUtc(y, m, d, Math.floor(startOfDay / 60), startOfDay % 60, timeZone);
      const endLocal = startOfDay + c.weekly.minutes;
      const endDate = new Date(Date.UTC(y, m - 1, d) + Math.floor(endLocal / 1440) * 86_400_000);
      const end = zonedTimeToUtc(
        endDate.getUTCFullYear(),
        endDate.getUTCMonth() + 1,
        endDate.getUTCDate(),
        Math.floor((endLocal % 1440) / 60),
        endLocal % 60,
        timeZone,
      );
      if (start <= to && end >= from) out.push({ ...meta, from: start, to: end });
    }
  }
  return out.sort((a, b) => a.from - b.from || a.name.localeCompare(b.name));
}
