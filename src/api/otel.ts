/** The OTLP/JSON answer of `POST /v1/traces` (docs/opentelemetry.md ("The answer")): an ExportTraceServiceResponse. */
import { z } from 'zod';

export const OtlpTraceResponse = z.strictObject({
  /** Absent when every span was accepted (or not a journey's); int64 is a decimal string in OTLP/JSON. */
  partialSuccess: z.strictObject({ rejectedSpans: z.string().regex(/^[1-9]\d*$/), errorMessage: z.string() }).optional(),
});
export type OtlpTraceResponse = z.infer<typeof OtlpTraceResponse>;
