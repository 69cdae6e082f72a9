/** A disruption of an important business service, as recorded (docs/impact-tolerances.md, docs/storage.md ("Disruptions table")). */

export interface DisruptionRecord {
  /** `<journey>@<start as RFC 3339>` when first recorded; kept when late events move its start. */
  id: string;
  journey: string;
  /** The incident it belongs to (the one it was merged into, once merged). */
  incidentId: string;
  /** The first minute below `downtimeBelow`, epoch ms. */
  startAt: number;
  /** When the service was restored or its incident resolved; null while it runs. */
  endAt: number | null;
  /** While it runs: the first up minute of a recovery under way, where its clock stands; else null. */
  pausedAt: number | null;
  /** The tolerance in force when it was first recorded, ms. */
  toleranceMs: number;
  /** When the clock reached half the tolerance; once recorded it stays. */
  warnedAt: number | null;
  /** When the clock exceeded the tolerance; once recorded it stays: a breach is never unrecorded. */
  breachedAt: number | null;
}
