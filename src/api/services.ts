/** The infrastructure view on the wire: services, the stages that need them, their firing alerts (docs/api.md ("The other reads")). */
import { z } from 'zod';
import { Instant } from './common.js';
import { Money } from './money.js';

export const Stage = z.strictObject({ journey: z.string(), step: z.string().nullable() });
export type Stage = z.infer<typeof Stage>;

/** A technical alert firing on a service. */
export const ServiceAlert = z.strictObject({
  key: z.string(),
  name: z.string(),
  severity: z.string().nullable(),
  summary: z.string(),
  startsAt: Instant,
});
export type ServiceAlert = z.infer<typeof ServiceAlert>;

export const ServiceState = z.strictObject({
  name: z.string(),
  owner: z.string().optional(),
  tier: z.string().optional(),
  stages: z.array(Stage),
  firingAlerts: z.number().int().nonnegative(),
  alerts: z.array(ServiceAlert),
});
export type ServiceState = z.infer<typeof ServiceState>;

export const ServicesResponse = z.strictObject({ services: z.array(ServiceState) });
export type ServicesResponse = z.infer<typeof ServicesResponse>;

/** What a service's attributed failures spent of one SLO's error budget (docs/value.md ("Where to invest")). */
export const SloSpent = z.strictObject({
  journey: z.string(),
  slo: z.string(),
  /** Bad events (or bad one-minute slices) attributed to the service; fractional where shared. */
  bad: z.number().nonnegative(),
  /** bad ÷ the budget the SLO's window allows (1 = the whole budget); null when it allows nothing. */
  spent: z.number().nonnegative().nullable(),
});
export type SloSpent = z.infer<typeof SloSpent>;

/** One service of the ranking: the customer harm behind it, and how loud it was. */
export const RankedService = z.strictObject({
  rank: z.number().int().positive(),
  name: z.string(),
  owner: z.string().optional(),
  /** Its own tier, else the highest tier of the journeys it serves; null when neither. */
  tier: z.string().nullable(),
  /** Failed attempts at the steps that depend on it, shared between a step's services; fractional where shared. */
  failedAttempts: z.number().nonnegative(),
  /** Their value (direct method), one amount per currency, largest first. */
  valueLost: z.array(Money),
  slos: z.array(SloSpent),
  /** Incidents of the period whose alerts named the service, newest first. */
  incidents: z.array(z.string()),
  /** Technical alerts about the service received in the period. */
  alerts: z.number().int().nonnegative(),
  /** Stages (`journey/step`) where an incident pinned failures on this service alone. */
  pinnedAt: z.array(z.string()),
});
export type RankedService = z.infer<typeof RankedService>;

/** GET /api/v1/services/ranking (docs/api.md ("Where to invest")). */
export const ServiceRankingResponse = z.strictObject({
  from: Instant,
  to: Instant,
  /** The order currencies are compared in: the most failed attempts valued in them first. */
  currencies: z.array(z.string().regex(/^[A-Z]{3}$/)),
  services: z.array(RankedService),
});
export type ServiceRankingResponse = z.infer<typeof ServiceRankingResponse>;
