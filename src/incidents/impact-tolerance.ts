/**
 * The disruption clock of an important business service against its impact tolerance (docs/impact-tolerances.md):
 * pure rules over a journey's whole-journey minutes and the incidents that cover it. No store, no clock of its own.
 *
 * - A minute is *down* when the journey's whole-journey events of that minute have success / (success + failure)
 *   below `downtimeBelow`, *up* when they have it at or above, *silent* when the minute has no success and no failure.
 * - A disruption starts at the first down minute; it is *restored* at the first of RESTORE_MINUTES consecutive up
 *   minutes (silent minutes between them neither count nor break the run; a down minute breaks it).
 * - Only a disruption during an incident that covers the journey is clocked: it is tied to the incident that covers
 *   it first, and ends at its restoration or at that incident's resolution, whichever comes first.
 * - The clock is the time from its start to now (to its end once ended; to the first up minute of a recovery under
 *   way, so the clock stops while the journey is recovering and a recovery that does not hold picks it up again).
 * - Warning when the clock reaches half the tolerance; breach when it exceeds the tolerance.
 */

import { wallTime, zonedTimeToUtc } from '../engine/timezone.js';
import type { DisruptionRecord } from '../model/disruption.js';

export type { DisruptionRecord };

const MINUTE_MS = 60_000;

/** Consecutive up minutes (minutes with events at or above the threshold) that restore a service. */
export const RESTORE_MINUTES = 5;
/** How far before an incident's opening the clock's start is searched for: the journey may fall before any alert fires. */
export const LOOKBACK_MINUTES = 24 * 60;

export type MinuteState = 'down' | 'up' | 'silent';

/**
 * A minute's state from its whole-journey successes and failures (rejected and abandoned never count).
 * @example minuteState(4, 6, 0.5) // 'down' (40% success)
 * @example minuteState(5, 5, 0.5) // 'up' (exactly 50% is not below)
 */
export function minuteState(success: number, failure: number, downtimeBelow: number): MinuteState {
  const valid = success + failure;
  if (valid <= 0) return 'silent';
  return success / valid < downtimeBelow ? 'down' : 'up';
}

/** An incident as the clock needs it: the interval it was open (epoch ms). Merged-away incidents are left out by the caller. */
export interface IncidentSpan {
  id: string;
  openedAt: number;
  /** null while open or acknowledged. */
  resolvedAt: number | null;
}

/** A disruption as found from the minutes (epoch ms). */
export interface FoundDisruption {
  incidentId: string;
  startAt: number;
  /** When the service was restored (or its incident resolved); null while it runs. */
  endAt: number | null;
  /** While it runs: the first up minute of a recovery under way (not yet RESTORE_MINUTES long), else null. */
  pausedAt: number | null;
}

export interface FindInput {
  /** The state of an epoch minute. */
  state: (minute: number) => MinuteState;
  /** Epoch minutes scanned: [fromMinute, toMinute). toMinute is normally the minute after now's. */
  fromMinute: number;
  toMinute: number;
  /** The incidents covering the journey (any order). */
  incidents: readonly IncidentSpan[];
  restoreMinutes?: number;
}

/** A stretch of downtime from the minutes alone: [start, restored) in epoch minutes, restored null while it lasts. */
interface Stretch {
  start: number;
  restored: number | null;
  /** While it lasts: the first up minute of the recovery under way, else null. */
  paused: number | null;
}

/** The first stretch starting at or after `from` (scanning to `to`), or null. */
function nextStretch(state: (minute: number) => MinuteState, from: number, to: number, restore: number): Stretch | null {
  let m = from;
  while (m < to && state(m) !== 'down') m++;
  if (m >= to) return null;
  const start = m;
  let runStart: number | null = null;
  let run = 0;
  for (m = start + 1; m < to; m++) {
    const s = state(m);
    if (s === 'down') {
      runStart = null;
      run = 0;
    } else if (s === 'up') {
      if (runStart === null) runStart = m;
      run++;
      if (run >= restore) return { start, restored: runStart, paused: null };
    }
  }
  return { start, restored: null, paused: runStart };
}

/** Whether a stretch [start, end) (end null: up to now, inclusive) overlaps an incident's open interval. */
function overlaps(incident: IncidentSpan, startAt: number, endAt: number | null): boolean {
  const opensBeforeEnd = endAt === null || incident.openedAt < endAt;
  return opensBeforeEnd && (incident.resolvedAt === null || incident.resolvedAt > startAt);
}

/** The recovery under way at `minute` (exclusive): the first up minute after the last down one, counting back from it. */
function recoveryUnderWay(state: (minute: number) => MinuteState, start: number, minute: number): number | null {
  let first: number | null = null;
  for (let m = minute - 1; m > start; m--) {
    const s = state(m);
    if (s === 'down') break;
    if (s === 'up') first = m;
  }
  return first;
}

