/** Impact tolerances on the wire (docs/impact-tolerances.md, docs/api.md ("Impact tolerances")). */
import { z } from 'zod';
import { Instant } from './common.js';

/** A clock's level: under half the tolerance, at or past half, past the whole tolerance. */
export const ToleranceLevel = z.enum(['ok', 'warning', 'breached']);
export type ToleranceLevel = z.infer<typeof ToleranceLevel>;

/** One disruption of an important business service. */
export const DisruptionJson = z.strictObject({
  id: z.string(),
  journey: z.string(),
  /** The incident it belongs to (the one it was merged into, once merged). */
  incidentId: z.string(),
  /** The first minute the journey's success fell below `regulation.downtimeBelow`. */
  start: Instant,
  /** When the service was restored or its incident resolved; null while it runs. */
  end: Instant.nullable(),
  running: z.boolean(),
  /** How long it lasted, or, while it runs, where its clock stands at the answer's `at`; whole seconds. */
  durationSeconds: z.number().int().nonnegative(),
  /** The tolerance it is measured against: the one in force when it was first recorded. */
  toleranceSeconds: z.number().int().positive(),
  level: ToleranceLevel,
  /** When its clock reached half the tolerance, and when it exceeded it; null until then. */
  warnedAt: Instant.nullable(),
  breachedAt: Instant.nullable(),
  breached: z.boolean(),
});
export type DisruptionJson = z.infer<typeof DisruptionJson>;

/** An important business service's year. */
export const ServiceTolerances = z.strictObject({
  journey: z.string(),
  displayName: z.string(),
  /** Whether vigil.yaml still makes it an important business service (false: listed for its recorded disruptions). */
  configured: z.boolean(),
  /** The tolerance vigil.yaml sets now, as written (`4h`) and in seconds; null when no longer configured. */
  tolerance: z.string().nullable(),
  toleranceSeconds: z.number().int().positive().nullable(),
  /** The disruptions that started in the year, oldest first. */
  disruptions: z.array(DisruptionJson),
  /** The longest of them (the first, among equals); null when none. */
  longest: DisruptionJson.nullable(),
  anyBreached: z.boolean(),
});
export type ServiceTolerances = z.infer<typeof ServiceTolerances>;

export const TolerancesResponse = z.strictObject({
  year: z.number().int(),
  /** The year runs from 1 January 00:00 to the next, in this time zone (`defaults.timezone`). */
  timezone: z.string(),
  from: Instant,
  to: Instant,
  at: Instant,
  services: z.array(ServiceTolerances),
});
export type TolerancesResponse = z.infer<typeof TolerancesResponse>;

/** An important business service's tolerance and its running clock, on the journey answers. */
export const JourneyTolerance = z.strictObject({
  tolerance: z.string(),
  toleranceSeconds: z.number().int().positive(),
  /** The disruption running now, or null. */
  clock: DisruptionJson.nullable(),
});
export type JourneyTolerance = z.infer<typeof JourneyTolerance>;
