/**
 * The public page's data on the wire (docs/public-page.md, docs/api.md ("The public page")): what anyone may read
 * without a token. It holds customer words and daily success rates only: no volumes, services, alert text, customer
 * ids or internal incident titles.
 */
import { z } from 'zod';
import { Instant } from './common.js';

/** A journey's state in customer words (docs/public-page.md ("Customer words")). */
export const PUBLIC_STATES = ['operational', 'degraded', 'disrupted', 'major', 'quiet'] as const;
export const PublicState = z.enum(PUBLIC_STATES);
export type PublicState = z.infer<typeof PublicState>;

/** How a day's bar is drawn (docs/public-page.md ("The daily bars")). */
export const DAY_CLASSES = ['good', 'reduced', 'poor', 'none'] as const;
export const DayClass = z.enum(DAY_CLASSES);
export type DayClass = z.infer<typeof DayClass>;

export const PublicDay = z.strictObject({
  /** The calendar day in the server's `defaults.timezone`, YYYY-MM-DD. */
  date: z.iso.date(),
  /** Successes ÷ (successes + failures) of the day's attempts, 0 to 1; null: no attempt that day, or not kept. */
  successRate: z.number().min(0).max(1).nullable(),
  class: DayClass,
  /** False for a day older than the per-minute figures Vigil keeps (docs/public-page.md ("The daily bars")). */
  kept: z.boolean(),
});
export type PublicDay = z.infer<typeof PublicDay>;

export const PublicIncident = z.strictObject({
  /** P1 → `major`, P2 → `partial`. */
  severity: z.enum(['major', 'partial']),
  startedAt: Instant,
  /** null while it lasts. */
  resolvedAt: Instant.nullable(),
  /** The operator's public text, or the generic line when none was set (`generic` true). */
  text: z.string(),
  generic: z.boolean(),
  /** When the public text was last set; null for the generic line. */
  updatedAt: Instant.nullable(),
});
export type PublicIncident = z.infer<typeof PublicIncident>;

export const PublicJourney = z.strictObject({
  /** The journey's `publicName` (default its displayName). */
  name: z.string(),
  state: PublicState,
  /** The state in customer words. */
  words: z.string(),
  /** Oldest first, the last one today (so far). */
  days: z.array(PublicDay),
  /** P1–P2 incidents that touched the journey over the days shown, newest first. */
  incidents: z.array(PublicIncident),
});
export type PublicJourney = z.infer<typeof PublicJourney>;

/** GET /api/v1/public/summary. */
export const PublicSummary = z.strictObject({
  generatedAt: Instant,
  timezone: z.string(),
  journeys: z.array(PublicJourney),
});
export type PublicSummary = z.infer<typeof PublicSummary>;

/** PUT /api/v1/incidents/{id}/public-text answers the text as stored. */
export const PublicTextResponse = z.strictObject({
  incidentId: z.string(),
  text: z.string(),
  setBy: z.string().nullable(),
  setAt: Instant,
  /** The incident's version after the write (docs/scale-out.md ("Incident versions")): the If-Match of its next change. */
  version: z.number().int().min(1),
});
export type PublicTextResponse = z.infer<typeof PublicTextResponse>;