/**
 * The disruptions in [fromMinute, toMinute), each tied to the incident covering it that opened first. A stretch no
 * incident covers is not a disruption. When that incident resolves before the stretch is restored, the disruption
 * ends at the resolution (or at the first up minute of a recovery under way then), and what follows may form another
 * disruption, from the first down minute after the resolution, tied to another incident covering it.
 * @example findDisruptions({ state, fromMinute, toMinute, incidents: [{ id: 'inc-1', openedAt, resolvedAt: null }] })
 */
export function findDisruptions(input: FindInput): FoundDisruption[] {
  const restore = input.restoreMinutes ?? RESTORE_MINUTES;
  const incidents = [...input.incidents].sort((a, b) => a.openedAt - b.openedAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const out: FoundDisruption[] = [];
  let from = input.fromMinute;
  while (from < input.toMinute) {
    const stretch = nextStretch(input.state, from, input.toMinute, restore);
    if (!stretch) break;
    const startAt = stretch.start * MINUTE_MS;
    const restoredAt = stretch.restored === null ? null : stretch.restored * MINUTE_MS;
    const incident = incidents.find((i) => overlaps(i, startAt, restoredAt));
    if (!incident) {
      from = stretch.restored ?? input.toMinute;
      continue;
    }
    // A stretch that began before the incident's resolution and outlasts it ends there.
    if (incident.resolvedAt !== null && (restoredAt === null || incident.resolvedAt < restoredAt)) {
      const resolvedMinute = Math.floor(incident.resolvedAt / MINUTE_MS);
      const recovering = recoveryUnderWay(input.state, stretch.start, resolvedMinute + 1);
      const endAt = recovering === null ? incident.resolvedAt : Math.min(incident.resolvedAt, recovering * MINUTE_MS);
      out.push({ incidentId: incident.id, startAt, endAt: Math.max(endAt, startAt), pausedAt: null });
      // What follows the resolution: from the first whole minute after it.
      from = Math.max(stretch.start + 1, Math.ceil(incident.resolvedAt / MINUTE_MS));
      continue;
    }
    out.push({
      incidentId: incident.id,
      startAt,
      endAt: restoredAt,
      pausedAt: stretch.paused === null ? null : stretch.paused * MINUTE_MS,
    });
    from = stretch.restored ?? input.toMinute;
  }
  return out;
}

/** A clock's level: under half the tolerance, at or past half, past the whole tolerance. */
export type ClockLevel = 'ok' | 'warning' | 'breached';

/**
 * How long a disruption has lasted at `now`: to its end once ended, to the first up minute of a recovery under way,
 * else to now. Never negative.
 * @example elapsedMs({ startAt: 0, endAt: null, pausedAt: null }, 90_000) // 90000
 */
export function elapsedMs(d: Pick<FoundDisruption, 'startAt' | 'endAt' | 'pausedAt'>, now: number): number {
  return Math.max(0, (d.endAt ?? d.pausedAt ?? now) - d.startAt);
}

/**
 * The level of a clock that has run `elapsed` ms against a tolerance of `toleranceMs`: warning at half the tolerance
 * (exactly half included), breached when it exceeds the tolerance (exactly the tolerance is not a breach).
 * @example clockLevel(2 * 3_600_000, 4 * 3_600_000) // 'warning'
 * @example clockLevel(4 * 3_600_000, 4 * 3_600_000) // 'warning'
 */
export function clockLevel(elapsed: number, toleranceMs: number): ClockLevel {
  if (elapsed > toleranceMs) return 'breached';
  if (2 * elapsed >= toleranceMs) return 'warning';
  return 'ok';
}

/** When a disruption reached half its tolerance and when it breached it, if it has (epoch ms). */
export function thresholdsReached(
  d: Pick<FoundDisruption, 'startAt' | 'endAt' | 'pausedAt'>,
  toleranceMs: number,
  now: number,
): { warnedAt: number | null; breachedAt: number | null } {
  const level = clockLevel(elapsedMs(d, now), toleranceMs);
  return {
    warnedAt: level === 'ok' ? null : d.startAt + toleranceMs / 2,
    breachedAt: level === 'breached' ? d.startAt + toleranceMs : null,
  };
}

function overlapping(a: { startAt: number; endAt: number | null }, b: { startAt: number; endAt: number | null }): boolean {
  const aEnd = a.endAt ?? Number.POSITIVE_INFINITY;
  const bEnd = b.endAt ?? Number.POSITIVE_INFINITY;
  // Touching intervals of zero length still match themselves.
  return a.startAt < bEnd && b.startAt < aEnd ? true : a.startAt === b.startAt;
}

export interface ReconcileInput {
  journey: string;
  toleranceMs: number;
  now: number;
  /** What the store holds for the journey over the scanned range (and its running disruptions). */
  stored: readonly DisruptionRecord[];
  found: readonly FoundDisruption[];
  /** Where the scan began (epoch ms): a running record starting before it is not judged by this scan. */
  scannedFrom: number;
}

export interface ReconcileResult {
  /** Records to write: new ones, and stored ones that changed. */
  save: DisruptionRecord[];
  /** Of those, the ones whose warning or breach is newly recorded (for the incident's timeline). */
  warned: DisruptionRecord[];
  breached: DisruptionRecord[];
}

/** `journey@2026-11-26T09:12:00.000Z`. */
export function disruptionId(journey: string, startAt: number): string {
  return `${journey}@${new Date(startAt).toISOString()}`;
}

/**
 * What to write after a scan: each disruption found updates the stored record it overlaps (keeping its id, its
 * tolerance and any warning or breach already recorded), or is a new record with the tolerance in force now. A stored
 * running record that no disruption found overlaps any more (late events lifted the minutes it stood on) ends where its
 * clock stood: at its recovery under way, else now.
 */
export function reconcile(input: ReconcileInput): ReconcileResult {
  const save: DisruptionRecord[] = [];
  const warned: DisruptionRecord[] = [];
  const breached: DisruptionRecord[] = [];
  const used = new Set<string>();
  for (const found of input.found) {
    const had = input.stored.find((s) => !used.has(s.id) && overlapping(s, found));
    const toleranceMs = had?.toleranceMs ?? input.toleranceMs;
    const startAt = had && had.startAt < input.scannedFrom ? had.startAt : found.startAt;
    const reached = thresholdsReached({ ...found, startAt }, toleranceMs, input.now);
    const record: DisruptionRecord = {
      id: had?.id ?? disruptionId(input.journey, found.startAt),
      journey: input.journey,
      incidentId: found.incidentId,
      // A record older than the scan keeps its start: the scan saw only the end of its stretch.
      startAt,
      endAt: found.endAt,
      pausedAt: found.endAt === null ? found.pausedAt : null,
      toleranceMs,
      warnedAt: had?.warnedAt ?? reached.warnedAt,
      breachedAt: had?.breachedAt ?? reached.breachedAt,
    };
    if (had) used.add(had.id);
    if (!had || !sameRecord(had, record)) save.push(record);
    if (record.warnedAt !== null && !had?.warnedAt) warned.push(record);
    if (record.breachedAt !== null && !had?.breachedAt) breached.push(record);
  }
  for (const stale of input.stored) {
    if (used.has(stale.id) || stale.endAt !== null || stale.startAt < input.scannedFrom) continue;
    save.push({ ...stale, endAt: Math.max(stale.startAt, Math.min(stale.pausedAt ?? input.now, input.now)), pausedAt: null });
  }
  return { save, warned, breached };
}

function sameRecord(a: DisruptionRecord, b: DisruptionRecord): boolean {
  return (
    a.id === b.id &&
    a.journey === b.journey &&
    a.incidentId === b.incidentId &&
    a.startAt === b.startAt &&
    a.endAt === b.endAt &&
    a.pausedAt === b.pausedAt &&
    a.toleranceMs === b.toleranceMs &&
    a.warnedAt === b.warnedAt &&
    a.breachedAt === b.breachedAt
  );
}

/**
 * A duration in hours and minutes, rounded down to the minute: "1 h 12 min", "45 min", "4 h".
 * @example durationWords(72 * 60_000) // '1 h 12 min'
 */
export function durationWords(ms: number): string {
  const minutes = Math.floor(Math.max(0, ms) / MINUTE_MS);
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (h === 0) return `${m} min`;
  return m === 0 ? `${h} h` : `${h} h ${m} min`;
}

/**
 * The calendar year `year` in `timeZone`: [1 January 00:00, next 1 January 00:00) local time, as epoch ms.
 * @example yearRange(2026, 'Europe/London') // { startMs: Date.parse('2026-01-01T00:00:00Z'), endMs: Date.parse('2027-01-01T00:00:00Z') }
 */
export function yearRange(year: number, timeZone: string): { startMs: number; endMs: number } {
  return { startMs: zonedTimeToUtc(year, 1, 1, 0, 0, timeZone), endMs: zonedTimeToUtc(year + 1, 1, 1, 0, 0, timeZone) };
}

/** The calendar year in `timeZone` of the instant `ms`. */
export function yearOf(ms: number, timeZone: string): number {
  return wallTime(ms, timeZone).year;
}
