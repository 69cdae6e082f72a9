/**
 * The demo's regulation story (docs/dora.md ("In the demo"), docs/impact-tolerances.md ("In the demo")): on a recent
 * weekday, every SEPA Instant transfer fails for 2 h 10 min in the afternoon — a major incident under DORA, and a breach of
 * SEPA Instant's 2 h impact tolerance — and one evening statement downloads fail for 12 minutes, an incident that is not
 * major (statements are no critical service). Both raise technical alerts, so the incident manager
 * opens real incidents and classifies them as it replays the history. Placed from the anchor (the first run's start), so a
 * reused demo database tells the same story.
 */
import type { ScriptedIncident } from './scenario.js';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/** How long SEPA Instant is down: the 2 h 10 min, past its 2 h impact tolerance and DORA's 2 h of downtime. */
export const SEPA_OUTAGE_MINUTES = 130;
/** When it starts, UTC, on its day: office hours, when transfers are many. */
const SEPA_OUTAGE_START = { hour: 14, minute: 5 };
/**
 * The statements outage, in the evening four days before the demo's day: short and out of the 3-day alerting windows by
 * then (statements' budgets are small, and the blind spot needs every statements SLO green and quiet when the demo starts:
 * docs/signals.md ("In the demo")), and on a journey that is no critical service.
 */
export const STATEMENTS_OUTAGE_DAY = 4;
export const STATEMENTS_OUTAGE_MINUTES = 12;
const STATEMENTS_OUTAGE_START = { hour: 18, minute: 40 };

/**
 * The SEPA outage's day (days before the current UTC day): two days before, or six when that was a weekend (the demo
 * started on a Monday or Tuesday), since transfers drop by half at weekends (src/demo/seasonality.ts) and the share of the
 * day's customers is what makes it major. Never on the days of the history's other SEPA Instant incidents, which would
 * still be open and take its alerts in: the sepa-gateway latency regression the day before the demo's day, the
 * instant-clearing slow burn five to three days before (src/demo/scenario.ts).
 * @example doraStoryDay(Date.UTC(2026, 10, 26, 10, 17)) // 2: Tuesday 24 November
 * @example doraStoryDay(Date.UTC(2026, 10, 30, 10, 17)) // 6: Tuesday 24 November, the demo started on a Monday
 */
export function doraStoryDay(nowMs: number): number {
  const weekday = new Date(Math.floor(nowMs / DAY_MS) * DAY_MS - 2 * DAY_MS).getUTCDay();
  return weekday === 0 || weekday === 6 ? 6 : 2;
}

export interface DoraStory {
  /** SEPA Instant down: every confirmation fails (sepa-gateway lost its connection to the clearing house). */
  sepa: ScriptedIncident;
  /** Statement downloads down (pdf-renderer crash-looping). */
  statements: ScriptedIncident;
}

/**
 * The two incidents of the story for a demo first started at `anchorMs`, with ids carrying their day as the other
 * history's do (`bf-sepa-instant-outage-2026-11-24`).
 * @example doraStory(Date.UTC(2026, 10, 26, 10, 17)).sepa.startMs // Date.UTC(2026, 10, 24, 14, 5)
 */
export function doraStory(anchorMs: number): DoraStory {
  const today = Math.floor(anchorMs / DAY_MS) * DAY_MS;
  const day = today - doraStoryDay(anchorMs) * DAY_MS;
  const sepaStart = day + SEPA_OUTAGE_START.hour * HOUR_MS + SEPA_OUTAGE_START.minute * MINUTE_MS;
  const statementsDay = today - STATEMENTS_OUTAGE_DAY * DAY_MS;
  const statementsStart = statementsDay + STATEMENTS_OUTAGE_START.hour * HOUR_MS + STATEMENTS_OUTAGE_START.minute * MINUTE_MS;
  const date = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  return {
    sepa: {
      id: `bf-sepa-instant-outage-${date(day)}`,
      // sepa-gateway, not instant-clearing: the slow burn five days before blames instant-clearing, and the same cause
      // would make the two a recurring incident (docs/dora.md ("Recurring incidents")) before the outage is major alone.
      title: 'sepa-gateway lost its connection to the clearing house: every SEPA Instant transfer fails for 2 h 10 min',
      shape: 'outage',
      journeys: ['sepa-instant'],
      step: 'confirm',
      services: ['sepa-gateway'],
      startMs: sepaStart,
      endMs: sepaStart + SEPA_OUTAGE_MINUTES * MINUTE_MS,
      severity: 1,
    },
    statements: {
      id: `bf-statements-outage-${date(statementsDay)}`,
      title: 'pdf-renderer crash-looping after a configuration push: every statement download fails for 12 minutes',
      shape: 'outage',
      journeys: ['statements'],
      step: 'download',
      services: ['pdf-renderer'],
      startMs: statementsStart,
      endMs: statementsStart + STATEMENTS_OUTAGE_MINUTES * MINUTE_MS,
      severity: 1,
    },
  };
}
