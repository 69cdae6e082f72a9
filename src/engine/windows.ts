/**
 * SLO windows (docs/slo-maths.md ("Minutes and windows")): which whole UTC minutes a window covers at an evaluation instant, and
 * the SLO period used to scale burn-rate alert factors (docs/slo-maths.md ("Alert pairs")).
 */
import type { WindowSpec } from '../model/config.js';
import { MS_PER_MINUTE, minuteOf } from '../model/minutes.js';
import { wallTime, zonedTimeToUtc } from './timezone.js';

/** A range of whole minutes [fromMinute, toMinute). */
export interface MinuteRange {
  fromMinute: number;
  toMinute: number;
}

/** A rolling window of `minutes` at `atMs`: [m − W + 1, m + 1), m the minute of `atMs`. */
export function rollingRange(minutes: number, atMs: number): MinuteRange {
  const m = minuteOf(atMs);
  return { fromMinute: m - minutes + 1, toMinute: m + 1 };
}

/** Start and end (exclusive) instants of the calendar period containing `atMs`, in `timeZone`. */
export function calendarPeriod(unit: 'week' | 'month' | 'quarter', atMs: number, timeZone: string): { startMs: number; endMs: number } {
  const w = wallTime(atMs, timeZone);
  if (unit === 'week') {
    const mondayUtcDate = Date.UTC(w.year, w.month - 1, w.day - (w.isoWeekday - 1));
    const monday = new Date(mondayUtcDate);
    const next = new Date(mondayUtcDate + 7 * 86_400_000);
    return {
      startMs: zonedTimeToUtc(monday.getUTCFullYear(), monday.getUTCMonth() + 1, monday.getUTCDate(), 0, 0, timeZone),
      endMs: zonedTimeToUtc(next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate(), 0, 0, timeZone),
    };
  }
  const months = unit === 'month' ? 1 : 3;
  const firstMonth = unit === 'month' ? w.month : Math.floor((w.month - 1) / 3) * 3 + 1;
  const endMonthIndex = firstMonth - 1 + months; // 0-based, may be 12
  return {
    startMs: zonedTimeToUtc(w.year, firstMonth, 1, 0, 0, timeZone),
    endMs: zonedTimeToUtc(w.year + Math.floor(endMonthIndex / 12), (endMonthIndex % 12) + 1, 1, 0, 0, timeZone),
  };
}

/** The minutes an SLO window covers at `atMs`. A calendar window runs from its period's start to `atMs`. */
export function windowRange(window: WindowSpec, atMs: number, timeZone: string): MinuteRange {
  if (window.kind === 'rolling') return rollingRange(window.minutes, atMs);
  const { startMs } = calendarPeriod(window.unit, atMs, timeZone);
  return { fromMinute: Math.floor(startMs / MS_PER_MINUTE), toMinute: minuteOf(atMs) + 1 };
}

/** The SLO period P in minutes: the rolling length, or the full length of the current calendar period. */
export function periodMinutes(window: WindowSpec, atMs: number, timeZone: string): number {
  if (window.kind === 'rolling') return window.minutes;
  const { startMs, endMs } = calendarPeriod(window.unit, atMs, timeZone);
  return (endMs - startMs) / MS_PER_MINUTE;
}
