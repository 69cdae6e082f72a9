/** Every scripted incident of a demo run, in one list: what `vigil demo` plays and what the demo's story tests read. */
import type { VigilConfig } from '../model/config.js';
import { doraStory } from './dora-story.js';
import { retentionStory } from './retention-story.js';
import { backfillIncidents, blankStatementsEpisode, liveIncidents, maintenanceIncidents, type ScriptedIncident } from './scenario.js';

const DAY_MS = 86_400_000;
/** The history a full demo backfills; a shorter one (--days) has no retention story, whose month needs longer. */
export const FULL_HISTORY_DAYS = 28;

export interface DemoRun {
  /** When the demo database was first filled (its stories are placed from here, so a reused database tells the same ones). */
  anchorMs: number;
  /** When this run started: the live incidents and the blank statements' complaints start from here. */
  startedAtMs: number;
  /** Days of history (--days). */
  days: number;
  seed: number;
}

/**
 * The history's incidents (placed from the anchor), the regulation story's SEPA Instant and statements outages (when the
 * history reaches back to them), the Sunday maintenance windows, the retention story's partner-card declines (a full
 * history only), the blank statements and the live schedule, by start.
 * @example demoIncidents(config, { anchorMs: now, startedAtMs: now, days: 28, seed: 7 })
 */
export function demoIncidents(config: VigilConfig, run: DemoRun): ScriptedIncident[] {
  const story = run.days >= FULL_HISTORY_DAYS ? retentionStory(run.anchorMs, config.defaults.timezone) : undefined;
  const dora = doraStory(run.anchorMs);
  return [
    ...backfillIncidents(run.anchorMs),
    ...[dora.sepa, dora.statements].filter((i) => i.startMs >= run.anchorMs - run.days * DAY_MS),
    ...maintenanceIncidents(config, run.anchorMs - run.days * DAY_MS, run.startedAtMs + 7 * DAY_MS),
    ...liveIncidents(run.startedAtMs, run.seed),
    ...(story ? [story.episode] : []),
    blankStatementsEpisode(run.startedAtMs),
  ].sort((a, b) => a.startMs - b.startMs);
}
