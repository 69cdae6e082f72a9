/**
 * The demo's retention story (docs/retention.md ("In the demo")): in the month before the demo's month, the cards of one
 * partner issuer are declined in error for three days; from the first of the next month, some of the customers who met those
 * declines have left the bank — the more declines, the likelier. Placed from the anchor (the first run's start), so a reused
 * demo database tells the same story.
 */
import { calendarPeriod } from '../engine/windows.js';
import { zonedTimeToUtc, wallTime } from '../engine/timezone.js';
import { periodLabel } from '../value/retention.js';
import type { CustomerSegment, ScriptedIncident } from './scenario.js';

const DAY_MS = 86_400_000;

/** The holders of the partner issuer's co-branded cards: a fixed 8% of the customer pool. */
export const PARTNER_CARDS: CustomerSegment = { name: 'Skylark Air co-branded cards', share: 0.08, salt: 0xca4d };
/** Share of the partner's card authorisations declined in error during the episode. */
export const PARTNER_DECLINE = 0.5;
/** Each failed card payment a customer met in the episode makes it leave with this probability. */
export const LEAVE_PER_FAILED_ATTEMPT = 0.2;
/** The episode: from the 3rd of month N at 08:00 local time, for three days. */
const EPISODE_DAY = 3;
const EPISODE_DAYS = 5;
/** Fewer days than this into the current month: the story is about the month before last (too little of N+1 to read). */
export const MIN_DAYS_OF_NEXT_MONTH = 7;

export interface RetentionStory {
  /** Month N, in the configured time zone: `2026-10`, its start and end (epoch ms). */
  month: { label: string; startMs: number; endMs: number };
  /** Month N+1, whose activity decides retention: its label, start and end. */
  next: { label: string; startMs: number; endMs: number };
  /** The partner's declines in N, with the departures they cause from the start of N+1. */
  episode: ScriptedIncident;
}

/**
 * The retention story for a demo first started at `anchorMs`: month N is the previous calendar month in `timeZone` (the one
 * before that when the current month is less than a week old), and card payments need history from N's first day.
 * @example retentionStory(Date.UTC(2026, 10, 27, 12), 'Europe/London').month.label // '2026-10'
 */
export function retentionStory(anchorMs: number, timeZone: string): RetentionStory {
  const current = calendarPeriod('month', anchorMs, timeZone);
  const back = anchorMs - current.startMs < MIN_DAYS_OF_NEXT_MONTH * DAY_MS ? 2 : 1;
  let start = current.startMs;
  for (let i = 0; i < back; i += 1) start = calendarPeriod('month', start - 1, timeZone).startMs;
  const month = calendarPeriod('month', start, timeZone);
  const next = calendarPeriod('month', month.endMs, timeZone);
  const w = wallTime(month.startMs, timeZone);
  const from = zonedTimeToUtc(w.year, w.month, EPISODE_DAY, 8, 0, timeZone);
  const to = zonedTimeToUtc(w.year, w.month, EPISODE_DAY + EPISODE_DAYS, 8, 0, timeZone);
  const label = periodLabel('month', month.startMs, timeZone);
  return {
    month: { label, ...month },
    next: { label: periodLabel('month', next.startMs, timeZone), ...next },
    episode: {
      id: `retention-partner-declines-${label}`,
      title: `${PARTNER_CARDS.name}: the partner issuer declines ${PARTNER_DECLINE * 100}% of its cardholders' authorisations in error`,
      shape: 'step-failure',
      journeys: ['card-payment'],
      step: 'authorise',
      // The partner's own systems decline: nothing of the bank's raises an alert.
      services: [],
      silent: true,
      segment: PARTNER_CARDS,
      startMs: from,
      endMs: to,
      severity: PARTNER_DECLINE,
      departures: { fromMs: next.startMs, perFailedAttempt: LEAVE_PER_FAILED_ATTEMPT },
    },
  };
}
