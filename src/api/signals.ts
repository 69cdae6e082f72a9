/** Customer signals on the wire (docs/signals.md, docs/api.md ("Customer signals")). */
import { z } from 'zod';
import { Instant } from './common.js';
import { IngestResponse } from './events.js';

/** What POST /api/v1/signals answers: as event ingest, and how many accepted signals mapped to no journey. */
export const SignalsIngestResponse = z.strictObject({
  ...IngestResponse.shape,
  /** Of the accepted signals, those kept under no journey (no journey given, no keyword found). */
  unmatched: z.number().int().nonnegative(),
});
export type SignalsIngestResponse = z.infer<typeof SignalsIngestResponse>;

export const SignalJson = z.strictObject({
  id: z.string(),
  source: z.string(),
  at: Instant,
  /** null: kept under no journey. */
  journey: z.string().nullable(),
  /** The keyword that mapped it; null when the sender named the journey, or none matched. */
  keyword: z.string().nullable(),
  text: z.string().nullable(),
  count: z.number().int().positive(),
  receivedAt: Instant,
});
export type SignalJson = z.infer<typeof SignalJson>;

export const SignalsResponse = z.strictObject({
  signals: z.array(SignalJson),
  /** The `cursor` of the next page; null on the last one. */
  next: z.string().nullable(),
});
export type SignalsResponse = z.infer<typeof SignalsResponse>;

/** A journey's signal rate now (docs/signals.md ("Spikes", "Blind spots")). */
export const SignalStatus = z.strictObject({
  /** Signals (their counts summed) in the hour before `at`. */
  lastHour: z.number().int().nonnegative(),
  /** Mean of the same hour of the week over the previous 4 weeks; a week without signals counts 0. */
  baseline: z.number().nonnegative(),
  minSpike: z.number().int().positive(),
  /** lastHour ≥ 3 × baseline and lastHour ≥ minSpike. */
  spiking: z.boolean(),
  /** Spiking while every SLO of the journey is ok and no service of its steps has a firing alert. */
  blindSpot: z.boolean(),
});
export type SignalStatus = z.infer<typeof SignalStatus>;
