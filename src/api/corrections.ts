/** Corrections on the wire (docs/api.md ("Corrections")): what `POST /api/v1/corrections` takes, and what the list answers. */
import { z } from 'zod';
import { Instant } from './common.js';

const instantIn = z.iso.datetime({ offset: true });

/** A one-off correction as posted: the fields of one in vigil.yaml, without `every`. */
export const CorrectionRequest = z.strictObject({
  name: z
    .string()
    .max(100)
    .regex(/^[a-z0-9-]+$/, "expected a name of lowercase letters, digits and '-'"),
  journeys: z.array(z.string().min(1).max(200)).min(1).max(100),
  from: instantIn,
  to: instantIn,
  reason: z.string().trim().min(1).max(2000).optional(),
});
export type CorrectionRequest = z.infer<typeof CorrectionRequest>;

/** One correction in force: one-off (`from`, `to`) or weekly (`every`, read in the server's time zone). */
export const CorrectionJson = z.strictObject({
  name: z.string(),
  journeys: z.array(z.string()),
  /** `config`: declared in vigil.yaml; `api`: added through `POST /api/v1/corrections`. */
  source: z.enum(['config', 'api']),
  from: Instant.optional(),
  to: Instant.optional(),
  /** A weekly window such as `Sun 02:00-04:00`. */
  every: z.string().optional(),
  reason: z.string().nullable(),
});
export type CorrectionJson = z.infer<typeof CorrectionJson>;

export const CorrectionsResponse = z.strictObject({ corrections: z.array(CorrectionJson) });
export type CorrectionsResponse = z.infer<typeof CorrectionsResponse>;

/** What `POST /api/v1/corrections` answers: the correction, and the SLI keys recomputed over history. */
export const CorrectionAdded = z.strictObject({ correction: CorrectionJson, recomputed: z.array(z.string()) });
export type CorrectionAdded = z.infer<typeof CorrectionAdded>;
