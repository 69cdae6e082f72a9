/**
 * The wire shape of a journey event (docs/api.md ("The event")) as a zod schema: the reference for docs and types.
 * Ingest validates with the hand-written validate-event.ts (the hot path); a property test keeps the two in step.
 */
import { z } from 'zod';
import type { Outcome } from '../model/config.js';
import { MAX_ATTRIBUTES, MAX_ID_LENGTH } from './validate-event.js';
import { isStorableText } from './storable-text.js';

const storableText = z.string().refine(isStorableText, 'expected text without NUL characters or unpaired surrogates');
const identifier = z
  .string()
  .min(1)
  .max(MAX_ID_LENGTH)
  .refine(isStorableText, 'expected text without NUL characters or unpaired surrogates');
const attributeValue = z.union([storableText, z.number(), z.boolean(), z.null()]);

/**
 * A journey event as sent. Optional fields may also be `null`, which means absent. `timestamp` is an
 * RFC 3339 date-time with seconds and a zone (`Z` or `±hh:mm`), or epoch milliseconds.
 * Configuration-dependent checks (journey and step configured, timestamp within retention and not
 * in the future) are not shape and live only in the validator.
 */
export const wireEventSchema = z.strictObject({
  id: identifier.nullish(),
  journey: z.string().min(1),
  step: z.string().nullish(),
  outcome: z.enum(['success', 'failure', 'rejected', 'abandoned'] as const satisfies readonly Outcome[]),
  latencyMs: z.number().min(0).nullish(),
  timestamp: z.union([z.iso.datetime({ offset: true }), z.number()]).nullish(),
  attemptId: identifier.nullish(),
  customerId: identifier.nullish(),
  amount: z.number().nullish(),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/)
    .nullish(),
  attributes: z
    .record(storableText, attributeValue)
    .refine((record) => Object.keys(record).length <= MAX_ATTRIBUTES, { message: `at most ${MAX_ATTRIBUTES} keys` })
    .nullish(),
});

/** A journey event as sent over the wire (before normalisation into JourneyEvent). */
export type WireEvent = z.infer<typeof wireEventSchema>;

/** The top-level fields of an event, in documentation order. */
export const EVENT_FIELDS = Object.keys(wireEventSchema.shape) as readonly (keyof WireEvent)[];
