/** What an ingest answers (docs/api.md ("Ingest")). */
import { z } from 'zod';

export const EventRejection = z.strictObject({ index: z.number().int().nonnegative(), code: z.string(), message: z.string() });
export type EventRejection = z.infer<typeof EventRejection>;

export const IngestResponse = z.strictObject({
  accepted: z.number().int().nonnegative(),
  duplicates: z.number().int().nonnegative(),
  /** The first rejections by index (at most 1,000); `rejectedCount` has the true total. */
  rejected: z.array(EventRejection),
  rejectedCount: z.number().int().nonnegative(),
});
export type IngestResponse = z.infer<typeof IngestResponse>;
